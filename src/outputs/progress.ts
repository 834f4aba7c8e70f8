// The live view's text, k6-like: one line per scenario (executor, VUs now/max, a progress bar by
// time or by iterations, iterations complete / interrupted, dropped), then the run's line (time,
// VUs, req/s, p95 of http_req_duration, error rate); in a distributed run a fleet line first.
// Pure functions of a LiveFrame; the CLI's live screen (cli/run/live-screen.ts) writes them,
// rewritten in place on a terminal, as log lines every few seconds elsewhere.
import type { IntervalSnapshot } from "../metrics/interval.ts";
import type { ScenarioStatus } from "../core/scheduler.ts";
import type { FleetFigures } from "../cluster/api-types.ts";
import { formatDuration, formatPercent } from "./format.ts";

/** Everything one drawing of the live view shows. */
export interface LiveFrame {
  /** Run time so far, ms. */
  elapsedMs: number;
  vus: number;
  maxVus: number;
  /** Requests per second over the last interval; null before any request metric arrived. */
  reqPerSec: number | null;
  /** p95 of http_req_duration over the last interval; null without requests. */
  p95Ms: number | null;
  /** http_req_failed rate over the last interval, 0–1; null without requests. */
  errorRate: number | null;
  /** The load generator is the bottleneck: its latencies are inflated. */
  overloaded?: boolean;
  scenarios: readonly ScenarioStatus[];
  /** Distributed runs only. */
  fleet?: FleetFigures;
}

export type LiveFigures = Pick<LiveFrame, "reqPerSec" | "p95Ms" | "errorRate">;

const BAR_WIDTH = 20;

/** The run line's figures from the aggregator's interval snapshot. */
export function liveFigures(snapshot: IntervalSnapshot): LiveFigures {
  const reqs = snapshot.metrics.http_reqs;
  const duration = snapshot.metrics.http_req_duration;
  const failed = snapshot.metrics.http_req_failed;
  return {
    reqPerSec: reqs?.type === "counter" ? reqs.rate : null,
    p95Ms: duration?.type === "trend" && duration.count > 0 ? duration.p95 : null,
    errorRate: failed?.type === "rate" && failed.passes + failed.fails > 0 ? failed.rate : null,
  };
}

function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

function rate(n: number | null): string {
  if (n === null) return "-";
  return n >= 100 ? String(Math.round(n)) : n.toFixed(1);
}

/**
 * When the run is expected to end, ms: the latest startTime + duration, when every scenario is
 * time-bound with a known duration; 0 otherwise (iterations or a stop end some scenario).
 */
export function expectedTotalMs(scenarios: readonly ScenarioStatus[]): number {
  let total = 0;
  for (const s of scenarios) {
    if (s.plannedIterations !== null || s.durationMs === null) return 0;
    total = Math.max(total, s.startTime + s.durationMs);
  }
  return total;
}

function runClock(p: LiveFrame): string {
  const total = expectedTotalMs(p.scenarios);
  return total > 0 ? `${clock(p.elapsedMs)}/${clock(total)}` : clock(p.elapsedMs);
}

function bar(done: number | null): string {
  if (done === null) return `[${" ".repeat(BAR_WIDTH)}]`;
  const filled = Math.round(Math.min(1, Math.max(0, done)) * BAR_WIDTH);
  return `[${filled >= BAR_WIDTH ? "=".repeat(BAR_WIDTH) : "=".repeat(filled) + ">" + " ".repeat(BAR_WIDTH - filled - 1)}]`;
}

/**
 * How far a scenario is: by iterations when they end it (done/planned), else by its own time
 * (elapsed/duration; no fraction when only a stop ends it). `text` is `2s/4s`, `20/40 iters`, `7s`.
 */
export function scenarioProgress(s: ScenarioStatus): { done: number | null; text: string } {
  if (s.plannedIterations !== null) {
    const ran = s.completed + s.interrupted;
    return { done: s.plannedIterations > 0 ? ran / s.plannedIterations : 1, text: `${ran}/${s.plannedIterations} iters` };
  }
  if (s.durationMs === null) return { done: null, text: clock(s.elapsedMs) };
  const elapsed = Math.min(s.elapsedMs, s.durationMs);
  return { done: s.durationMs > 0 ? elapsed / s.durationMs : 1, text: `${clock(elapsed)}/${clock(s.durationMs)}` };
}

