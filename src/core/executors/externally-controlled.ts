// externally-controlled (k6): `vus` VUs loop until `duration` passes (0: until stopped); the VU
// count changes at run time through scale(vus) (scenario-wide, clamped to maxVUs; each segment
// takes its exact share). VUs scaled away finish their current iteration.
import type { ExecutorConfig } from "../../config/plan.ts";
import type { ExecutorDefinition, ExternallyControlledPlan } from "./types.ts";
import { shareWithin } from "../segment.ts";
import { planVus } from "./plan-helpers.ts";
import { ExecutorRun } from "./lifecycle.ts";
import { VuSlots } from "./vu-slots.ts";

type Config = Extract<ExecutorConfig, { type: "externally-controlled" }>;

export const externallyControlled: ExecutorDefinition<Config, ExternallyControlledPlan> = {
  type: "externally-controlled",
  plan(config, segment) {
    const globalMaxVus = Math.max(0, Math.floor(Math.max(config.maxVUs, config.vus)));
    return {
      type: "externally-controlled",
      segment,
      vus: planVus(globalMaxVus, segment, config.vus),
      globalMaxVus,
      durationMs: config.duration > 0 ? config.duration : Infinity,
      iterations: null,
      warnings: [],
    };
  },
  async run(plan, ctx) {
    const run = new ExecutorRun(ctx);
    const slots = new VuSlots(run, plan.vus, { rampDownMs: null });
    slots.setTarget(plan.vus.initial);
    ctx.onScale((vus) => {
      const whole = Math.max(0, Math.min(plan.globalMaxVus, Math.floor(vus)));
      if (plan.globalMaxVus > 0) slots.setTarget(shareWithin(whole, plan.globalMaxVus, plan.segment));
    });
    await run.runUntil(plan.durationMs);
    return run.finish(slots.ended());
  },
};
