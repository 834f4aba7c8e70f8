// The one run loop: owns the per-second tick of a run for whichever host drives it (the local CLI
// run, a controller's run) and its one ending.
//
// Contract:
// - Single-threaded. The host either calls `start()` (the loop ticks on its own timer every
//   `tickMs`) or calls `tick()` itself from its own clock (a controller whose manager already has
//   a timer; the local CLI run, on each flush of its workers' deltas: core/run/types.ts onFlush;
//   a test). Never both.
// - Each tick, in this order: set the `vus`/`vus_max` gauges from the status source (only once
//   `status.reporting` is true: no made-up zeros before the load generators report); take ONE
//   interval from the aggregator (the loop is the aggregator's only `takeInterval` caller);
//   evaluate the thresholds; decide abortOnFail (at most once per run, never after `interrupt`;
//   `onAbort` is called once, the host stops the load); fan the same frozen snapshot out to every
//   consumer in order.
// - Consumers never block the loop: `onTick` is synchronous and a returned promise is ignored. A
//   consumer that throws is isolated (the others still get the snapshot, it keeps getting later
//   ones) and reported once through `onConsumerError`.
// - `finish()` is called once, after the host's last delta was merged: it stops the timer, takes
//   the final partial interval and fans it out (`final: true`; `vus` as last set while running,
//   `vus_max` from the final status when reporting, so a run shorter than a tick still has it),
//   uses that tick's threshold results as the final evaluation, builds the Summary (each
//   scenario with its final counts from the status, when reporting), decides the
//   outcome and exit code (core/run/outcome.ts), then awaits every consumer's `onFinish`
//   (concurrently, each isolated). Calling it again returns the same promise; `tick()` after it
//   does nothing and returns undefined.
import type { Aggregator } from "../../metrics/aggregator.ts";
import type { IntervalSnapshot } from "../../metrics/interval.ts";
import type { AbortDecision, ThresholdEvaluator, ThresholdResult } from "../thresholds/evaluator.ts";
import { buildSummary, type Summary, type SummaryMeta } from "./summary.ts";
import type { ExitCode } from "../../shared/exit-codes.ts";
import { decideOutcome, exitCodeOf, type RunOutcome } from "./outcome.ts";
import { summaryScenarios, type ScenarioStatus } from "./scenario-progress.ts";

/** Default period of `start()`'s timer. */
export const TICK_MS = 1000;

/** What the loop reads of the host each tick. Hosts extend it (S) with what their consumers need. */
export interface RunLoopStatus {
  /** Elapsed run time, ms (monotonic for a local run; the controller's clock for a cluster run). */
  elapsedMs: number;
  activeVus: number;
  maxVus: number;
  /** True once the load generators report (local: every worker reported its progress; controller: every agent did). */
  reporting: boolean;
  /** Every scenario's progress so far (core/run/scenario-progress.ts); the final one goes into the summary. */
  scenarios?: readonly ScenarioStatus[];
}

/** One tick as every consumer sees it. Frozen; the same object for every consumer. */
export interface RunSnapshot<S extends RunLoopStatus = RunLoopStatus> {
  /** 1 for the first tick, counting up; the final snapshot continues the count. */
  readonly tick: number;
  /** The status read at this tick. */
  readonly status: S;
  readonly interval: IntervalSnapshot;
  /** Every threshold evaluated on the cumulative metrics at this tick, in plan order. */
  readonly thresholds: readonly ThresholdResult[];
  /** The abortOnFail decision, on the tick that took it and every later one. */
  readonly abort?: AbortDecision;
  /** Whether someone stopped the run from outside (`interrupt`) by this tick: how. */
  readonly interrupted?: string;
  /** True for the snapshot `finish()` fans out (the final partial interval). */
  readonly final: boolean;
}

/** The end of a run, as `finish()` returns it and hands it to every consumer's `onFinish`. */
export interface RunResult<S extends RunLoopStatus = RunLoopStatus> {
  readonly status: S;
  /** The final evaluation (same as the final snapshot's). */
  readonly thresholds: readonly ThresholdResult[];
  readonly summary: Summary;
  readonly outcome: RunOutcome;
  readonly exitCode: ExitCode;
  readonly abort?: AbortDecision;
}

export interface RunConsumer<S extends RunLoopStatus = RunLoopStatus> {
  /** Names the consumer in error reports ("live view", "an output writing to a file"). */
  readonly name: string;
  /** Once per tick, synchronously; must not block. */
  onTick(snapshot: RunSnapshot<S>): void;
  /** Once, after the final snapshot; flush and close here. The loop awaits it. */
  onFinish?(result: RunResult<S>): void | Promise<void>;
}

export interface RunLoopOptions<S extends RunLoopStatus = RunLoopStatus> {
  aggregator: Aggregator;
  thresholds: ThresholdEvaluator;
  /** The status source, read once per tick and once at the end. Must not throw. */
  status: () => S;
  consumers?: readonly RunConsumer<S>[];
  /** Called once, with the tick's snapshot already built and before it is fanned out, when an abortOnFail threshold fails: stop the load. */
  onAbort?: (decision: AbortDecision) => void;
  /** Told once per consumer (or "onAbort") that threw, with its first error. Default: ignored. */
  onConsumerError?: (consumer: string, error: unknown) => void;
  /** Wall clock for the snapshots' unix times. Default `Date.now`. */
  now?: () => number;
  /** Period of `start()`'s timer. Default TICK_MS. */
  tickMs?: number;
}

export interface RunFinish {
  /** The summary's meta; `aborted` comes from the loop, `durationMs` defaults to the final status's elapsed time. */
  summary: Omit<SummaryMeta, "aborted" | "durationMs"> & { durationMs?: number };
  /** Set when the run broke: why (a worker crashed, every agent was lost). */
  failed?: string;
}

