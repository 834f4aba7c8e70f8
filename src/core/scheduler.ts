// The per-worker scenario scheduler: plans every scenario for this segment (pure), starts each one
// at its startTime, runs them concurrently, and answers stop/pause/resume/scale/status. One per
// worker thread (or per process in tests); all calls on that thread's event loop.
//
// stop("graceful"): no new iterations anywhere (scenarios not started yet never start); running
// ones get their scenario's gracefulStop, then are aborted. stop("now"): abort running iterations.
// pause(): timelines (startTime delays, durations, stages, arrivals) stand still; nothing starts.
import type { ExecutorConfig, ScenarioSpec } from "../config/plan.ts";
import type { MetricSink } from "../metrics/types.ts";
import type { Segment } from "./segment.ts";
import type { VuFactory } from "./vu.ts";
import type { Clock } from "./clock.ts";
import { realClock } from "./clock.ts";
import type { ExecutorContext, ExecutorDefinition, ExecutorPlan, ExecutorStats } from "./executors/types.ts";
import { newStats } from "./executors/types.ts";
import { executorOf, type ExecutorRegistry } from "./executors/index.ts";
import { PauseControl, Timeline } from "./executors/pause.ts";

export interface SchedulerOptions {
  /** This worker's absolute share of every scenario. */
  segment: Segment;
  vuFactory: VuFactory;
  metrics: MetricSink;
  /** The executors the scenarios may use, by name (the composition root's registry, e.g. src/executors/registry.ts). */
  executors: ExecutorRegistry;
  /** Defaults to the real monotonic clock; tests pass a FakeClock. */
  clock?: Clock;
}

export interface ScenarioOutcome {
  name: string;
  started: number;
  completed: number;
  /** Cut off by a hard stop (end of gracefulStop or gracefulRampDown, or stop "now"). */
  interrupted: number;
  dropped: number;
  /** True when a stop came before the scenario's startTime: it never ran. */
  skipped: boolean;
}

export interface SchedulerOutcome {
  /** "stopped" when stop() was called before every scenario ended on its own. */
  state: "finished" | "stopped";
  scenarios: ScenarioOutcome[];
}

/**
 * One scenario's live progress in one segment: plain JSON, so it crosses the worker-thread and
 * agent boundaries as is; core/run/scenario-progress.ts adds up the segments' statuses.
 */
export interface ScenarioStatus {
  name: string;
  /** The executor's name (its registry key). */
  executor: string;
  state: "waiting" | "running" | "done";
  activeVus: number;
  /** The most VUs this segment may use in the scenario (its plan's share). */
  maxVus: number;
  /** Iterations started so far. */
  iterations: number;
  completed: number;
  /** Cut off by a hard stop (end of gracefulStop or gracefulRampDown, or stop "now"). */
  interrupted: number;
  dropped: number;
  /** When it starts, ms after the run's start (its startTime). */
  startTime: number;
  /** The scenario's own time so far, ms since its startTime (pauses excluded); 0 while waiting, frozen once done. */
  elapsedMs: number;
  /** When it stops starting iterations, ms after its start; null when only a stop ends it. */
  durationMs: number | null;
  /** Iteration-bound executors (ExecutorPlan.endsBy "iterations"): this segment's planned iterations; null otherwise. */
  plannedIterations: number | null;
}

export interface SchedulerStatus {
  /** VUs in use now (looping, or running an arrival's iteration). */
  activeVus: number;
  /** The most VUs this segment may use: the sum of every scenario's planned share. */
  maxVus: number;
  /** VUs created so far. */
  createdVus: number;
  scenarios: ScenarioStatus[];
}

export interface SchedulerHandle {
  /** Resolves when every scenario has ended. Rejects only on an executor bug (then every scenario was stopped hard). */
  readonly done: Promise<SchedulerOutcome>;
  stop(mode: "graceful" | "now"): void;
  pause(): void;
  resume(): void;
  /**
   * Sets a scenario's SCENARIO-WIDE VU count (never a share); this segment applies its own share
   * once. False when the scenario is unknown or its executor has no `scale` capability.
   */
  scale(scenario: string, vus: number): boolean;
  status(): SchedulerStatus;
  /** The plans computed for this segment, by scenario (read-only): the current ones, after any scale before a start. */
  readonly plans: ReadonlyMap<string, ExecutorPlan>;
}

interface Entry {
  spec: ScenarioSpec;
  definition: ExecutorDefinition;
  /** The config the plan was made from: the scenario's, or what `scale` made of it before the start. */
  config: ExecutorConfig;
  plan: ExecutorPlan;
  stats: ExecutorStats;
  state: ScenarioStatus["state"];
  /** The run's timeline when the scenario started, and its own elapsed time when it ended. */
  startedAt?: number;
  endedAfter?: number;
  scale?: (vus: number) => void;
}

