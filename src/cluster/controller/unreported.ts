// What a lost agent did that never reached the controller. An agent ships its counts once a
// second; one that dies without flushing (kill -9, a crash, a cut cable) takes the work since its
// last batch with it. The controller keeps each agent's last few batches (when each was sent, on
// the controller's clock; requests; iterations) and, for a lost agent whose final batch never
// came, estimates the gap as its recent rate × the time between its last batch and its loss (plus
// the up to one second of counts a batch cuts before it is sent, BATCH_COVER_LAG_MS). For
// an agent that went silent (kill -STOP) the window runs to the end of the liveness window, so
// the estimate is then an upper bound.
//
// Contract: pure; run-merge.ts records a mark per merged batch, run-view.ts and run-end.ts read
// the estimate at the end of the run.
import type { MetricDelta } from "../../metrics/types.ts";
import { seriesName } from "../../metrics/series.ts";

/** Batches kept per agent for its rate: about the last five seconds. */
const RECENT_BATCHES = 6;
/** A batch's own send time is trusted when it lies within this much before its arrival. */
const MAX_SEND_LAG_MS = 10_000;
/**
 * A batch's counts end before it is sent: each worker thread cuts its delta once a second and the
 * process ships the merge when the last of them arrived. So the work missing after a last batch
 * spans up to this much more than the time since it was sent; the estimate counts it, so that it
 * bounds the gap rather than undercounting it.
 */
const BATCH_COVER_LAG_MS = 1_000;
/** Request counters follow k6's naming, one per protocol: http_reqs, grpc_reqs, … */
const REQUEST_COUNTER = /_reqs$/;
const ITERATIONS = "iterations";

/**
 * When a batch was sent, on the controller's clock: the agent's stamp (`sentUnixMs`, its clock)
 * less its clock offset, so a batch that waited in a busy controller is not taken for later work;
 * its arrival when the stamp is missing or implausible (in the future, or long before arrival).
 */
export function sentAtOf(sentUnixMs: number, clockOffsetMs: number, arrivedUnixMs: number): number {
  const sent = sentUnixMs - clockOffsetMs;
  return Number.isFinite(sent) && sent <= arrivedUnixMs && arrivedUnixMs - sent <= MAX_SEND_LAG_MS ? sent : arrivedUnixMs;
}

/** One merged batch: when it was sent (controller clock, sentAtOf) and what it counted. */
export interface BatchMark {
  atUnixMs: number;
  requests: number;
  iterations: number;
}

/** What the controller remembers of an agent's batches. */
export interface ReportLog {
  /** When the last merged batch was sent (controller clock). */
  lastAtUnixMs?: number;
  /** The last RECENT_BATCHES marks, oldest first. */
  recent: BatchMark[];
  /** True once the agent's final batch (all of its load stopped and counted) was merged. */
  final: boolean;
}

export function emptyReportLog(): ReportLog {
  return { recent: [], final: false };
}

/** The requests and iterations a delta counts (every series of the request counters and of `iterations`). */
export function markOf(delta: MetricDelta, atUnixMs: number): BatchMark {
  const mark = { atUnixMs, requests: 0, iterations: 0 };
  for (const [key, value] of Object.entries(delta.counters)) {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) continue;
    const name = seriesName(key);
    if (name === ITERATIONS) mark.iterations += value;
    else if (REQUEST_COUNTER.test(name)) mark.requests += value;
  }
  return mark;
}

/** Records one merged batch. */
export function recordBatch(log: ReportLog, mark: BatchMark, final: boolean): void {
  log.lastAtUnixMs = mark.atUnixMs;
  log.recent.push(mark);
  if (log.recent.length > RECENT_BATCHES) log.recent.shift();
  if (final) log.final = true;
}

export interface UnreportedEstimate {
  /** From the agent's last batch (or the start, without one) to its loss, ms. */
  windowMs: number;
  requests: number;
  iterations: number;
}

/** Per millisecond, from the recent marks; undefined when no batch (or no time) gives a rate. */
export function recentRateOf(log: ReportLog, startAtUnixMs: number): { requests: number; iterations: number } | undefined {
  const marks = log.recent;
  const last = marks.at(-1);
  if (!last) return undefined;
  // Each batch counts the work since the one before it: the first mark opens the span.
  const first = marks.length >= 2 ? marks[0]! : undefined;
  const spanMs = last.atUnixMs - (first ? first.atUnixMs : startAtUnixMs);
  if (spanMs <= 0) return undefined;
  const counted = first ? marks.slice(1) : marks;
  let requests = 0;
  let iterations = 0;
  for (const m of counted) {
    requests += m.requests;
    iterations += m.iterations;
  }
  return { requests: requests / spanMs, iterations: iterations / spanMs };
}

/** When the run's counts were closed, for an agent lost at `lostAtUnixMs`. */
export interface LossTimes {
  lostAtUnixMs: number;
  /** The start barrier (controller clock); undefined when the load never started. */
  startAtUnixMs: number | undefined;
  /** The end of the run (its counts were closed then). */
  endedAtUnixMs: number;
}

/**
 * The estimate for a lost agent: zero once its final batch arrived (nothing is missing) or when
 * it was lost before the start. The window runs from its last batch to its loss, or to the end of
 * the run when batches still came after the loss (it spoke again, but its final batch did not
 * arrive in time). `rateKnown` is false when no batch gave a rate (the window is still named).
 */
export function unreportedEstimate(log: ReportLog, t: LossTimes): UnreportedEstimate & { rateKnown: boolean } {
  const { startAtUnixMs, lostAtUnixMs } = t;
  if (log.final || startAtUnixMs === undefined || lostAtUnixMs <= startAtUnixMs) return { windowMs: 0, requests: 0, iterations: 0, rateKnown: true };
  const from = log.lastAtUnixMs ?? startAtUnixMs;
  const until = from > lostAtUnixMs ? Math.max(from, t.endedAtUnixMs) : lostAtUnixMs;
  const windowMs = Math.max(0, until - from);
  const rate = recentRateOf(log, startAtUnixMs);
  if (!rate) return { windowMs, requests: 0, iterations: 0, rateKnown: false };
  const spanMs = windowMs + BATCH_COVER_LAG_MS;
  return { windowMs, requests: Math.ceil(rate.requests * spanMs), iterations: Math.ceil(rate.iterations * spanMs), rateKnown: true };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One sentence for the summary: what of a lost agent's work is missing from the figures. */
export function describeUnreported(log: ReportLog, t: LossTimes): string {
  const e = unreportedEstimate(log, t);
  if (log.final) return "Its final metrics arrived, so none of its work is missing from the figures.";
  if (t.startAtUnixMs === undefined || t.lostAtUnixMs <= t.startAtUnixMs) return "It was lost before the load started, so none of its work is missing from the figures.";
  if (!e.rateKnown) return `No metrics of it arrived, so what it did in the ${seconds(e.windowMs)} before it was lost is not in the figures and cannot be estimated.`;
  const last = log.lastAtUnixMs! - t.startAtUnixMs;
  return (
    `Its last metrics arrived ${seconds(last)} into the run; about ${e.requests} request(s) and ${e.iterations} iteration(s) ` +
    `of the ${seconds(e.windowMs)} after that are not in the figures (at most, from its last batches' rate).`
  );
}
