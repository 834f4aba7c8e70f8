// The ladder's figures and tables, from the samples the harness measured. Pure, no I/O.
// Per request, user and system apart: with a steady-state window (method "window", ladder.ts and
// window.ts), the window's CPU / the requests the target served in it, and req/s over the window;
// otherwise (method "fixed-cost") (full − fixed) CPU / (full − fixed) requests, and req/s over the
// load window. Ratios to the bare loop and rung-to-rung deltas are computed within each round
// first, then spread as min/median/max over rounds (a shared machine drifts between rounds).
import { fmt, fmtSpread, spread, type Spread } from "../lib/stats.ts";
import { RUNG_ADDS, isRung } from "./rungs.ts";
import type { WindowFigures } from "./window.ts";

/** How a sample's per-request figures were produced (see ladder.ts). */
export type LadderMethod = "window" | "fixed-cost";

/** What the harness measured for one rung in one round (see ladder.ts). */
export interface LadderSample {
  rung: string;
  round: number;
  ok: boolean;
  error?: string;
  method: LadderMethod;
  /** The full run, as the rung counted it (equal to `targetCount`). */
  requests: number;
  errors: number;
  loadSec: number;
  /** The whole full run's rusage (every thread, start-up included). */
  userSec: number;
  sysSec: number;
  /** The fixed-cost run: one request per connection (method "fixed-cost"; zeros otherwise). */
  fixedRequests: number;
  fixedUserSec: number;
  fixedSysSec: number;
  /** Requests the target itself served during the full run. */
  targetCount: number;
  /** The steady-state window (method "window"). */
  window?: WindowFigures;
  heapBeforeMb?: number;
  heapAfterMb?: number;
}

export interface PerRequest {
  userUs: number;
  sysUs: number;
  cpuUs: number;
  rps: number;
}

/**
 * µs of CPU per request and req/s: over the window when the sample has one, else beyond the fixed
 * cost over the load window; null for a failed or empty sample.
 */
export function perRequest(s: LadderSample): PerRequest | null {
  if (!s.ok) return null;
  if (s.window) {
    const w = s.window;
    if (w.requests <= 0 || w.wallSec <= 0) return null;
    const userUs = (w.userSec / w.requests) * 1e6;
    const sysUs = (w.sysSec / w.requests) * 1e6;
    return { userUs, sysUs, cpuUs: userUs + sysUs, rps: w.requests / w.wallSec };
  }
  const marginal = s.requests - s.fixedRequests;
  if (marginal <= 0 || s.loadSec <= 0) return null;
  const userUs = ((s.userSec - s.fixedUserSec) / marginal) * 1e6;
  const sysUs = ((s.sysSec - s.fixedSysSec) / marginal) * 1e6;
  return { userUs, sysUs, cpuUs: userUs + sysUs, rps: s.requests / s.loadSec };
}

/** One line for the terminal about one measured sample (as it completes). */
export function sampleLine(s: LadderSample): string {
  const head = `[round ${s.round}] ${s.rung.padEnd(13)}`;
  if (!s.ok) return `${head} FAILED: ${s.error}`;
  const p = perRequest(s);
  const w = s.window;
  const how = w
    ? ` · window ${w.fromSec.toFixed(2)}–${w.toSec.toFixed(2)} s: ${w.requests} req = ${Math.round(w.requests / w.wallSec)} req/s, tick ±${((w.tickSec / w.requests) * 1e6).toFixed(3)} µs/req`
    : ` · fixed cost ${s.fixedRequests} req`;
  const heap = s.heapBeforeMb !== undefined ? ` · heap ${s.heapBeforeMb.toFixed(1)} → ${s.heapAfterMb?.toFixed(1)} MB` : "";
  return (
    `${head} ${s.requests} req (target ${s.targetCount}, errors ${s.errors}) in ${s.loadSec.toFixed(2)} s = ${Math.round(s.requests / s.loadSec)} req/s` +
    how +
    (p ? ` · user ${p.userUs.toFixed(2)} + sys ${p.sysUs.toFixed(2)} µs/req` : "") +
    heap
  );
}

export interface LadderRow {
  rung: string;
  adds: string;
  runs: number;
  failures: string[];
  /** The methods of its samples (one, unless samples of both kinds were mixed). */
  methods: LadderMethod[];
  userUs: Spread | null;
  sysUs: Spread | null;
  cpuUs: Spread | null;
  rps: Spread | null;
  /** CPU per request ÷ the base rung's, per round. */
  cpuVsBase: Spread | null;
  /** req/s ÷ the base rung's, per round. */
  rpsVsBase: Spread | null;
  /** CPU µs per request over the previous rung, per round (null for the first rung). */
  deltaUs: Spread | null;
  /** CPU µs per request over the base rung, per round. */
  overBaseUs: Spread | null;
  heapGrowthMb: Spread | null;
}

/**
 * Rows in ladder order. The base is the `bare` rung when it ran, else the first rung; a rung's
 * delta is against the rung below it among those that ran.
 */
