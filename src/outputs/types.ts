// Outputs: where a run's metrics go besides the summary (k6 `output/types.go`). An output is a
// consumer of the run loop (core/run/run-loop.ts), adapted by outputs/run-consumer.ts: it gets the
// loop's snapshot of each tick (whole metrics and every changed series of the interval) and does
// its own buffering and flushing (outputs/buffered-writer.ts). It never aggregates on its own.
//
// Contract:
// - `start` is awaited once before the run starts; it fails (with a ConfigError naming `--out`
//   when the argument is at fault) if the output cannot work, and then the run does not start.
// - `add` is called on the loop's thread once per tick, then once with the final partial
//   interval (`snapshot.final`). It never blocks and never throws: buffer, write later.
// - `stop` is awaited once after the final `add`; it flushes everything and closes. `error` says
//   the run failed (outputs may record it). It rejects when the output lost data (a failed write).
import type { RunSnapshot } from "../core/run/run-loop.ts";
import type { DeliveryReport } from "./delivery-types.ts";

export interface Output {
  /** One line for the start banner and error reports, e.g. "jsonl (results.jsonl)". */
  readonly description: string;
  start(): Promise<void>;
  add(snapshot: RunSnapshot): void;
  /** Flushes and closes; `error` says the run failed (outputs may record it). */
  stop(error?: Error): Promise<void>;
  /**
   * What reached the receiver and what was dropped (outputs/delivery-types.ts), read after
   * `stop`; the host puts a non-zero drop count in the summary's notes. Outputs that write a
   * local file and reject `stop` on a failed write need not implement it.
   */
  report?(): DeliveryReport;
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
  /** One line for `--help` and error messages, e.g. "jsonl=FILE  one JSON line per series per second". */
  readonly usage: string;
  /** Throws a ConfigError (src/shared/errors.ts) naming `--out` when the argument is wrong. */
  create(argument: string, context: OutputContext): Output;
}
