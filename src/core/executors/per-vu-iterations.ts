// per-vu-iterations (k6): each VU runs exactly `iterations` iterations, within maxDuration.
// A segment's total is (its VUs) × iterations, so shares sum to vus × iterations exactly.
import type { ExecutorConfig } from "../../config/plan.ts";
import type { ExecutorDefinition, PerVuIterationsPlan } from "./types.ts";
import { planVus } from "./plan-helpers.ts";
import { ExecutorRun } from "./lifecycle.ts";
import { VuSlots } from "./vu-slots.ts";

type Config = Extract<ExecutorConfig, { type: "per-vu-iterations" }>;

export const perVuIterations: ExecutorDefinition<Config, PerVuIterationsPlan> = {
  type: "per-vu-iterations",
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
