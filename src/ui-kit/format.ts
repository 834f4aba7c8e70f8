// Number and unit formatting shared by the browser views (src/ui-kit/browser/) and the pages,
// summaries and reports rendered on the server. Pure and DOM-free: it is part of both the Bun
// program and every browser bundle. Non-finite input prints as "–" (an empty cell), never "NaN".

/** What a number measures; the charts' axes and every table cell format through this. */
/** `persec`: any per-second rate ("12/s"); `reqps`: requests per second ("12 req/s"). */
export type Unit = "ms" | "reqps" | "persec" | "percent" | "count" | "bytes" | "vus";

const NONE = "–";

/** A duration given in milliseconds: "850 µs", "12.3 ms", "1.52 s", "2m 05s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return NONE;
  const abs = Math.abs(ms);
  if (abs === 0) return "0 ms";
  if (abs < 0.9995) return `${trim(ms * 1000)} µs`;
  if (abs < 999.5) return `${trim(ms)} ms`;
  if (abs < 59_950) return `${trim(ms / 1000)} s`;
  const totalSeconds = Math.round(abs / 1000);
  const sign = ms < 0 ? "-" : "";
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return `${sign}${minutes}m ${String(seconds).padStart(2, "0")}s`;
  return `${sign}${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}

/** A per-second rate: "0.5/s", "1,234/s", "12.3k/s"; `what` names the thing ("req" → "req/s"). */
export function formatRate(perSecond: number, what = ""): string {
  if (!Number.isFinite(perSecond)) return NONE;
  return `${formatCount(perSecond)} ${what}/s`.replace(" /s", "/s");
}

/** A fraction 0..1 as a percentage: 0.0123 → "1.23%", 1 → "100%". */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return NONE;
  const pct = fraction * 100;
  if (pct !== 0 && Math.abs(pct) < 0.01) return pct < 0 ? ">-0.01%" : "<0.01%";
  return `${trim(pct)}%`;
}

/** A count: "999", "12,345", then "1.23M" past a million; fractions keep three significant digits. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return NONE;
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${trim(n / 1e9)}G`;
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e5) return `${trim(n / 1e3)}k`;
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  return abs >= 1000 ? Math.round(n).toLocaleString("en-US") : trim(n);
}

/** Bytes in binary units: "512 B", "1.5 KiB", "20.3 MiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return NONE;
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let i = 0;
  while (Math.abs(value) >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(value)} B` : `${trim(value)} ${units[i]}`;
}

/** Formats `value` as `unit` says (durations in ms, rates per second, percent as a fraction). */
export function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case "ms":
      return formatDuration(value);
    case "reqps":
      return formatRate(value, "req");
    case "persec":
      return formatRate(value);
    case "percent":
      return formatPercent(value);
    case "bytes":
      return formatBytes(value);
    case "vus":
    case "count":
      return formatCount(value);
  }
}

/** Three significant digits, no trailing zeros: 12.30 → "12.3", 0.000123 → "0.000123". */
function trim(n: number): string {
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : Math.min(6, 2 - Math.floor(Math.log10(abs)));
  return Number(n.toFixed(digits)).toString();
}
