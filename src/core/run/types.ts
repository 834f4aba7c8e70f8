// The run engine as the CLI and a cluster agent see it: one process's share of a plan, driven
// by a pool of worker threads, reporting merged metric deltas once a second.
import type { PlanSource } from "../../config/plan.ts";
import type { MetricDelta } from "../../metrics/types.ts";
import type { Segment } from "../segment.ts";
import type { ProtocolDebug } from "../../protocols/types.ts";
import type { ScenarioStatus } from "../scheduler.ts";

export interface LocalRunOptions {
  source: PlanSource;
  /** This process's share of every scenario (`WHOLE` for a plain local run). */
  segment: Segment;
  /** Worker threads (default: one per core). */
  workers: number;
  /** Wall-clock ms (Date.now) at which load starts: the cluster's start barrier; now when absent. */
  startAtUnixMs?: number;
  /**
   * Extra modules for the plan (absolute paths or file: URLs of ES modules exporting
   * `modules: Partial<Modules>`, src/plugin-api/load-modules.ts), merged over the built-ins in
   * every worker thread.
   */
  moduleSpecifiers?: string[];
  /**
   * Show every exchange (`loadr run --http-debug`): the worker threads' sessions format each one
   * and `debug.write` receives its text on the main thread, in the order the threads send them.
   */
  debug?: ProtocolDebug;
  /**
   * JSON text of what the plan's hooks `setup` returned, for every worker (`${setup.x}`,
   * ctx.setup). The caller ran setup once for the whole run (src/hooks/lifecycle.ts): this
   * process's main thread for a local run, one agent for a distributed one.
   */
  setupJson?: string;
  /**
   * Receives the workers' deltas merged into one, about once a second, then (after all workers
   * have stopped and their last deltas were delivered) an empty one with `final: true`. Called
   * from the main thread; must not block.
   */
  onDelta(delta: MetricDelta, final: boolean): void;
  /**
   * Called after each flush of the workers' deltas of a second while the run goes on (after its
   * `onDelta`, also when the second was empty), never after the final one. A host that ticks
   * its run loop here gives each interval exactly the data of the span it measures: a tick on a
   * timer of its own would take each second's data up to a tick late and end with a short
   * interval that holds a whole second (a rate many times the real one).
   */
  onFlush?(): void;
}

export type RunState = "starting" | "running" | "paused" | "stopping" | "finished" | "stopped" | "failed";

/** The load generator's own health: when it is overloaded its latency figures are inflated. */
export interface GeneratorHealth {
  /** Worst event-loop lag of any worker over the last second, ms. */
  eventLoopLagMs: number;
  /** Busiest worker's CPU use over the last second, percent of one core. */
  cpuPercent: number;
  overloaded: boolean;
  /** Plain words for the user when overloaded. */
  reason?: string;
}

export interface LocalRunStatus {
  state: RunState;
  elapsedMs: number;
  activeVus: number;
  maxVus: number;
  /**
   * True once every worker thread reported its progress: until then VUs and scenarios read as
   * nothing started, which would be made up (the live view waits, the vus gauges are not set).
   */
  reporting: boolean;
  /** Every scenario's progress, added up over the worker threads (core/run/scenario-progress.ts), in plan order. */
  scenarios: ScenarioStatus[];
  health: GeneratorHealth;
}

export interface LocalRunOutcome {
  state: "finished" | "stopped" | "failed";
  /** Why it failed (which worker, what error), in words a user can act on. */
  error?: string;
  /** Sentences worth putting in the summary (generator overload, worker notes). */
  notes: string[];
}

export interface LocalRun {
  readonly done: Promise<LocalRunOutcome>;
  status(): LocalRunStatus;
  /** graceful: stop starting iterations, let running ones finish within gracefulStop. */
  stop(mode: "graceful" | "now"): void;
  pause(): void;
  resume(): void;
  /**
   * Sets the VUs of a scenario whose executor can scale (ExecutorDefinition.scale). `vus` is the
   * SCENARIO-WIDE count, never this process's share: every worker thread takes its own exact
   * share of it once (core/scheduler.ts → the executor), so the processes and workers of a run,
   * each given the same count, add up to it. A cluster controller sends every agent the count
   * the user asked for, unchanged.
   */
  scale(scenario: string, vus: number): void;
}