export class RunLoop<S extends RunLoopStatus = RunLoopStatus> {
  readonly #options: RunLoopOptions<S>;
  readonly #consumers: RunConsumer<S>[];
  readonly #failedConsumers = new Set<string>();
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #ticks = 0;
  #abort: AbortDecision | undefined;
  #interrupted: string | undefined;
  #finishing: Promise<RunResult<S>> | undefined;

  constructor(options: RunLoopOptions<S>) {
    this.#options = options;
    this.#consumers = [...(options.consumers ?? [])];
    this.#now = options.now ?? Date.now;
  }

  /** Adds a consumer; it gets every later tick and the finish. */
  addConsumer(consumer: RunConsumer<S>): void {
    this.#consumers.push(consumer);
  }

  /** Ticks every `tickMs` on a timer until `finish()`. */
  start(): void {
    if (this.#timer !== undefined || this.#finishing) return;
    this.#timer = setInterval(() => this.tick(), this.#options.tickMs ?? TICK_MS);
  }

  /** The abortOnFail decision taken so far, if any. */
  get abort(): AbortDecision | undefined {
    return this.#abort;
  }

  /** How the run was stopped from outside, if it was. */
  get interrupted(): string | undefined {
    return this.#interrupted;
  }

  /**
   * The run was stopped from outside (`how`: "Ctrl-C", "SIGTERM", "a stop control"). Only the
   * first call counts. From now on no abortOnFail decision is taken, and the outcome is
   * "interrupted" (exit 105). The host stops the load itself.
   */
  interrupt(how: string): void {
    this.#interrupted ??= how;
  }

  /** One tick (see the contract above); undefined once `finish()` was called. */
  tick(): RunSnapshot<S> | undefined {
    if (this.#finishing) return undefined;
    const { aggregator } = this.#options;
    const status = this.#options.status();
    if (status.reporting) {
      aggregator.setGauge("vus", status.activeVus);
      aggregator.setGauge("vus_max", status.maxVus);
    }
    const snapshot = this.#snapshot(status, false);
    this.#fanOut(snapshot);
    return snapshot;
  }

  /** Ends the run (see the contract above). */
  finish(end: RunFinish): Promise<RunResult<S>> {
    this.#finishing ??= this.#finish(end);
    return this.#finishing;
  }

  async #finish(end: RunFinish): Promise<RunResult<S>> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    const status = this.#options.status();
    if (status.reporting) this.#options.aggregator.setGauge("vus_max", status.maxVus);
    const final = this.#snapshot(status, true);
    this.#fanOut(final);
    const abort = this.#abort;
    const notes = [...end.summary.notes];
    if (this.#interrupted !== undefined) notes.unshift(`the run was interrupted (${this.#interrupted}) before the plan's end`);
    const summary = buildSummary(this.#options.aggregator, final.thresholds, {
      ...end.summary,
      scenarios: summaryScenarios(end.summary.scenarios, status.reporting ? status.scenarios : undefined),
      durationMs: end.summary.durationMs ?? status.elapsedMs,
      notes,
      ...(abort ? { aborted: { threshold: abort.key, expression: abort.expression, atMs: abort.atMs } } : {}),
    });
    const outcome = decideOutcome({
      ...(end.failed !== undefined ? { failed: end.failed } : {}),
      ...(this.#interrupted !== undefined ? { interrupted: this.#interrupted } : {}),
      ...(abort ? { abortedByThreshold: `${abort.key}: ${abort.expression}` } : {}),
      thresholdsOk: summary.thresholdsOk,
    });
    const result: RunResult<S> = Object.freeze({
      status,
      thresholds: final.thresholds,
      summary,
      outcome,
      exitCode: exitCodeOf(outcome),
      ...(abort ? { abort } : {}),
    });
    await Promise.all(
      this.#consumers.map(async (consumer) => {
        try {
          await consumer.onFinish?.(result);
        } catch (error) {
          this.#report(consumer.name, error);
        }
      }),
    );
    return result;
  }

  #snapshot(status: S, final: boolean): RunSnapshot<S> {
    const { aggregator, thresholds } = this.#options;
    const interval = aggregator.takeInterval({ elapsedMs: status.elapsedMs, unixMs: this.#now() });
    const results = Object.freeze(thresholds.evaluate(aggregator, status.elapsedMs));
    if (!final && this.#abort === undefined && this.#interrupted === undefined) {
      const decision = thresholds.shouldAbort(results, status.elapsedMs);
      if (decision) {
        this.#abort = Object.freeze(decision);
        try {
          this.#options.onAbort?.(decision);
        } catch (error) {
          this.#report("onAbort", error);
        }
      }
    }
    return Object.freeze({
      tick: ++this.#ticks,
      status,
      interval,
      thresholds: results,
      ...(this.#abort ? { abort: this.#abort } : {}),
      ...(this.#interrupted !== undefined ? { interrupted: this.#interrupted } : {}),
      final,
    });
  }

  #fanOut(snapshot: RunSnapshot<S>): void {
    for (const consumer of this.#consumers) {
      try {
        const returned: unknown = consumer.onTick(snapshot);
        if (returned instanceof Promise) returned.catch((error: unknown) => this.#report(consumer.name, error));
      } catch (error) {
        this.#report(consumer.name, error);
      }
    }
  }

  #report(name: string, error: unknown): void {
    if (this.#failedConsumers.has(name)) return;
    this.#failedConsumers.add(name);
    this.#options.onConsumerError?.(name, error);
  }
}