export function runScenarios(scenarios: ScenarioSpec[], options: SchedulerOptions): SchedulerHandle {
  const clock = options.clock ?? realClock;
  const pause = new PauseControl(clock);
  const graceful = new AbortController();
  const hard = new AbortController();
  const timeline = new Timeline(clock, pause);
  let stopped = false;

  const entries: Entry[] = scenarios.map((spec) => {
    const definition = executorOf(spec.executor.type, options.executors);
    return { spec, definition, config: spec.executor, plan: definition.plan(spec.executor, options.segment), stats: newStats(), state: "waiting" };
  });

  async function runOne(entry: Entry): Promise<ScenarioOutcome> {
    const { spec } = entry;
    await timeline.waitUntil(spec.startTime, graceful.signal);
    const skipped = graceful.signal.aborted;
    if (!skipped) {
      const ctx: ExecutorContext = {
        scenario: spec,
        clock,
        tags: { scenario: spec.name },
        metrics: options.metrics,
        createVu: (id) => options.vuFactory(spec, id),
        gracefulStop: graceful.signal,
        hardStop: hard.signal,
        pause,
        onScale: (listener) => (entry.scale = listener),
        stats: entry.stats,
      };
      entry.state = "running";
      entry.startedAt = timeline.elapsed();
      try {
        await entry.definition.run(entry.plan, ctx);
      } catch (error) {
        hard.abort();
        graceful.abort();
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`scenario ${spec.name} (${spec.executor.type}) failed: ${message}`, { cause: error });
      } finally {
        entry.state = "done";
        entry.endedAfter = timeline.elapsed() - entry.startedAt;
        entry.scale = undefined;
      }
    } else {
      entry.state = "done";
    }
    const { started, completed, interrupted, dropped } = entry.stats;
    return { name: spec.name, started, completed, interrupted, dropped, skipped };
  }

  const done = Promise.all(entries.map(runOne)).then((outcomes) => ({
    state: stopped ? ("stopped" as const) : ("finished" as const),
    scenarios: outcomes,
  }));

  return {
    done,
    get plans() {
      return new Map(entries.map((e) => [e.spec.name, e.plan]));
    },
    stop(mode) {
      if (entries.every((e) => e.state === "done")) return;
      stopped = true;
      graceful.abort();
      if (mode === "now") hard.abort();
    },
    pause: () => pause.pause(),
    resume: () => pause.resume(),
    scale(scenario, vus) {
      const entry = entries.find((e) => e.spec.name === scenario);
      const scaled = entry?.definition.scale;
      if (!entry || !scaled) return false;
      if (entry.scale) entry.scale(vus);
      else if (entry.state === "waiting") {
        entry.config = scaled(entry.config, vus);
        entry.plan = entry.definition.plan(entry.config, options.segment);
      }
      return true;
    },
    status() {
      let activeVus = 0;
      let maxVus = 0;
      let createdVus = 0;
      const list: ScenarioStatus[] = [];
      for (const e of entries) {
        activeVus += e.stats.activeVus;
        maxVus += e.plan.vus.max;
        createdVus += e.stats.createdVus;
        list.push({
          name: e.spec.name,
          executor: e.spec.executor.type,
          state: e.state,
          activeVus: e.stats.activeVus,
          maxVus: e.plan.vus.max,
          iterations: e.stats.started,
          completed: e.stats.completed,
          interrupted: e.stats.interrupted,
          dropped: e.stats.dropped,
          startTime: Math.round(e.spec.startTime),
          elapsedMs: Math.round(e.endedAfter ?? (e.startedAt === undefined ? 0 : Math.max(0, timeline.elapsed() - e.startedAt))),
          durationMs: Number.isFinite(e.plan.durationMs) ? Math.round(e.plan.durationMs) : null,
          plannedIterations: e.plan.endsBy === "iterations" ? e.plan.iterations : null,
        });
      }
      return { activeVus, maxVus, createdVus, scenarios: list };
    },
  };
}

/** When the scenario stops starting iterations, ms after the run starts: startTime + duration (progress bars). */
export function expectedDurationMs(scenario: ScenarioSpec): number {
  return scenario.startTime + scenario.durationMs;
}

/** The latest the scenario can end: expectedDurationMs + gracefulStop. */
export function maxDurationMs(scenario: ScenarioSpec): number {
  return expectedDurationMs(scenario) + scenario.gracefulStop;
}

/** The plan's expected duration: the latest expectedDurationMs (0 with no scenario). */
export function planDurationMs(scenarios: readonly ScenarioSpec[]): number {
  return scenarios.reduce((max, s) => Math.max(max, expectedDurationMs(s)), 0);
}

/** The plan's longest possible duration: the latest maxDurationMs. */
export function planMaxDurationMs(scenarios: readonly ScenarioSpec[]): number {
  return scenarios.reduce((max, s) => Math.max(max, maxDurationMs(s)), 0);
}
