// externally-controlled (k6): `vus` VUs loop until `duration` passes (0: until stopped); the VU
// count changes at run time through scale(vus). VUs scaled away finish their current iteration.
//
// Scale contract: `vus` is always the SCENARIO-WIDE count the user asked for (clamped to maxVUs),
// whoever passes it on (control API → LocalRun → every worker; controller → every agent → every
// worker). Each segment takes its exact share of it ONCE, here, on the grid of maxVUs, the way
// `plan` shares `vus`; a caller must never pass a share, or it would be split again.
import type { ExecutorConfig, Ms } from "../config/plan.ts";
import type { ExecutorModule } from "../plugin-api/types.ts";
import type { ExecutorPlan } from "../core/executors/types.ts";
import { duration, int, optional } from "../config/schema/helpers.ts";
import { DEFAULT_VUS, maxVusOf } from "../config/normalize/executor-options.ts";
import { ms, num } from "../config/normalize/context.ts";
import { shareWithin } from "../core/segment.ts";
import { planVus } from "../core/executors/plan-helpers.ts";
import { ExecutorRun } from "../core/executors/lifecycle.ts";
import { VuSlots } from "../core/executors/vu-slots.ts";

export interface ExternallyControlledConfig extends ExecutorConfig {
  readonly type: "externally-controlled";
  /** The scenario-wide VUs at the start. */
  vus: number;
  /** The scenario-wide most VUs `scale` may ask for. */
  maxVUs: number;
  /** 0: until stopped. */
  duration: Ms;
}

export interface ExternallyControlledPlan extends ExecutorPlan {
  type: "externally-controlled";
  /** The scenario-wide maxVUs: `scale(vus)` requests are clamped to it, then shared. */
  globalMaxVus: number;
}

const maximumOf = (config: ExternallyControlledConfig) => Math.max(0, Math.floor(Math.max(config.maxVUs, config.vus)));
const durationOf = (config: ExternallyControlledConfig) => (config.duration > 0 ? config.duration : Infinity);

export const externallyControlled: ExecutorModule<ExternallyControlledConfig, ExternallyControlledPlan> = {
  type: "externally-controlled",
  options: { vus: optional(int(0)), maxVUs: optional(int(0)), duration },
  normalize(raw, path, ctx) {
    const vus = num(raw.vus, DEFAULT_VUS);
    return { type: "externally-controlled", vus, maxVUs: maxVusOf(raw, path, ctx, vus, "vus"), duration: ms(raw.duration, 0) };
  },
  durationMs: durationOf,
  maxVus: maximumOf,
  plan(config, segment) {
    const globalMaxVus = maximumOf(config);
    return {
      type: "externally-controlled",
      segment,
      vus: planVus(globalMaxVus, segment, config.vus),
      globalMaxVus,
      durationMs: durationOf(config),
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
  scale: (config, vus) => ({ ...config, vus: Math.max(0, Math.min(Math.floor(vus), config.maxVUs)) }),
};
