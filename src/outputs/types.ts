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
import type { OutputSyntax } from "../config/syntax.ts";

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

/** What an output's factory is told about the run and its host. */
export interface OutputContext {
  /** Relative output paths resolve against it (the process cwd). */
  cwd: string;
  planName: string;
  /** Set by the controller: every point carries it as the tag `run_id` (outputs/series-view.ts). */
  runId?: string;
  /** The process environment, for options an output also reads from it (a token). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where this output was asked for, for its errors: "--out influxdb=…" or "plan.yaml:12:5 outputs[0]". */
  origin?: string;
  /** The receiver started failing or recovered (outputs/delivery-types.ts `onProblem`): the live view shows it. */
  onProblem?(message: string): void;
}

/**
 * A registry entry (src/outputs/registry.ts): `--out NAME=ARGUMENT`, or `- NAME: ARGUMENT` with
 * options in a plan's `outputs:` list, makes one `Output`.
 *
 * How an output declares its options (the same mechanism for every output): `options` holds
 * valibot entries of its own keys (config/syntax.ts `OutputSyntax`), beside the common ones every
 * output takes (config/schema/outputs.ts: `flushInterval`, `tags: {keep, drop}`, and `headers`
 * when `http` is true). The plan loader validates an `outputs:` entry against them (positions,
 * unknown keys); `create` then gets the validated values, strings with `${env.*}` rendered, and
 * durations in ms: `flushInterval` and every own key ending in `Interval` or `Timeout` (declare
 * those with config/schema/helpers.ts `duration`; config/normalize/outputs.ts). It reads the
 * common ones with outputs/common-options.ts, the points of a snapshot with outputs/series-view.ts
 * (tag filter, `run_id`), and a network output sends through outputs/delivery.ts (with
 * outputs/network.ts) and returns its `report()`. `--out` passes `{}`. Every output needs a
 * fixture in test/contract/outputs.contract.test.ts.
 */
export interface OutputModule extends OutputSyntax {
  /** Throws a ConfigError (src/shared/errors.ts) naming `context.origin` when the argument is wrong. */
  create(argument: string, options: Readonly<Record<string, unknown>>, context: OutputContext): Output;
}
