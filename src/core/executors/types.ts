// The executor contract (k6's load models). An executor first computes a PURE plan for its
// segment of a scenario (no I/O, no clock: tests check plans exhaustively), then runs that plan
// against an ExecutorContext the scheduler provides. One executor per file, gathered in index.ts.
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

interface PlanBase {
  segment: Segment;
  vus: PlanVus;
  /**
   * When the executor stops starting iterations, ms after its start (its duration, or maxDuration
   * for iteration-based ones); Infinity when only a stop ends it. gracefulStop comes on top.
   */
  durationMs: number;
  /** Iterations this segment will start if nothing stops it early; null when time-bound (VU loops). */
  iterations: number | null;
  /** Plain-words warnings about this segment's share (e.g. it owns arrivals but no VU). */
  warnings: string[];
}

export interface SharedIterationsPlan extends PlanBase {
  type: "shared-iterations";
  iterations: number;
}

export interface PerVuIterationsPlan extends PlanBase {
  type: "per-vu-iterations";
  iterations: number;
  iterationsPerVu: number;
}

export interface ConstantVusPlan extends PlanBase {
  type: "constant-vus";
}

/** From `atMs` on, this segment runs `vus` VUs. Sorted, strictly increasing atMs, first at 0. */
export interface VuStep {
  atMs: number;
  vus: number;
}

export interface RampingVusPlan extends PlanBase {
  type: "ramping-vus";
  steps: VuStep[];
  gracefulRampDownMs: number;
}

export interface ArrivalRatePlan extends PlanBase {
  type: "constant-arrival-rate" | "ramping-arrival-rate";
  /** The WHOLE scenario's rate over time; every segment walks the same global arrival sequence. */
  profile: RateProfile;
  /** Arrivals of the whole scenario (0-based global indexes 0 … totalArrivals-1). */
  totalArrivals: number;
  /** Which global arrival indexes are this segment's: its segment snapped to the maxVUs grid. */
  arrivalSegment: Segment;
  iterations: number;
}

export interface ExternallyControlledPlan extends PlanBase {
  type: "externally-controlled";
  /** The scenario-wide maxVUs: `scale(vus)` requests are clamped to it, then shared. */
  globalMaxVus: number;
}

export type ExecutorPlan =
  | SharedIterationsPlan
  | PerVuIterationsPlan
  | ConstantVusPlan
  | RampingVusPlan
  | ArrivalRatePlan
  | ExternallyControlledPlan;

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
  /** Registers the receiver of scale requests (scenario-wide VU counts); externally-controlled only. */
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
}

export function newStats(): ExecutorStats {
  return { activeVus: 0, createdVus: 0, started: 0, completed: 0, interrupted: 0, dropped: 0 };
}
