// constant-vus (k6): a fixed number of VUs loop iterations for `duration`; then running
// iterations get gracefulStop before a hard stop.
import type { ExecutorConfig, Ms } from "../config/plan.ts";
import type { ExecutorModule } from "../plugin-api/types.ts";
import type { ExecutorPlan } from "../core/executors/types.ts";
import { duration, int, optional } from "../config/schema/helpers.ts";
import { DEFAULT_VUS } from "../config/normalize/executor-options.ts";
import { ms, num } from "../config/normalize/context.ts";
import { planVus } from "../core/executors/plan-helpers.ts";
import { ExecutorRun } from "../core/executors/lifecycle.ts";
import { VuSlots } from "../core/executors/vu-slots.ts";

export interface ConstantVusConfig extends ExecutorConfig {
  readonly type: "constant-vus";
  vus: number;
  duration: Ms;
}

export interface ConstantVusPlan extends ExecutorPlan {
  type: "constant-vus";
}

export const constantVus: ExecutorModule<ConstantVusConfig, ConstantVusPlan> = {
  type: "constant-vus",
  options: { vus: optional(int(1)), duration },
  normalize: (raw) => ({ type: "constant-vus", vus: num(raw.vus, DEFAULT_VUS), duration: ms(raw.duration, 0) }),
  durationMs: (config) => config.duration,
  maxVus: (config) => Math.max(0, Math.floor(config.vus)),
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
