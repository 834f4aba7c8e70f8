// constant-vus (k6): a fixed number of VUs loop iterations for `duration`; then running
// iterations get gracefulStop before a hard stop.
import type { ExecutorConfig } from "../../config/plan.ts";
import type { ConstantVusPlan, ExecutorDefinition } from "./types.ts";
import { planVus } from "./plan-helpers.ts";
import { ExecutorRun } from "./lifecycle.ts";
import { VuSlots } from "./vu-slots.ts";

type Config = Extract<ExecutorConfig, { type: "constant-vus" }>;

export const constantVus: ExecutorDefinition<Config, ConstantVusPlan> = {
  type: "constant-vus",
  plan(config, segment) {
    return { type: "constant-vus", segment, vus: planVus(config.vus, segment), durationMs: config.duration, iterations: null, warnings: [] };
  },
  async run(plan, ctx) {
    const run = new ExecutorRun(ctx);
    const slots = new VuSlots(run, plan.vus, { rampDownMs: null });
    slots.setTarget(plan.vus.max);
    await run.runUntil(plan.durationMs);
    return run.finish(slots.ended());
  },
};
