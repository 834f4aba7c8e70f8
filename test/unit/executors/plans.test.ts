// Pure plans: over ANY partition of [0, 1) the segments' shares add up to the whole exactly.
import { describe, expect, test } from "bun:test";
import type { ExecutorConfig } from "../../../src/config/plan.ts";
import type { Segment } from "../../../src/core/segment.ts";
import { WHOLE, fraction, partition, subSegment } from "../../../src/core/segment.ts";
import { planExecutor as planWith } from "../../../src/core/executors/index.ts";
import type { ExecutorPlan } from "../../../src/core/executors/types.ts";
import { wholeVuSteps, type RampingVusPlan, type VuStep } from "../../../src/executors/ramping-vus.ts";
import type { ExternallyControlledConfig } from "../../../src/executors/externally-controlled.ts";
import { EXECUTORS } from "../../../src/executors/registry.ts";
import type { BuiltinConfig } from "./helpers.ts";

const planExecutor = (config: ExecutorConfig, segment: Segment) => planWith(config, segment, EXECUTORS);

const S = 1000;
const CONFIGS: Record<string, BuiltinConfig> = {
  "constant-vus 7": { type: "constant-vus", vus: 7, duration: 10 * S },
  "constant-vus 1": { type: "constant-vus", vus: 1, duration: 10 * S },
  "per-vu-iterations 7×3": { type: "per-vu-iterations", vus: 7, iterations: 3, maxDuration: 60 * S },
  "shared-iterations 100 over 7": { type: "shared-iterations", vus: 7, iterations: 100, maxDuration: 60 * S },
  "shared-iterations 5 over 3": { type: "shared-iterations", vus: 3, iterations: 5, maxDuration: 60 * S },
  "ramping-vus": {
    type: "ramping-vus",
    startVUs: 3,
    stages: [
      { duration: 10 * S, target: 37 },
      { duration: 0, target: 11 },
      { duration: 7 * S, target: 11 },
      { duration: 13 * S, target: 0 },
    ],
    gracefulRampDown: 5 * S,
  },
  "constant-arrival-rate 1/s": { type: "constant-arrival-rate", rate: 1, timeUnit: S, duration: 10 * S, preAllocatedVUs: 2, maxVUs: 5 },
  "constant-arrival-rate 0.5/s": { type: "constant-arrival-rate", rate: 0.5, timeUnit: S, duration: 10 * S, preAllocatedVUs: 4, maxVUs: 4 },
  "constant-arrival-rate 7/min": { type: "constant-arrival-rate", rate: 7, timeUnit: 60 * S, duration: 90 * S, preAllocatedVUs: 3, maxVUs: 7 },
  "constant-arrival-rate 500/s": { type: "constant-arrival-rate", rate: 500, timeUnit: S, duration: 30 * S, preAllocatedVUs: 50, maxVUs: 200 },
  "ramping-arrival-rate": {
    type: "ramping-arrival-rate",
    startRate: 0,
    timeUnit: S,
    stages: [
      { duration: 10 * S, target: 10 },
      { duration: 20 * S, target: 10 },
      { duration: 7 * S, target: 3 },
      { duration: 10 * S, target: 0 },
    ],
    preAllocatedVUs: 5,
    maxVUs: 23,
  },
  "externally-controlled": { type: "externally-controlled", vus: 5, maxVUs: 13, duration: 60 * S },
};

const WHOLE_ITERATIONS: Record<string, number | null> = {
  "per-vu-iterations 7×3": 21,
  "shared-iterations 100 over 7": 100,
  "shared-iterations 5 over 3": 5,
  "constant-arrival-rate 1/s": 10,
  "constant-arrival-rate 0.5/s": 5,
  "constant-arrival-rate 7/min": 11, // 10.5 due over 90 s: at 0, 8.57 s, …, 85.7 s
  "constant-arrival-rate 500/s": 15_000,
  "ramping-arrival-rate": 311, // 50 + 200 + 45.5 + 15 = 310.5 due
};

function vusAt(steps: readonly VuStep[], t: number): number {
  let vus = 0;
  for (const s of steps) if (s.atMs <= t) vus = s.vus;
  return vus;
}

/** Asserts that the plans of `segments` (a partition) add up to the whole plan. */
function expectSumsToWhole(config: ExecutorConfig, segments: Segment[]): void {
  const whole = planExecutor(config, WHOLE);
  const plans = segments.map((s) => planExecutor(config, s));
  const sum = (f: (p: ExecutorPlan) => number) => plans.reduce((a, p) => a + f(p), 0);
  expect(sum((p) => p.vus.max)).toBe(whole.vus.max);
  expect(sum((p) => p.vus.initial)).toBe(whole.vus.initial);
  if (whole.iterations !== null) expect(sum((p) => p.iterations ?? 0)).toBe(whole.iterations);
  // VU id ranges are disjoint and cover 1 … max.
  const ids = plans.flatMap((p) => Array.from({ length: p.vus.max }, (_, k) => p.vus.offset + k + 1));
  expect(new Set(ids).size).toBe(whole.vus.max);
  for (const p of plans) expect(p.vus.initial).toBeLessThanOrEqual(p.vus.max);
  if (whole.type === "ramping-vus") {
    for (const step of (whole as RampingVusPlan).steps) {
      expect(sum((p) => vusAt((p as RampingVusPlan).steps, step.atMs))).toBe(step.vus);
    }
    for (const p of plans as RampingVusPlan[]) for (const s of p.steps) expect(s.vus).toBeLessThanOrEqual(p.vus.max);
  }
  if (whole.type === "externally-controlled") expect(whole.vus.initial).toBe((config as ExternallyControlledConfig).vus);
}

