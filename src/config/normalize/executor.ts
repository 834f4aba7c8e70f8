// A scenario's executor options → ExecutorConfig, with k6's defaults, k6's cross-field rules
// (maxVUs ≥ preAllocatedVUs, iterations ≥ vus for shared-iterations) and `profile:` expansion.
import type { Path } from "../issues.ts";
import type { ExecutorConfig, ExecutorType, Stage } from "../plan.ts";
import { expandProfile, type Profile } from "../profile.ts";
import { EXECUTORS } from "../schema/scenario.ts";
import { arr, isRecord, ms, num, rec, type NormalizeContext } from "./context.ts";

export const EXECUTOR_DEFAULTS = {
  vus: 1,
  iterations: 1,
  maxDuration: 10 * 60_000,
  gracefulStop: 30_000,
  gracefulRampDown: 30_000,
  timeUnit: 1_000,
  startVUs: 1,
  startRate: 0,
} as const;

export function normalizeExecutor(s: Record<string, unknown>, path: Path, ctx: NormalizeContext): ExecutorConfig | undefined {
  const type = s.executor as ExecutorType;
  if (!(EXECUTORS as readonly string[]).includes(type)) return undefined;
  const d = EXECUTOR_DEFAULTS;
  const int = (key: string, fallback: number) => num(s[key], fallback);
  const maxVUs = (pre: number, key = "preAllocatedVUs") => {
    const max = int("maxVUs", pre);
    if (max < pre) ctx.issues.error([...path, "maxVUs"], `maxVUs (${max}) is less than ${key} (${pre})`);
    return max;
  };
  const timeUnit = () => {
    const t = ms(s.timeUnit, d.timeUnit);
    if (t <= 0) ctx.issues.error([...path, "timeUnit"], "timeUnit must be more than 0");
    return t;
  };
  switch (type) {
    case "constant-vus":
      return { type, vus: int("vus", d.vus), duration: ms(s.duration, 0) };
    case "per-vu-iterations":
      return { type, vus: int("vus", d.vus), iterations: int("iterations", d.iterations), maxDuration: ms(s.maxDuration, d.maxDuration) };
    case "shared-iterations": {
      const vus = int("vus", d.vus);
      const iterations = int("iterations", d.iterations);
      if (iterations < vus) {
        ctx.issues.error([...path, "iterations"], `iterations (${iterations}) is less than vus (${vus}); some VUs would never run`, {
          hint: "raise iterations or lower vus",
        });
      }
      return { type, vus, iterations, maxDuration: ms(s.maxDuration, d.maxDuration) };
    }
    case "ramping-vus": {
      const { start, stages } = stagesOf(s, path, ctx, "startVUs", d.startVUs);
      return { type, startVUs: start, stages, gracefulRampDown: ms(s.gracefulRampDown, d.gracefulRampDown) };
    }
    case "constant-arrival-rate": {
      const pre = int("preAllocatedVUs", 0);
      return { type, rate: int("rate", 0), timeUnit: timeUnit(), duration: ms(s.duration, 0), preAllocatedVUs: pre, maxVUs: maxVUs(pre) };
    }
    case "ramping-arrival-rate": {
      const { start, stages } = stagesOf(s, path, ctx, "startRate", d.startRate);
      const pre = int("preAllocatedVUs", 0);
      return { type, startRate: start, timeUnit: timeUnit(), stages, preAllocatedVUs: pre, maxVUs: maxVUs(pre) };
    }
    case "externally-controlled": {
      const vus = int("vus", d.vus);
      return { type, vus, maxVUs: maxVUs(vus, "vus"), duration: ms(s.duration, 0) };
    }
  }
}

/** `stages` as written, or expanded from `profile`; exactly one of them. */
function stagesOf(s: Record<string, unknown>, path: Path, ctx: NormalizeContext, startKey: string, startDefault: number) {
  const start = num(s[startKey], startDefault);
  if (s.profile !== undefined && s.stages !== undefined) {
    ctx.issues.error([...path, "profile"], "profile and stages are both set; use one (profile expands to stages)", { at: "key" });
  } else if (s.profile === undefined && s.stages === undefined) {
    ctx.issues.error([...path, "stages"], `stages (or profile) is required for executor ${String(s.executor)}`, {
      hint: "e.g. stages: [{ duration: 30s, target: 10 }] or profile: { ramp: { to: 10, duration: 30s } }",
    });
  } else if (s.stages !== undefined && Array.isArray(s.stages) && s.stages.length === 0) {
    ctx.issues.error([...path, "stages"], "needs at least one stage");
  }
  if (s.profile !== undefined) {
    if (s[startKey] !== undefined) {
      ctx.issues.error([...path, startKey], `profile sets the start; remove ${startKey}`, { at: "key" });
    }
    const profile = profileOf(s.profile);
    if (profile) return expandProfile(profile);
    return { start, stages: [] };
  }
  const stages: Stage[] = arr(s.stages).map((stage) => ({ duration: ms(rec(stage).duration, 0), target: num(rec(stage).target, 0) }));
  return { start, stages };
}

/** The profile with durations in ms, or undefined when malformed (the schema reported it). */
function profileOf(raw: unknown): Profile | undefined {
  if (!isRecord(raw)) return undefined;
  const n = (v: unknown) => (typeof v === "number" ? v : undefined);
  const d = (v: unknown) => ms(v, Number.NaN);
  let profile: Profile | undefined;
  if (isRecord(raw.ramp)) profile = { ramp: { from: n(raw.ramp.from), to: n(raw.ramp.to) ?? 0, duration: d(raw.ramp.duration) } };
  else if (isRecord(raw.step)) {
    const p = raw.step;
    profile = { step: { from: n(p.from), to: n(p.to) ?? 0, steps: n(p.steps) ?? 1, stepDuration: d(p.stepDuration) } };
  } else if (isRecord(raw.spike)) {
    const p = raw.spike;
    profile = { spike: { base: n(p.base), peak: n(p.peak) ?? 0, rampUp: d(p.rampUp), hold: d(p.hold), rampDown: d(p.rampDown) } };
  }
  if (!profile) return undefined;
  const values = Object.values(Object.values(profile)[0] as Record<string, number | undefined>);
  return values.every((v) => v === undefined || Number.isFinite(v)) ? profile : undefined;
}
