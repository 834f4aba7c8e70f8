// constant-arrival-rate (k6): `rate` iterations per `timeUnit` for `duration`, open model: the
// start of an iteration never waits for another to end. preAllocatedVUs are created up front,
// more on demand up to maxVUs; an arrival with no free VU is dropped (dropped_iterations).
import type { ExecutorConfig } from "../../config/plan.ts";
import type { ArrivalRatePlan, ExecutorDefinition } from "./types.ts";
import { constantProfile } from "./rate-profile.ts";
import { planArrivals } from "./arrival-plan.ts";
import { runArrivals } from "./arrival-runner.ts";

type Config = Extract<ExecutorConfig, { type: "constant-arrival-rate" }>;

export const constantArrivalRate: ExecutorDefinition<Config, ArrivalRatePlan> = {
  type: "constant-arrival-rate",
  plan(config, segment) {
    const profile = constantProfile(config.rate, config.timeUnit, config.duration);
    return planArrivals("constant-arrival-rate", profile, config.preAllocatedVUs, config.maxVUs, segment);
  },
  run: runArrivals,
};
