// Readers of the options several executors share, with k6's defaults and cross-field rules; the
// executors' `normalize` (src/executors/*.ts) call them. Problems are reported through
// `ctx.issues`; a malformed value falls back quietly (the schema reported it).
import type { Path } from "../issues.ts";
import type { Ms, Stage } from "../plan.ts";
import { expandProfile, type Profile } from "../profile.ts";
import { arr, isRecord, ms, num, rec, type NormalizeContext } from "./context.ts";

/** k6's default VU count. */
export const DEFAULT_VUS = 1;
/** k6's default of `timeUnit`. */
export const DEFAULT_TIME_UNIT_MS = 1_000;
/** k6's defaults of an iteration budget. */
export const ITERATION_DEFAULTS = { vus: DEFAULT_VUS, iterations: 1, maxDuration: 10 * 60_000 } as const;

/** `vus`, `iterations`, `maxDuration` (schema: ITERATION_OPTIONS). */
export function iterationBudgetOf(raw: Record<string, unknown>): { vus: number; iterations: number; maxDuration: Ms } {
  const d = ITERATION_DEFAULTS;
  return { vus: num(raw.vus, d.vus), iterations: num(raw.iterations, d.iterations), maxDuration: ms(raw.maxDuration, d.maxDuration) };
}

/** `timeUnit`, which must be more than 0. */
export function timeUnitOf(raw: Record<string, unknown>, path: Path, ctx: NormalizeContext): Ms {
  const t = ms(raw.timeUnit, DEFAULT_TIME_UNIT_MS);
  if (t <= 0) ctx.issues.error([...path, "timeUnit"], "timeUnit must be more than 0");
  return t;
}

/** `maxVUs`, at least `floor` (the option named `floorKey`), which is also its default. */
export function maxVusOf(raw: Record<string, unknown>, path: Path, ctx: NormalizeContext, floor: number, floorKey: string): number {
  const max = num(raw.maxVUs, floor);
  if (max < floor) ctx.issues.error([...path, "maxVUs"], `maxVUs (${max}) is less than ${floorKey} (${floor})`);
  return max;
}

/** `preAllocatedVUs` and `maxVUs ≥ preAllocatedVUs` (schema: VU_POOL_OPTIONS). */
export function vuPoolOf(raw: Record<string, unknown>, path: Path, ctx: NormalizeContext): { preAllocatedVUs: number; maxVUs: number } {
  const preAllocatedVUs = num(raw.preAllocatedVUs, 0);
  return { preAllocatedVUs, maxVUs: maxVusOf(raw, path, ctx, preAllocatedVUs, "preAllocatedVUs") };
}

/**
 * The start value (option `startKey`) and `stages`, as written or expanded from `profile`:
 * exactly one of stages and profile, and no start value beside a profile (it sets the start).
 */
export function stagesOf(
  raw: Record<string, unknown>,
  path: Path,
  ctx: NormalizeContext,
  startKey: string,
  startDefault: number,
): { start: number; stages: Stage[] } {
  const start = num(raw[startKey], startDefault);
  if (raw.profile !== undefined && raw.stages !== undefined) {
    ctx.issues.error([...path, "profile"], "profile and stages are both set; use one (profile expands to stages)", { at: "key" });
  } else if (raw.profile === undefined && raw.stages === undefined) {
    ctx.issues.error([...path, "stages"], `stages (or profile) is required for executor ${String(raw.executor)}`, {
      hint: "e.g. stages: [{ duration: 30s, target: 10 }] or profile: { ramp: { to: 10, duration: 30s } }",
    });
  } else if (raw.stages !== undefined && Array.isArray(raw.stages) && raw.stages.length === 0) {
    ctx.issues.error([...path, "stages"], "needs at least one stage");
  }
  if (raw.profile !== undefined) {
    if (raw[startKey] !== undefined) {
      ctx.issues.error([...path, startKey], `profile sets the start; remove ${startKey}`, { at: "key" });
    }
    const profile = profileOf(raw.profile);
    if (profile) return expandProfile(profile);
    return { start, stages: [] };
  }
  const stages: Stage[] = arr(raw.stages).map((stage) => ({ duration: ms(rec(stage).duration, 0), target: num(rec(stage).target, 0) }));
  return { start, stages };
}

/** The sum of the stages' durations. */
export function stagesDurationMs(stages: readonly Stage[]): Ms {
  return stages.reduce((sum, s) => sum + Math.max(0, s.duration), 0);
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
