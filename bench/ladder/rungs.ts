// The rungs of the HTTP/1.1 cost ladder, bottom to top: each adds one layer of loadr to the one
// below, so the difference between two neighbours is what that layer costs per request. Shared by
// the harness (ladder.ts), the child that runs one rung (rung-main.ts) and the report (report.ts).

export const RUNGS = ["bare", "bare-async", "connection", "session", "engine-inline", "local-run", "binary"] as const;
export type RungName = (typeof RUNGS)[number];

/** What each rung adds over the previous one, for the report. */
export const RUNG_ADDS: Record<RungName, string> = {
  bare: "Bun.connect loop: one fixed request per socket, Content-Length framing, one performance.now() pair and a Float64Array store per request",
  "bare-async": "the same loop as one async function per connection awaiting one promise per request",
  connection: "loadr's Connection + ResponseParser (src/protocols/http1/connection.ts, response-parser.ts): deadlines, phase instants, full framing",
  session: "Http1Session (pool, targets, cookie jar, redirects check, timings) and the eleven HTTP samples per request into a real MetricStore, delta taken once a second",
  "engine-inline": "flow interpreter, executor and VU loop (constant-vus plan) on this thread, no worker",
  "local-run": "the worker thread: startLocalRun({ workers: 1 }) with the deltas merged on the main thread",
  binary: "the compiled binary: `loadr run --workers 1` (CLI, aggregator, live view, summary)",
};

/** How one rung run is bounded: an exact request count, or a duration (closed model either way). */
export type RungBudget = { requests: number } | { durationMs: number };

/** What the harness hands to a rung child (as JSON on its command line). */
export interface RungSpec {
  rung: RungName;
  url: string;
  connections: number;
  budget: RungBudget;
  /** A directory for the rung's plan and summary files. */
  dir: string;
  /** Report heapUsed after a forced GC, before (after warmup) and after the run (in-thread rungs). */
  heap?: boolean;
}

/** What a rung child prints as its last stdout line (JSON). */
export interface RungOutput {
  rung: RungName;
  /** Requests completed (responses or failures), as the rung counted them. */
  requests: number;
  /** Requests that failed or did not answer 200. */
  errors: number;
  /** The load window in seconds (first request started → last one finished). */
  loadSec: number;
  /** MB of heap in use after a forced GC, when `heap` was asked (in-thread rungs only). */
  heapBeforeMb?: number;
  heapAfterMb?: number;
}

export function isRung(name: string): name is RungName {
  return (RUNGS as readonly string[]).includes(name);
}
