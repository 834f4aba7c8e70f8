// Number formatting shared by the summary text and the progress line. Pure functions.
import type { MetricContains } from "../metrics/types.ts";

const trim = (s: string): string => (s.includes(".") ? s.replace(/\.?0+$/, "") : s);

/** k6-style duration: 812.34µs, 12.34ms, 1.23s, 2m3.4s. Input in ms. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms === 0) return "0s";
  const abs = Math.abs(ms);
  if (abs < 1) return `${trim((ms * 1000).toFixed(2))}µs`;
  if (abs < 1000) return `${trim(ms.toFixed(2))}ms`;
  if (abs < 60_000) return `${trim((ms / 1000).toFixed(2))}s`;
  const minutes = Math.floor(abs / 60_000);
  const seconds = (abs - minutes * 60_000) / 1000;
  const hours = Math.floor(minutes / 60);
  const sign = ms < 0 ? "-" : "";
  if (hours > 0) return `${sign}${hours}h${minutes % 60}m${Math.round(seconds)}s`;
  return `${sign}${minutes}m${trim(seconds.toFixed(1))}s`;
}

/** Decimal units as k6: 512 B, 1.2 kB, 3.4 MB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${trim(v.toFixed(1))} ${units[i]}`;
}

/** Plain number: integers as is, others with up to `digits` decimals. */
export function formatNumber(n: number, digits = 2): string {
  if (Number.isInteger(n)) return String(n);
  return trim(n.toFixed(digits));
}

/** A ratio 0–1 as a percentage with two decimals: 98.50%. */
export function formatPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(2)}%`;
}

/** A trend figure in the metric's unit (ms for time, bytes for data). */
export function formatValue(value: number, contains: MetricContains): string {
  if (contains === "time") return formatDuration(value);
  if (contains === "data") return formatBytes(value);
  return formatNumber(value);
}

/** A per-second rate: 3.99/s, 1.2 kB/s. */
export function formatPerSecond(rate: number, contains: MetricContains): string {
  if (contains === "data") return `${formatBytes(rate)}/s`;
  return `${formatNumber(rate, rate >= 100 ? 0 : 2)}/s`;
}
