// The executor registry: an explicit map from k6's executor names to their definitions (no
// side-effect registration, so a bundle keeps every module).
import type { ExecutorConfig, ExecutorType } from "../../config/plan.ts";
import type { Segment } from "../segment.ts";
import type { ExecutorContext, ExecutorDefinition, ExecutorOutcome, ExecutorPlan } from "./types.ts";
import { sharedIterations } from "./shared-iterations.ts";
import { perVuIterations } from "./per-vu-iterations.ts";
import { constantVus } from "./constant-vus.ts";
import { rampingVus } from "./ramping-vus.ts";
import { constantArrivalRate } from "./constant-arrival-rate.ts";
import { rampingArrivalRate } from "./ramping-arrival-rate.ts";
import { externallyControlled } from "./externally-controlled.ts";

type Registry = { [T in ExecutorType]: ExecutorDefinition<Extract<ExecutorConfig, { type: T }>, any> };

export const EXECUTORS: Registry = {
  "shared-iterations": sharedIterations,
  "per-vu-iterations": perVuIterations,
  "constant-vus": constantVus,
  "ramping-vus": rampingVus,
  "constant-arrival-rate": constantArrivalRate,
  "ramping-arrival-rate": rampingArrivalRate,
  "externally-controlled": externallyControlled,
};

/** PURE: the plan of `config` for `segment`. */
export function planExecutor(config: ExecutorConfig, segment: Segment): ExecutorPlan {
  return (EXECUTORS[config.type] as ExecutorDefinition).plan(config, segment);
}

/** Runs a plan made by `planExecutor`. */
export function runExecutor(plan: ExecutorPlan, ctx: ExecutorContext): Promise<ExecutorOutcome> {
  return (EXECUTORS[plan.type] as ExecutorDefinition).run(plan, ctx);
}

export type * from "./types.ts";
