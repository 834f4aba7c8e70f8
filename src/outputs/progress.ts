// The live progress line. Pure functions; the caller (the CLI's live view, about once a second)
// writes the TTY variant with a leading "\r" (and clears to end of line), the plain variant as one
// log line per tick when stdout is not a terminal.
import type { IntervalSnapshot } from "../metrics/interval.ts";
import { formatDuration, formatPercent } from "./format.ts";

export interface ProgressInput {
  elapsedMs: number;
  /** Planned duration; 0 or less when unknown (iteration-based scenarios): no bar then. */
  totalMs: number;
  vus: number;
  maxVus: number;
  /** Requests per second over the last interval. */
  reqPerSec: number;
  /** p95 of http_req_duration over the last interval; null without requests. */
  p95Ms: number | null;
  /** http_req_failed rate over the last interval, 0–1; null without requests. */
  errorRate: number | null;
  /** The load generator is the bottleneck: its latencies are inflated. */
  overloaded?: boolean;
}

const BAR_WIDTH = 20;

/** Figures for the progress line from the aggregator's interval snapshot. */
export function liveFigures(snapshot: IntervalSnapshot): Pick<ProgressInput, "reqPerSec" | "p95Ms" | "errorRate"> {
  const reqs = snapshot.metrics.http_reqs;
  const duration = snapshot.metrics.http_req_duration;
  const failed = snapshot.metrics.http_req_failed;
  return {
    reqPerSec: reqs?.type === "counter" ? reqs.rate : 0,
    p95Ms: duration?.type === "trend" && duration.count > 0 ? duration.p95 : null,
    errorRate: failed?.type === "rate" && failed.passes + failed.fails > 0 ? failed.rate : null,
  };
}

function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

function rate(n: number): string {
  return n >= 100 ? String(Math.round(n)) : n.toFixed(1);
}

/**
 * One terminal line, no newline and no "\r": `[=====>    ] 12s/30s  vus 10/20  1234 req/s  p95
 * 12.3ms  err 0.12%`. With `columns`, it is cut to fit so the "\r" rewrite never wraps.
 */
export function formatProgressLine(p: ProgressInput, columns?: number): string {
  const parts: string[] = [];
  if (p.totalMs > 0) {
    const done = Math.min(1, Math.max(0, p.elapsedMs / p.totalMs));
    const filled = Math.round(done * BAR_WIDTH);
    const bar = filled >= BAR_WIDTH ? "=".repeat(BAR_WIDTH) : "=".repeat(filled) + ">" + " ".repeat(BAR_WIDTH - filled - 1);
    parts.push(`[${bar}] ${clock(p.elapsedMs)}/${clock(p.totalMs)}`);
  } else {
    parts.push(clock(p.elapsedMs));
  }
  parts.push(`vus ${p.vus}/${p.maxVus}`);
  parts.push(`${rate(p.reqPerSec)} req/s`);
  parts.push(`p95 ${p.p95Ms === null ? "-" : formatDuration(p.p95Ms)}`);
  parts.push(`err ${p.errorRate === null ? "-" : formatPercent(p.errorRate)}`);
  if (p.overloaded) parts.push("! generator overloaded");
  const line = parts.join("  ");
  return columns !== undefined && columns > 1 && line.length > columns - 1 ? line.slice(0, columns - 1) : line;
}

/** One log line for a non-terminal: `t=12s/30s vus=10/20 req/s=1234 p95=12.3ms errors=0.12%`. */
export function formatProgressLog(p: ProgressInput): string {
  const parts = [
    `t=${clock(p.elapsedMs)}${p.totalMs > 0 ? `/${clock(p.totalMs)}` : ""}`,
    `vus=${p.vus}/${p.maxVus}`,
    `req/s=${rate(p.reqPerSec)}`,
    `p95=${p.p95Ms === null ? "-" : formatDuration(p.p95Ms)}`,
    `errors=${p.errorRate === null ? "-" : formatPercent(p.errorRate)}`,
  ];
  if (p.overloaded) parts.push("overloaded=true");
  return parts.join(" ");
}