function iterationsText(s: ScenarioStatus): string {
  const text = `${s.completed} complete, ${s.interrupted} interrupted`;
  return s.dropped > 0 ? `${text}, ${s.dropped} dropped` : text;
}

function fleetText(f: FleetFigures): string {
  const extra = [f.done > 0 ? `${f.done} done` : "", f.failed > 0 ? `${f.failed} failed` : ""].filter(Boolean);
  return `agents ${f.healthy}/${f.agents} healthy, ${f.lost} lost${extra.length > 0 ? `, ${extra.join(", ")}` : ""}`;
}

function runText(p: LiveFrame): string {
  const parts = [
    `running ${runClock(p)}`,
    `vus ${p.vus}/${p.maxVus}`,
    `${rate(p.reqPerSec)} req/s`,
    `p95 ${p.p95Ms === null ? "-" : formatDuration(p.p95Ms)}`,
    `err ${p.errorRate === null ? "-" : formatPercent(p.errorRate)}`,
  ];
  if (p.overloaded) parts.push("! generator overloaded");
  return parts.join("  ");
}

/**
 * The terminal block, one string per line, none with a newline or a "\r", each cut to
 * `columns - 1` so that rewriting the block in place never wraps:
 * ```
 * agents 2/2 healthy, 0 lost                                        (distributed runs)
 * browse  constant-vus       [=========>          ]       2s/4s  vus 5/5  92 complete, 0 interrupted
 * batch   shared-iterations  [=====>              ] 20/40 iters  vus 2/2  20 complete, 0 interrupted
 * running 3s/10s  vus 7/7  104 req/s  p95 133.76ms  err 0.00%
 * ```
 */
export function formatLiveLines(frame: LiveFrame, columns?: number): string[] {
  const lines: string[] = [];
  if (frame.fleet) lines.push(fleetText(frame.fleet));
  const nameWidth = Math.max(0, ...frame.scenarios.map((s) => s.name.length));
  const executorWidth = Math.max(0, ...frame.scenarios.map((s) => s.executor.length));
  const progress = frame.scenarios.map((s) => (s.state === "waiting" ? { done: null, text: "waiting" } : scenarioProgress(s)));
  const progressWidth = Math.max(0, ...progress.map((p) => p.text.length));
  const vus = frame.scenarios.map((s) => `vus ${s.activeVus}/${s.maxVus}`);
  const vusWidth = Math.max(0, ...vus.map((v) => v.length));
  frame.scenarios.forEach((s, i) => {
    const p = progress[i]!;
    const where = `${bar(p.done)} ${p.text.padStart(progressWidth)}`;
    lines.push([s.name.padEnd(nameWidth), s.executor.padEnd(executorWidth), where, vus[i]!.padEnd(vusWidth), iterationsText(s)].join("  "));
  });
  lines.push(runText(frame));
  const width = columns !== undefined && columns > 1 ? columns - 1 : Infinity;
  return lines.map((line) => (line.length > width ? line.slice(0, width) : line));
}

/**
 * Log lines for a non-terminal: the run's line, then one per scenario.
 * `t=3s/10s vus=7/7 req/s=104 p95=133.76ms errors=0.00%` (with `agents=2 healthy=2 lost=0` first in
 * a distributed run), then `  browse constant-vus vus=5/5 time=2s/4s complete=92 interrupted=0 dropped=0`.
 */
export function formatLiveLog(frame: LiveFrame): string[] {
  const head: string[] = [];
  if (frame.fleet) head.push(`agents=${frame.fleet.agents} healthy=${frame.fleet.healthy} lost=${frame.fleet.lost}`);
  head.push(
    `t=${runClock(frame)}`,
    `vus=${frame.vus}/${frame.maxVus}`,
    `req/s=${rate(frame.reqPerSec)}`,
    `p95=${frame.p95Ms === null ? "-" : formatDuration(frame.p95Ms)}`,
    `errors=${frame.errorRate === null ? "-" : formatPercent(frame.errorRate)}`,
  );
  if (frame.overloaded) head.push("overloaded=true");
  const lines = [head.join(" ")];
  for (const s of frame.scenarios) {
    const p = scenarioProgress(s);
    const where = s.state === "waiting" ? "state=waiting" : s.plannedIterations !== null ? `iterations=${p.text.replace(" iters", "")}` : `time=${p.text}`;
    lines.push(`  ${s.name} ${s.executor} vus=${s.activeVus}/${s.maxVus} ${where} complete=${s.completed} interrupted=${s.interrupted} dropped=${s.dropped}`);
  }
  return lines;
}