/** A deterministic pseudo-random partition of [0, 1) into `parts` unequal segments. */
function unevenPartition(parts: number, seed: number): Segment[] {
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const cuts = new Set<string>();
  const points = [fraction(0, 1), fraction(1, 1)];
  while (points.length < parts + 1) {
    const den = 2 + Math.floor(rand() * 200);
    const num = 1 + Math.floor(rand() * (den - 1));
    const f = fraction(num, den);
    const key = `${f.num}/${f.den}`;
    if (cuts.has(key)) continue;
    cuts.add(key);
    points.push(f);
  }
  points.sort((a, b) => a.num / a.den - b.num / b.den);
  return points.slice(1).map((to, i) => ({ from: points[i]!, to }));
}

describe("plans: the whole", () => {
  for (const [name, expected] of Object.entries(WHOLE_ITERATIONS)) {
    test(`${name} plans ${expected} iterations`, () => {
      expect(planExecutor(CONFIGS[name]!, WHOLE).iterations).toBe(expected);
    });
  }
  test("ramping-vus steps one VU at a time along each stage", () => {
    const steps = wholeVuSteps(0, [
      { duration: 10 * S, target: 10 },
      { duration: 5 * S, target: 10 },
      { duration: 10 * S, target: 5 },
    ]);
    expect(steps[0]).toEqual({ atMs: 0, vus: 0 });
    expect(steps[1]).toEqual({ atMs: 1000, vus: 1 });
    expect(vusAt(steps, 9999)).toBe(9);
    expect(vusAt(steps, 10_000)).toBe(10);
    expect(vusAt(steps, 17_000)).toBe(9);
    expect(vusAt(steps, 25_000)).toBe(5);
  });
  test("constant-vus 7 over 3 parts: 2, 2, 3 with ids 1-2, 3-4, 5-7", () => {
    const plans = [0, 1, 2].map((i) => planExecutor(CONFIGS["constant-vus 7"]!, partition(i, 3)).vus);
    expect(plans).toEqual([
      { offset: 0, initial: 2, max: 2 },
      { offset: 2, initial: 2, max: 2 },
      { offset: 4, initial: 3, max: 3 },
    ]);
  });
  test("a segment without VUs owns no arrival and gets no shared iteration", () => {
    const rate = planExecutor({ ...CONFIGS["constant-arrival-rate 1/s"]!, preAllocatedVUs: 1, maxVUs: 1 } as BuiltinConfig, partition(0, 2));
    expect(rate.vus.max).toBe(0);
    expect(rate.iterations).toBe(0);
    const shared = planExecutor({ type: "shared-iterations", vus: 1, iterations: 10, maxDuration: S } as BuiltinConfig, partition(0, 2));
    expect(shared.iterations).toBe(0);
  });
});

describe("what a scenario states of its executor agrees with the executor's whole plan", () => {
  for (const [name, config] of Object.entries(CONFIGS)) {
    test(name, () => {
      const executor = EXECUTORS[config.type]!;
      const whole = planExecutor(config, WHOLE);
      expect(executor.maxVus(config)).toBe(whole.vus.max);
      expect(executor.durationMs(config)).toBe(whole.durationMs);
    });
  }
  test("externally-controlled with duration 0 runs until stopped", () => {
    const config = { type: "externally-controlled", vus: 1, maxVUs: 3, duration: 0 } as const;
    expect(EXECUTORS[config.type]!.durationMs(config)).toBe(Infinity);
    expect(EXECUTORS[config.type]!.maxVus(config)).toBe(3);
  });
});

describe("plans: shares of every partition i/n sum to the whole (n = 1..64)", () => {
  for (const [name, config] of Object.entries(CONFIGS)) {
    test(name, () => {
      for (let n = 1; n <= 64; n++) expectSumsToWhole(config, Array.from({ length: n }, (_, i) => partition(i, n)));
    });
  }
});

describe("plans: uneven and nested partitions", () => {
  for (const [name, config] of Object.entries(CONFIGS)) {
    test(name, () => {
      for (let parts = 2; parts <= 12; parts++) {
        for (let seed = 1; seed <= 5; seed++) expectSumsToWhole(config, unevenPartition(parts, seed * 7919 + parts));
      }
      // agents × workers: 3 agents of 2, 4 and 5 workers; 5 uneven agents of 3 workers.
      const nested = (agents: Segment[], workers: (i: number) => number) =>
        agents.flatMap((a, i) => Array.from({ length: workers(i) }, (_, w) => subSegment(a, partition(w, workers(i)))));
      expectSumsToWhole(config, nested([0, 1, 2].map((i) => partition(i, 3)), (i) => [2, 4, 5][i]!));
      expectSumsToWhole(config, nested(unevenPartition(5, 42), () => 3));
    });
  }
});
