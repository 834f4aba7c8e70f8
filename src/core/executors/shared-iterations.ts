// shared-iterations (k6): the VUs share a pool of `iterations`; each VU takes the next one until
// none is left or maxDuration passes. A segment's pool is laid over its VUs (shareWithin on the
// VU grid): shares sum to `iterations` exactly, and a segment without VUs gets no iterations.
import type { ExecutorConfig } from "../../config/plan.ts";
import type { ExecutorDefinition, SharedIterationsPlan } from "./types.ts";
import { shareWithin } from "../segment.ts";
import { planVus } from "./plan-helpers.ts";
import { ExecutorRun } from "./lifecycle.ts";
import { VuSlots } from "./vu-slots.ts";

type Config = Extract<ExecutorConfig, { type: "shared-iterations" }>;

export const sharedIterations: ExecutorDefinition<Config, SharedIterationsPlan> = {
  type: "shared-iterations",
  plan(config, segment) {
    const total = Math.max(0, Math.floor(config.vus));
    const iterations = total > 0 ? shareWithin(Math.max(0, Math.floor(config.iterations)), total, segment) : 0;
    return { type: "shared-iterations", segment, vus: planVus(total, segment), iterations, durationMs: config.maxDuration, warnings: [] };
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
