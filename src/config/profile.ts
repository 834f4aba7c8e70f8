// `profile:` expands to `stages` for the executors whose load follows stages (LoadPilot-style load
// shapes; normalize/executor-options.ts reads it). The start value becomes the executor's start
// option (its start VUs or start rate). Targets are rounded to integers.
//
//   ramp:  { from: 0, to: 100, duration: 5m }
//          → start at `from` (default 0), one stage to `to` over `duration`.
//   step:  { from: 10, to: 50, steps: 5, stepDuration: 1m }
//          → `steps` levels evenly from `from` to `to` (10, 20, 30, 40, 50); each is reached at
//            once (a 0s stage) and held for `stepDuration`. With steps: 1 the only level is `to`
//            (held from the start).
//   spike: { base: 10, peak: 200, rampUp: 10s, hold: 1m, rampDown: 10s }
//          → start at `base` (default 0), ramp to `peak`, hold it, ramp back to `base`.
import type { Ms, Stage } from "./plan.ts";

export type Profile =
  | { ramp: { from?: number; to: number; duration: Ms } }
  | { step: { from?: number; to: number; steps: number; stepDuration: Ms } }
  | { spike: { base?: number; peak: number; rampUp: Ms; hold: Ms; rampDown: Ms } };

export function expandProfile(profile: Profile): { start: number; stages: Stage[] } {
  if ("ramp" in profile) {
    const { from = 0, to, duration } = profile.ramp;
    return { start: Math.round(from), stages: [{ duration, target: Math.round(to) }] };
  }
  if ("step" in profile) {
    const { from = 0, to, steps, stepDuration } = profile.step;
    const stages: Stage[] = [];
    for (let i = 0; i < steps; i++) {
      const level = Math.round(steps === 1 ? to : from + ((to - from) * i) / (steps - 1));
      if (i > 0) stages.push({ duration: 0, target: level });
      stages.push({ duration: stepDuration, target: level });
    }
    return { start: Math.round(steps === 1 ? to : from), stages };
  }
  const { base = 0, peak, rampUp, hold, rampDown } = profile.spike;
  return {
    start: Math.round(base),
    stages: [
      { duration: rampUp, target: Math.round(peak) },
      { duration: hold, target: Math.round(peak) },
      { duration: rampDown, target: Math.round(base) },
    ],
  };
}
