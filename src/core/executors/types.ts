// The executor contract (k6's load models). An executor first computes a PURE plan for its
// segment of a scenario (no I/O, no clock: tests check plans exhaustively), then runs that plan
// against an ExecutorContext the scheduler provides. One executor per file (src/executors/*.ts),
// gathered in the registry map the composition root passes to the scheduler
// (src/executors/registry.ts); each declares its own config and plan types on these bases.
import type { ExecutorConfig, ScenarioSpec } from "../../config/plan.ts";
import type { MetricSink, Tags } from "../../metrics/types.ts";
import type { Segment } from "../segment.ts";
import type { VirtualUser } from "../vu.ts";
import type { Clock } from "../clock.ts";
import type { PauseControl } from "./pause.ts";
import type { RateProfile } from "./rate-profile.ts";

/** The VUs of one segment. Their ids are offset + 1 … offset + max: unique per scenario across segments. */
export interface PlanVus {
  /** Index of this segment's first VU in the scenario's VU space (offsetOf(maximum, segment)). */
  offset: number;
  /** VUs created before the first iteration. */
  initial: number;
  /** Most VUs this segment may ever have: its share of the scenario's maximum. */
  max: number;
}

/** What every executor's plan has; an executor's own plan type extends it with what its run needs. */
export interface ExecutorPlan {
  /** The executor's name (its registry key). */
  type: string;
  segment: Segment;
  vus: PlanVus;
  /**
   * When the executor stops starting iterations, ms after its start (its duration, or maxDuration
   * for iteration-based ones); Infinity when only a stop ends it. gracefulStop comes on top.
   */
  durationMs: number;
  /** Iterations this segment will start if nothing stops it early; null when time-bound (VU loops). */
  iterations: number | null;
  /**
   * What ends the executor when nothing stops it: "time" (durationMs passes; the default) or
   * "iterations" (every one of `iterations` ran; durationMs is then only a cap). The live view
   * shows progress by it.
   */
  endsBy?: "time" | "iterations";
  /** Plain-words warnings about this segment's share (e.g. it owns arrivals but no VU). */
  warnings: string[];
}

/** The plan of the arrival-rate family (arrival-plan.ts, arrival-runner.ts): an open model on a rate profile. */
export interface ArrivalRatePlan extends ExecutorPlan {
  /** The WHOLE scenario's rate over time; every segment walks the same global arrival sequence. */
  profile: RateProfile;
  /** Arrivals of the whole scenario (0-based global indexes 0 … totalArrivals-1). */
  totalArrivals: number;
  /** Which global arrival indexes are this segment's: its segment snapped to the maxVUs grid. */
  arrivalSegment: Segment;
  iterations: number;
}

/** Live counters of one running executor; the executor updates them, status() reads them. */
export interface ExecutorStats {
  /** VUs currently in use (looping, or running an arrival's iteration). */
  activeVus: number;
  /** VUs created so far. */
  createdVus: number;
  started: number;
  completed: number;
  /** Iterations cut off by a hard stop (end of gracefulStop / gracefulRampDown, or stop "now"). */
  interrupted: number;
  /** Arrivals not started because every VU was busy and maxVUs was reached. */
  dropped: number;
}

export type ExecutorOutcome = Readonly<ExecutorStats>;

/**
 * What the scheduler gives a running executor. Single-threaded: all calls happen on the
 * executor's event loop. Executors must return promptly after `hardStop` aborts.
 */
export interface ExecutorContext {
  readonly scenario: ScenarioSpec;
  readonly clock: Clock;
  /** Tags of the executor's own samples: { scenario }. */
  readonly tags: Tags;
  readonly metrics: MetricSink;
  /** Creates VU `id` (wraps the VuFactory). The executor closes the VUs it created when it ends. */
  createVu(id: number): VirtualUser;
  /** Aborts when the run stops gracefully: start no more iterations; let running ones finish within gracefulStop. */
  readonly gracefulStop: AbortSignal;
  /** Aborts when the run stops now: abort running iterations and return. */
  readonly hardStop: AbortSignal;
  /** Pause freezes the scenario's timeline: no iteration starts while paused. */
  readonly pause: PauseControl;
  /**
   * Registers the receiver of scale requests while the executor runs (executors with the `scale`
   * capability only). It is given the SCENARIO-WIDE VU count, exactly as the user asked for it;
   * the executor applies this segment's share.
   */
  onScale(listener: (vus: number) => void): void;
  /** Counters the executor keeps current. */
  readonly stats: ExecutorStats;
}

export interface ExecutorDefinition<C extends ExecutorConfig = ExecutorConfig, P extends ExecutorPlan = ExecutorPlan> {
  readonly type: C["type"];
  /** PURE. This segment's share; over any partition the shares sum to the whole exactly. */
  plan(config: C, segment: Segment): P;
  /** Runs the plan to the end (duration + drain), a graceful stop + drain, or a hard stop. Never rejects on iteration failures. */
  run(plan: P, ctx: ExecutorContext): Promise<ExecutorOutcome>;
  /**
   * The capability to change the VU count at run time; executors without it cannot be scaled.
   * PURE: the config a scenario that has not started yet runs with after `scale(vus)`, where
   * `vus` is the SCENARIO-WIDE count (never a segment's share: `plan` takes the share). Once
   * running, the executor's `ctx.onScale` listener receives the same scenario-wide count.
   */
  scale?(config: C, vus: number): C;
}

export function newStats(): ExecutorStats {
  return { activeVus: 0, createdVus: 0, started: 0, completed: 0, interrupted: 0, dropped: 0 };
}
