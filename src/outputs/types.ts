// Outputs: where a run's metrics go besides the summary (k6 `output/types.go`). An output gets
// every merged delta as it arrives and does its own buffering and flushing.
//
// Contract:
// - `start` is awaited once before the first `add`; `stop` once after the last (after the final
//   delta), and must flush everything.
// - `add` is called on the main thread (or the controller's loop) for every delta, about once a
//   second per producer. It never blocks and never throws: buffer, write later.
import type { MetricDelta } from "../metrics/types.ts";

export interface MetricBatch {
  /** Wall-clock time the delta was received (Date.now()). */
  unixMs: number;
  /** Run time at which it was received, ms (monotonic). */
  elapsedMs: number;
  delta: MetricDelta;
}

export interface Output {
  /** One line for the start banner, e.g. "jsonl (results.jsonl)". */
  readonly description: string;
  start(): Promise<void>;
  add(batch: MetricBatch): void;
  /** Flushes and closes; `error` says the run failed (outputs may record it). */
  stop(error?: Error): Promise<void>;
}

/** What an output's factory is told about the run. */
export interface OutputContext {
  /** Relative output paths resolve against it (the process cwd). */
  cwd: string;
  planName: string;
}

/** A registry entry (src/outputs/registry.ts): `--out NAME=ARGUMENT` makes one `Output`. */
export interface OutputModule {
  readonly name: string;
  /** One line for `--help`, e.g. "jsonl=FILE  one JSON line per series per second". */
  readonly usage: string;
  /** Throws a ConfigError (src/shared/errors.ts) naming `--out` when the argument is wrong. */
  create(argument: string, context: OutputContext): Output;
}
