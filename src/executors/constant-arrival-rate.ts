// constant-arrival-rate (k6): `rate` iterations per `timeUnit` for `duration`, open model: the
// start of an iteration never waits for another to end. preAllocatedVUs are created up front,
// more on demand up to maxVUs; an arrival with no free VU is dropped (dropped_iterations).
import type { ExecutorConfig, Ms } from "../config/plan.ts";
import type { ExecutorModule } from "../plugin-api/types.ts";
import type { ArrivalRatePlan } from "../core/executors/types.ts";
import { duration, num } from "../config/schema/helpers.ts";
import { timeUnit, VU_POOL_OPTIONS } from "../config/schema/executor-options.ts";
import { timeUnitOf, vuPoolOf } from "../config/normalize/executor-options.ts";
import { ms, num as numberOr } from "../config/normalize/context.ts";
import { constantProfile } from "../core/executors/rate-profile.ts";
import { arrivalsMaxVus, planArrivals } from "../core/executors/arrival-plan.ts";
import { runArrivals } from "../core/executors/arrival-runner.ts";

export interface ConstantArrivalRateConfig extends ExecutorConfig {
  readonly type: "constant-arrival-rate";
  rate: number;
  timeUnit: Ms;
  duration: Ms;
  preAllocatedVUs: number;
  maxVUs: number;
}

export const constantArrivalRate: ExecutorModule<ConstantArrivalRateConfig, ArrivalRatePlan> = {
  type: "constant-arrival-rate",
  options: { rate: num(0, true), timeUnit, duration, ...VU_POOL_OPTIONS },
  normalize: (raw, path, ctx) => ({
    type: "constant-arrival-rate",
    rate: numberOr(raw.rate, 0),
    timeUnit: timeUnitOf(raw, path, ctx),
    duration: ms(raw.duration, 0),
    ...vuPoolOf(raw, path, ctx),
  }),
  durationMs: (config) => config.duration,
  maxVus: (config) => arrivalsMaxVus(config.preAllocatedVUs, config.maxVUs),
  plan(config, segment) {
    const profile = constantProfile(config.rate, config.timeUnit, config.duration);
    return planArrivals("constant-arrival-rate", profile, config.preAllocatedVUs, config.maxVUs, segment);
  },
  run: runArrivals,
};
