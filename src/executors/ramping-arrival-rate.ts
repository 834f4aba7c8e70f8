// ramping-arrival-rate (k6): the rate starts at startRate (per timeUnit) and moves linearly to each
// stage's target over its duration; arrivals follow the integral of that rate exactly. VUs as in
// constant-arrival-rate (preAllocatedVUs up front, up to maxVUs, else dropped).
import type { ExecutorConfig, Ms, Stage } from "../config/plan.ts";
import type { ExecutorModule } from "../plugin-api/types.ts";
import type { ArrivalRatePlan } from "../core/executors/types.ts";
import { num, optional } from "../config/schema/helpers.ts";
import { profile, stages, timeUnit, VU_POOL_OPTIONS } from "../config/schema/executor-options.ts";
import { stagesDurationMs, stagesOf, timeUnitOf, vuPoolOf } from "../config/normalize/executor-options.ts";
import { rampingProfile } from "../core/executors/rate-profile.ts";
import { arrivalsMaxVus, planArrivals } from "../core/executors/arrival-plan.ts";
import { runArrivals } from "../core/executors/arrival-runner.ts";

/** k6's default start rate. */
const DEFAULT_START_RATE = 0;

export interface RampingArrivalRateConfig extends ExecutorConfig {
  readonly type: "ramping-arrival-rate";
  startRate: number;
  timeUnit: Ms;
  stages: Stage[];
  preAllocatedVUs: number;
  maxVUs: number;
}

export const rampingArrivalRate: ExecutorModule<RampingArrivalRateConfig, ArrivalRatePlan> = {
  type: "ramping-arrival-rate",
  options: { startRate: optional(num(0)), timeUnit, stages, profile, ...VU_POOL_OPTIONS },
  normalize(raw, path, ctx) {
    const { start, stages } = stagesOf(raw, path, ctx, "startRate", DEFAULT_START_RATE);
    return { type: "ramping-arrival-rate", startRate: start, timeUnit: timeUnitOf(raw, path, ctx), stages, ...vuPoolOf(raw, path, ctx) };
  },
  durationMs: (config) => stagesDurationMs(config.stages),
  maxVus: (config) => arrivalsMaxVus(config.preAllocatedVUs, config.maxVUs),
  plan(config, segment) {
    const profile = rampingProfile(config.startRate, config.timeUnit, config.stages);
    return planArrivals("ramping-arrival-rate", profile, config.preAllocatedVUs, config.maxVUs, segment);
  },
  run: runArrivals,
};
