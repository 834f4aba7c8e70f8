// shared-iterations (k6): the VUs share a pool of `iterations`; each VU takes the next one until
// none is left or maxDuration passes. A segment's pool is laid over its VUs (shareWithin on the
// VU grid): shares sum to `iterations` exactly, and a segment without VUs gets no iterations.
import type { ExecutorConfig, Ms } from "../config/plan.ts";
import type { ExecutorModule } from "../plugin-api/types.ts";
import type { ExecutorPlan } from "../core/executors/types.ts";
import { ITERATION_OPTIONS } from "../config/schema/executor-options.ts";
import { iterationBudgetOf } from "../config/normalize/executor-options.ts";
import { shareWithin } from "../core/segment.ts";
import { planVus } from "../core/executors/plan-helpers.ts";
import { ExecutorRun } from "../core/executors/lifecycle.ts";
import { VuSlots } from "../core/executors/vu-slots.ts";

export interface SharedIterationsConfig extends ExecutorConfig {
  readonly type: "shared-iterations";
  vus: number;
  iterations: number;
  maxDuration: Ms;
}

export interface SharedIterationsPlan extends ExecutorPlan {
  type: "shared-iterations";
  iterations: number;
}

export const sharedIterations: ExecutorModule<SharedIterationsConfig, SharedIterationsPlan> = {
  type: "shared-iterations",
  options: ITERATION_OPTIONS,
  normalize(raw, path, ctx) {
    const budget = iterationBudgetOf(raw);
    if (budget.iterations < budget.vus) {
      ctx.issues.error([...path, "iterations"], `iterations (${budget.iterations}) is less than vus (${budget.vus}); some VUs would never run`, {
        hint: "raise iterations or lower vus",
      });
    }
    return { type: "shared-iterations", ...budget };
  },
  durationMs: (config) => config.maxDuration,
  maxVus: (config) => Math.max(0, Math.floor(config.vus)),
  plan(config, segment) {
    const total = Math.max(0, Math.floor(config.vus));
    const iterations = total > 0 ? shareWithin(Math.max(0, Math.floor(config.iterations)), total, segment) : 0;
    return { type: "shared-iterations", segment, vus: planVus(total, segment), iterations, durationMs: config.maxDuration, endsBy: "iterations", warnings: [] };
  },
  async run(plan, ctx) {
    const run = new ExecutorRun(ctx);
    let taken = 0;
    const claim = () => (taken < plan.iterations ? (taken++, true) : false);
    const slots = new VuSlots(run, plan.vus, { rampDownMs: null, claim });
    slots.setTarget(plan.vus.max);
    await run.runUntil(plan.durationMs, slots.ended());
    return run.finish(slots.ended());
  },
};
