// per-vu-iterations (k6): each VU runs exactly `iterations` iterations, within maxDuration.
// A segment's total is (its VUs) × iterations, so shares sum to vus × iterations exactly.
import type { ExecutorConfig, Ms } from "../config/plan.ts";
import type { ExecutorModule } from "../plugin-api/types.ts";
import type { ExecutorPlan } from "../core/executors/types.ts";
import { ITERATION_OPTIONS } from "../config/schema/executor-options.ts";
import { iterationBudgetOf } from "../config/normalize/executor-options.ts";
import { planVus } from "../core/executors/plan-helpers.ts";
import { ExecutorRun } from "../core/executors/lifecycle.ts";
import { VuSlots } from "../core/executors/vu-slots.ts";

export interface PerVuIterationsConfig extends ExecutorConfig {
  readonly type: "per-vu-iterations";
  vus: number;
  iterations: number;
  maxDuration: Ms;
}

export interface PerVuIterationsPlan extends ExecutorPlan {
  type: "per-vu-iterations";
  iterations: number;
  iterationsPerVu: number;
}

export const perVuIterations: ExecutorModule<PerVuIterationsConfig, PerVuIterationsPlan> = {
  type: "per-vu-iterations",
  options: ITERATION_OPTIONS,
  normalize: (raw) => ({ type: "per-vu-iterations", ...iterationBudgetOf(raw) }),
  durationMs: (config) => config.maxDuration,
  maxVus: (config) => Math.max(0, Math.floor(config.vus)),
  plan(config, segment) {
    const vus = planVus(config.vus, segment);
    const iterationsPerVu = Math.max(0, Math.floor(config.iterations));
    return {
      type: "per-vu-iterations",
      segment,
      vus,
      iterationsPerVu,
      iterations: vus.max * iterationsPerVu,
      durationMs: config.maxDuration,
      endsBy: "iterations",
      warnings: [],
    };
  },
  async run(plan, ctx) {
    const run = new ExecutorRun(ctx);
    const done = new Array<number>(plan.vus.max).fill(0);
    const claim = (k: number) => (done[k]! < plan.iterationsPerVu ? (done[k]!++, true) : false);
    const slots = new VuSlots(run, plan.vus, { rampDownMs: null, claim });
    slots.setTarget(plan.vus.max);
    await run.runUntil(plan.durationMs, slots.ended());
    return run.finish(slots.ended());
  },
};
