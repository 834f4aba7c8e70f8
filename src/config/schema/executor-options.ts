// Option schemas that several executors share (k6 names). An executor spreads them into its own
// `options` (src/executors/*.ts); their values are read by normalize/executor-options.ts.
import type * as v from "valibot";
import { byKey, duration, int, list, num, optional, strict, type Schema } from "./helpers.ts";

const stage: Schema = strict({ duration, target: num(0) }, "stage");

/** `stages: [{ duration, target }]`: the load (VUs or a rate) moves linearly to each target. */
export const stages: Schema = optional(list(stage, "stages"));

const PROFILES: Record<string, Schema> = {
  ramp: strict({ ramp: strict({ from: optional(num(0)), to: num(0), duration }, "ramp profile") }, "profile"),
  step: strict(
    { step: strict({ from: optional(num(0)), to: num(0), steps: int(1), stepDuration: duration }, "step profile") },
    "profile",
  ),
  spike: strict(
    { spike: strict({ base: optional(num(0)), peak: num(0), rampUp: duration, hold: duration, rampDown: duration }, "spike profile") },
    "profile",
  ),
};

/** `profile:` — a shorthand that expands to a start value and `stages` (config/profile.ts). */
export const profile: Schema = optional(byKey("profile", () => PROFILES, "profile"));

/** The unit a rate is counted per (default 1s). */
export const timeUnit: Schema = optional(duration);

/** Iteration budgets: `vus` VUs, `iterations`, within `maxDuration`. */
export const ITERATION_OPTIONS: v.ObjectEntries = { vus: optional(int(1)), iterations: optional(int(1)), maxDuration: optional(duration) };

/** A pool of VUs that grows on demand: `preAllocatedVUs` created up front, at most `maxVUs`. */
export const VU_POOL_OPTIONS: v.ObjectEntries = { preAllocatedVUs: int(0), maxVUs: optional(int(0)) };