export function ladderRows(samples: readonly LadderSample[], order: readonly string[]): LadderRow[] {
  const rungs = order.filter((r) => samples.some((s) => s.rung === r));
  const base = rungs.includes("bare") ? "bare" : rungs[0];
  const rounds = [...new Set(samples.map((s) => s.round))];
  const figure = (rung: string | undefined, round: number): PerRequest | null => {
    const s = samples.find((x) => x.rung === rung && x.round === round);
    return s ? perRequest(s) : null;
  };
  const perRound = (pick: (round: number) => number | null): Spread | null => spread(rounds.map(pick));
  return rungs.map((rung, i) => {
    const own = samples.filter((s) => s.rung === rung);
    const previous = i > 0 ? rungs[i - 1] : undefined;
    const of = (f: (p: PerRequest) => number) => spread(own.map((s) => perRequest(s)).map((p) => (p ? f(p) : null)));
    return {
      rung,
      adds: isRung(rung) ? RUNG_ADDS[rung] : "",
      runs: own.length,
      failures: own.filter((s) => !s.ok).map((s) => `round ${s.round}: ${s.error ?? "failed"}`),
      methods: [...new Set(own.map((s) => s.method))],
      userUs: of((p) => p.userUs),
      sysUs: of((p) => p.sysUs),
      cpuUs: of((p) => p.cpuUs),
      rps: of((p) => p.rps),
      cpuVsBase: perRound((r) => ratio(figure(rung, r)?.cpuUs, figure(base, r)?.cpuUs)),
      rpsVsBase: perRound((r) => ratio(figure(rung, r)?.rps, figure(base, r)?.rps)),
      deltaUs: previous === undefined ? null : perRound((r) => difference(figure(rung, r)?.cpuUs, figure(previous, r)?.cpuUs)),
      overBaseUs: perRound((r) => difference(figure(rung, r)?.cpuUs, figure(base, r)?.cpuUs)),
      heapGrowthMb: spread(own.map((s) => (s.heapBeforeMb !== undefined && s.heapAfterMb !== undefined ? s.heapAfterMb - s.heapBeforeMb : null))),
    };
  });
}

function ratio(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined || b === 0 ? null : a / b;
}

function difference(a: number | undefined, b: number | undefined): number | null {
  return a === undefined || b === undefined ? null : a - b;
}

/** The rung whose own layer (its delta over the rung below) costs the most, in words. */
export function costliestLayer(rows: readonly LadderRow[]): string | null {
  let worst: LadderRow | undefined;
  for (const row of rows) if (row.deltaUs && (!worst || row.deltaUs.median > worst.deltaUs!.median)) worst = row;
  if (!worst) return null;
  return `costliest layer: ${worst.rung} (+${fmt(worst.deltaUs!.median)} µs CPU per request over the rung below): ${worst.adds}`;
}

export const LADDER_HEAD = [
  "rung", "CPU µs/req", "user µs", "sys µs", "Δ µs vs rung below", "µs over bare", "CPU ÷ bare", "req/s", "req/s ÷ bare", "method",
];

/** The table body: one line per rung; cells are "median (min–max)" over rounds. */
export function ladderBody(rows: readonly LadderRow[]): string[][] {
  return rows.map((r) => [
    `${r.rung}${r.failures.length ? ` ⚠ ${r.failures.length} failed` : ""}`,
    fmtSpread(r.cpuUs),
    fmtSpread(r.userUs),
    fmtSpread(r.sysUs),
    r.deltaUs ? signed(r.deltaUs) : "–",
    fmtSpread(r.overBaseUs),
    fmtSpread(r.cpuVsBase),
    fmtSpread(r.rps),
    fmtSpread(r.rpsVsBase),
    r.methods.join("+"),
  ]);
}

/** What the figures of `rows` mean, in one sentence, for the line under the table. */
export function methodNote(rows: readonly LadderRow[]): string {
  const methods = new Set(rows.flatMap((r) => r.methods));
  const parts: string[] = [];
  if (methods.has("window")) {
    parts.push(
      "window: CPU (utime + stime of every thread, /proc/<pid>/stat) of the rung's process between a warm-up after its load started and 0.5 s before the load's end, over the requests the target served in that window; req/s over the window",
    );
  }
  if (methods.has("fixed-cost")) {
    parts.push("fixed-cost: the whole run's rusage beyond the same rung's one-request-per-connection run, over the extra requests (start-up is subtracted, JIT warm-up is not)");
  }
  return parts.join("; ");
}

/** "+1.2 (+0.9–+1.5)": a spread of differences with explicit signs. */
function signed(s: Spread): string {
  const one = (v: number) => `${v >= 0 ? "+" : ""}${fmt(v)}`;
  return s.n === 1 || s.min === s.max ? one(s.median) : `${one(s.median)} (${one(s.min)}–${one(s.max)})`;
}

/** A plain-text table for the terminal. */
export function textTable(head: readonly string[], body: readonly string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}
