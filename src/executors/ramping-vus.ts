// ramping-vus (k6): starts with startVUs and moves linearly to each stage's target over the
// stage's duration, one VU at a time (the count steps when the line reaches the next integer).
// VUs ramped down finish their iteration within gracefulRampDown, then it is aborted. After the
// last stage, running iterations get gracefulStop.
//
// The segment's VU count at any instant is its share (on the grid of the scenario's maximum) of
// the whole's count then, so at every instant the segments' counts sum to the whole's exactly.
import type { ExecutorConfig, Ms, Stage } from "../config/plan.ts";
import type { ExecutorModule } from "../plugin-api/types.ts";
import type { ExecutorPlan } from "../core/executors/types.ts";
import type { Segment } from "../core/segment.ts";
import { duration, int, optional } from "../config/schema/helpers.ts";
import { profile, stages } from "../config/schema/executor-options.ts";
import { stagesDurationMs, stagesOf } from "../config/normalize/executor-options.ts";
import { ms } from "../config/normalize/context.ts";
import { shareWithin } from "../core/segment.ts";
import { planVus } from "../core/executors/plan-helpers.ts";
import { ExecutorRun } from "../core/executors/lifecycle.ts";
import { VuSlots } from "../core/executors/vu-slots.ts";

/** k6's defaults. */
const DEFAULTS = { startVUs: 1, gracefulRampDown: 30_000 } as const;

export interface RampingVusConfig extends ExecutorConfig {
  readonly type: "ramping-vus";
  startVUs: number;
  stages: Stage[];
  gracefulRampDown: Ms;
}

/** From `atMs` on, this segment runs `vus` VUs. Sorted, strictly increasing atMs, first at 0. */
export interface VuStep {
  atMs: number;
  vus: number;
}

export interface RampingVusPlan extends ExecutorPlan {
  type: "ramping-vus";
  steps: VuStep[];
  gracefulRampDownMs: number;
}

/** The whole scenario's VU count over time: a step at each time the count changes. PURE. */
export function wholeVuSteps(startVUs: number, stages: readonly Stage[]): VuStep[] {
  const steps: VuStep[] = [{ atMs: 0, vus: Math.max(0, Math.floor(startVUs)) }];
  const put = (atMs: number, vus: number) => {
    const last = steps[steps.length - 1]!;
    if (last.atMs === atMs) last.vus = vus;
    else if (last.vus !== vus) steps.push({ atMs, vus });
  };
  let at = 0;
  let from = steps[0]!.vus;
  for (const stage of stages) {
    const to = Math.max(0, Math.floor(stage.target));
    const d = Math.max(0, stage.duration);
    if (d === 0 || to === from) {
      put(at, to);
    } else {
      const span = Math.abs(to - from);
      const dir = to > from ? 1 : -1;
      for (let i = 1; i <= span; i++) put(at + (d * i) / span, from + dir * i);
    }
    at += d;
    from = to;
  }
  return steps;
}

/** The segment's steps: its share of each whole step on the grid of `maximum` VUs. */
export function segmentVuSteps(whole: readonly VuStep[], maximum: number, segment: Segment): VuStep[] {
  const steps: VuStep[] = [];
  for (const step of whole) {
    const vus = shareWithin(step.vus, maximum, segment);
    if (steps.length === 0 || steps[steps.length - 1]!.vus !== vus) steps.push({ atMs: step.atMs, vus });
  }
  return steps;
}

/** The most VUs of the whole scenario at any time. */
const maximumOf = (whole: readonly VuStep[]) => Math.max(0, ...whole.map((s) => s.vus));

export const rampingVus: ExecutorModule<RampingVusConfig, RampingVusPlan> = {
  type: "ramping-vus",
  options: { startVUs: optional(int(0)), stages, profile, gracefulRampDown: optional(duration) },
  normalize(raw, path, ctx) {
    const { start, stages } = stagesOf(raw, path, ctx, "startVUs", DEFAULTS.startVUs);
    return { type: "ramping-vus", startVUs: start, stages, gracefulRampDown: ms(raw.gracefulRampDown, DEFAULTS.gracefulRampDown) };
  },
  durationMs: (config) => stagesDurationMs(config.stages),
  maxVus: (config) => maximumOf(wholeVuSteps(config.startVUs, config.stages)),
  plan(config, segment) {
    const whole = wholeVuSteps(config.startVUs, config.stages);
    const maximum = maximumOf(whole);
    return {
      type: "ramping-vus",
      segment,
      vus: planVus(maximum, segment),
      steps: maximum > 0 ? segmentVuSteps(whole, maximum, segment) : [{ atMs: 0, vus: 0 }],
      gracefulRampDownMs: config.gracefulRampDown,
      durationMs: stagesDurationMs(config.stages),
      iterations: null,
      warnings: [],
    };
  },
  async run(plan, ctx) {
    const run = new ExecutorRun(ctx);
    const slots = new VuSlots(run, plan.vus, { rampDownMs: plan.gracefulRampDownMs });
    for (const step of plan.steps) {
      await run.runUntil(step.atMs);
      if (run.stopStarting.signal.aborted) break;
      slots.setTarget(step.vus);
    }
    await run.runUntil(plan.durationMs);
    return run.finish(slots.ended());
  },
};
