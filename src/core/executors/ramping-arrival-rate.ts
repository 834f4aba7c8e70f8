// ramping-arrival-rate (k6): the rate starts at startRate (per timeUnit) and moves linearly to each
// stage's target over its duration; arrivals follow the integral of that rate exactly. VUs as in
// constant-arrival-rate (preAllocatedVUs up front, up to maxVUs, else dropped).
import type { ExecutorConfig } from "../../config/plan.ts";
import type { ArrivalRatePlan, ExecutorDefinition } from "./types.ts";
import { rampingProfile } from "./rate-profile.ts";
import { planArrivals } from "./arrival-plan.ts";
import { runArrivals } from "./arrival-runner.ts";

type Config = Extract<ExecutorConfig, { type: "ramping-arrival-rate" }>;

export const rampingArrivalRate: ExecutorDefinition<Config, ArrivalRatePlan> = {
  type: "ramping-arrival-rate",
  plan(config, segment) {
    const profile = rampingProfile(config.startRate, config.timeUnit, config.stages);
    return planArrivals("ramping-arrival-rate", profile, config.preAllocatedVUs, config.maxVUs, segment);
  },
  run: runArrivals,
};
