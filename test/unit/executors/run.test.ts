// Executors running on fake time with fake VUs (no real sleeping).
import { describe, expect, test } from "bun:test";
import type { ScenarioSpec } from "../../../src/config/plan.ts";
import type { Segment } from "../../../src/core/segment.ts";
import { WHOLE, fraction, partition } from "../../../src/core/segment.ts";
import { FakeClock } from "../../../src/core/clock.ts";
import { runScenarios, type SchedulerHandle } from "../../../src/core/scheduler.ts";
import { wholeVuSteps, type RampingVusConfig } from "../../../src/executors/ramping-vus.ts";
import { EXECUTORS } from "../../../src/executors/registry.ts";
import { FakeVus, RecordingSink, scenario } from "./helpers.ts";

const S = 1000;

function start(spec: ScenarioSpec | ScenarioSpec[], iterationMs?: (vu: number, n: number) => number, segment: Segment = WHOLE, clock = new FakeClock()) {
  const vus = new FakeVus(clock, iterationMs);
  const metrics = new RecordingSink();
  const handle = runScenarios(Array.isArray(spec) ? spec : [spec], { segment, vuFactory: vus.factory, metrics, clock, executors: EXECUTORS });
  return { clock, vus, metrics, handle };
}

async function finish(clock: FakeClock, handle: SchedulerHandle) {
  const outcome = await clock.runUntil(handle.done, 3600 * S);
  expect(clock.pending).toBe(0);
  return outcome;
}

describe("iteration-based", () => {
  test("per-vu-iterations runs exactly vus × iterations, each VU its own", async () => {
    const { clock, vus, handle } = start(scenario({ type: "per-vu-iterations", vus: 3, iterations: 4, maxDuration: 60 * S }), (vu) => 100 * vu);
    const outcome = await finish(clock, handle);
    expect(outcome.scenarios[0]).toMatchObject({ started: 12, completed: 12, interrupted: 0, dropped: 0 });
    expect([...vus.byVu().entries()].sort()).toEqual([[1, 4], [2, 4], [3, 4]]);
    expect(vus.closed.sort()).toEqual([1, 2, 3]);
    expect(Math.max(...vus.iterations.map((it) => it.end!))).toBe(1200); // VU 3: 4 × 300 ms
  });

  test("shared-iterations runs exactly `iterations`, shared by the VUs", async () => {
    const { clock, vus, handle } = start(scenario({ type: "shared-iterations", vus: 3, iterations: 10, maxDuration: 60 * S }), (vu) => (vu === 1 ? 50 : 200));
    const outcome = await finish(clock, handle);
    expect(outcome.scenarios[0]).toMatchObject({ started: 10, completed: 10 });
    expect(vus.iterations.length).toBe(10);
    expect(vus.byVu().get(1)!).toBeGreaterThan(vus.byVu().get(2)!); // the fast VU takes more
  });

  test("maxDuration stops starting; gracefulStop cut-offs are counted as interrupted", async () => {
    const spec = scenario({ type: "per-vu-iterations", vus: 2, iterations: 100, maxDuration: 1 * S }, { gracefulStop: 2 * S });
    const { clock, vus, handle } = start(spec, () => 5 * S);
    const outcome = await finish(clock, handle);
    expect(outcome.scenarios[0]).toMatchObject({ started: 2, completed: 0, interrupted: 2 });
    expect(vus.iterations.every((it) => it.interrupted && it.end === 3 * S)).toBe(true);
  });
});

describe("constant-vus", () => {
  test("keeps N VUs looping for the duration, then lets the last iterations finish", async () => {
    const { clock, vus, handle } = start(scenario({ type: "constant-vus", vus: 5, duration: 10 * S }), () => 300);
    await clock.advance(5 * S);
    expect(handle.status()).toMatchObject({ activeVus: 5, maxVus: 5 });
    expect(vus.running).toBe(5);
    const outcome = await finish(clock, handle);
    // Each VU starts at 0, 300, …, 9900 ms: 34 iterations; the last ends at 10.2 s.
    expect(outcome.scenarios[0]).toMatchObject({ started: 170, completed: 170, interrupted: 0 });
    expect(Math.max(...vus.iterations.map((it) => it.end!))).toBe(10_200);
    expect(vus.maxRunning).toBe(5);
  });

  test("stop('now') aborts running iterations", async () => {
    const { clock, handle } = start(scenario({ type: "constant-vus", vus: 4, duration: 60 * S }), () => 10 * S);
    await clock.advance(1 * S);
    handle.stop("now");
    const outcome = await finish(clock, handle);
    expect(outcome.state).toBe("stopped");
    expect(outcome.scenarios[0]).toMatchObject({ started: 4, interrupted: 4 });
    expect(clock.now()).toBe(1 * S);
  });

  test("stop('graceful') lets running iterations finish within gracefulStop", async () => {
    const { clock, handle } = start(scenario({ type: "constant-vus", vus: 2, duration: 60 * S }, { gracefulStop: 5 * S }), (vu) => (vu === 1 ? 2 * S : 20 * S));
    await clock.advance(1 * S);
    handle.stop("graceful");
    const outcome = await finish(clock, handle);
    expect(outcome.scenarios[0]).toMatchObject({ started: 2, completed: 1, interrupted: 1 });
    expect(clock.now()).toBe(6 * S);
  });
});

describe("ramping-vus", () => {
  test("follows the stages", async () => {
    const spec = scenario({
      type: "ramping-vus",
      startVUs: 0,
      stages: [
        { duration: 10 * S, target: 10 },
        { duration: 10 * S, target: 0 },
      ],
      gracefulRampDown: 1 * S,
    });
    const { clock, handle } = start(spec, () => 100);
    const seen: number[] = [];
    for (let t = 0; t < 20; t++) {
      await clock.advanceTo(t * S + 550);
      seen.push(handle.status().activeVus);
    }
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    const outcome = await finish(clock, handle);
    expect(outcome.scenarios[0]!.interrupted).toBe(0);
  });

  test("VUs ramped down get gracefulRampDown to finish, then are interrupted", async () => {
    const spec = scenario({
      type: "ramping-vus",
      startVUs: 4,
      stages: [
        { duration: 1 * S, target: 4 },
        { duration: 0, target: 1 },
        { duration: 10 * S, target: 1 },
      ],
      gracefulRampDown: 1 * S,
    });
    // At 1 s the count drops to 1: VU 2 ends within the ramp-down grace, VUs 3 and 4 do not.
    const { clock, vus, handle } = start(spec, (vu) => (vu === 2 ? 400 : 5 * S));
    await clock.advance(3 * S);
    expect(handle.status().activeVus).toBe(1);
    const cut = vus.iterations.filter((it) => it.interrupted);
    expect(cut.map((it) => [it.vu, it.end])).toEqual([
      [3, 2 * S],
      [4, 2 * S],
    ]);
    expect(vus.iterations.filter((it) => it.vu === 2).map((it) => it.end)).toEqual([400, 800, 1200]);
    await finish(clock, handle);
  });
});

describe("arrival rate", () => {
  test("1/s for 10 s starts exactly 10, on time", async () => {
    const { clock, vus, metrics, handle } = start(
      scenario({ type: "constant-arrival-rate", rate: 1, timeUnit: S, duration: 10 * S, preAllocatedVUs: 1, maxVUs: 2 }),
      () => 100,
    );
    const outcome = await finish(clock, handle);
    expect(outcome.scenarios[0]).toMatchObject({ started: 10, completed: 10, dropped: 0 });
    expect(vus.iterations.map((it) => it.start)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((s) => s * S));
    expect(metrics.values("iteration_start_delay")).toEqual(new Array(10).fill(0));
    expect(metrics.samples.find((s) => s.metric === "iteration_start_delay")!.tags).toEqual({ scenario: "s" });
  });

  test("7 per minute for 90 s: 11 arrivals, 60/7 s apart", async () => {
    const { clock, vus, handle } = start(
      scenario({ type: "constant-arrival-rate", rate: 7, timeUnit: 60 * S, duration: 90 * S, preAllocatedVUs: 1, maxVUs: 1 }),
    );
    await finish(clock, handle);
    expect(vus.iterations.length).toBe(11);
    vus.iterations.forEach((it, k) => expect(Math.abs(it.start - (k * 60 * S) / 7)).toBeLessThanOrEqual(1));
  });

  test("500/s for 30 s starts 15000 (within 0.5%), growing VUs on demand up to maxVUs", async () => {
    const { clock, vus, metrics, handle } = start(
      scenario({ type: "constant-arrival-rate", rate: 500, timeUnit: S, duration: 30 * S, preAllocatedVUs: 5, maxVUs: 100 }),
      () => 40,
    );
    const outcome = await finish(clock, handle);
    expect(Math.abs(outcome.scenarios[0]!.started - 15_000)).toBeLessThanOrEqual(75);
    expect(outcome.scenarios[0]!.dropped).toBe(0);
    expect(vus.created.length).toBeGreaterThan(5);
    expect(vus.created.length).toBeLessThanOrEqual(100);
    expect(Math.max(...metrics.values("iteration_start_delay"))).toBeLessThanOrEqual(1);
  });

  test("ramping-arrival-rate follows the integral of the rate", async () => {
    const spec = scenario({
      type: "ramping-arrival-rate",
      startRate: 0,
      timeUnit: S,
      stages: [
        { duration: 10 * S, target: 10 },
        { duration: 10 * S, target: 10 },
      ],
      preAllocatedVUs: 2,
      maxVUs: 10,
    });
    const { clock, vus, handle } = start(spec, () => 50);
    await clock.advanceTo(10 * S - 1);
    expect(vus.iterations.length).toBe(50); // ∫0..10s of t/s = 50 (arrivals 0 … 49 at √(2k) s)
    const outcome = await finish(clock, handle);
    expect(outcome.scenarios[0]!.started).toBe(150);
    expect(vus.iterations[8]!.start).toBe(4000); // A(4 s) = 8
  });

  test("with every VU busy and maxVUs reached, arrivals are dropped, not queued", async () => {
    const { clock, vus, metrics, handle } = start(
      scenario({ type: "constant-arrival-rate", rate: 10, timeUnit: S, duration: 10 * S, preAllocatedVUs: 1, maxVUs: 5 }),
      () => 1050,
    );
    const outcome = await finish(clock, handle);
    const s = outcome.scenarios[0]!;
    expect(s.started + s.dropped).toBe(100);
    expect(s.dropped).toBeGreaterThan(40);
    expect(metrics.sum("dropped_iterations")).toBe(s.dropped);
    expect(vus.created.length).toBe(5);
    expect(vus.maxRunning).toBe(5);
  });

  test("segments of a partition start exactly the whole's arrivals, with disjoint VU ids", async () => {
    const clock = new FakeClock();
    const spec = scenario({ type: "constant-arrival-rate", rate: 0.5, timeUnit: S, duration: 21 * S, preAllocatedVUs: 4, maxVUs: 8 });
    const runs = [0, 1, 2, 3].map((i) => start(spec, () => 100, partition(i, 4), clock));
    await clock.runUntil(Promise.all(runs.map((r) => r.handle.done)), 3600 * S);
    const starts = runs.flatMap((r) => r.vus.iterations.map((it) => it.start)).sort((a, b) => a - b);
    expect(starts).toEqual(Array.from({ length: 11 }, (_, k) => k * 2 * S));
    const ids = runs.flatMap((r) => r.vus.created);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("externally-controlled", () => {
  test("scale changes the VU count at run time, clamped to maxVUs", async () => {
    const { clock, handle } = start(scenario({ type: "externally-controlled", vus: 2, maxVUs: 10, duration: 60 * S }), () => 500);
    await clock.advance(1 * S);
    expect(handle.status().activeVus).toBe(2);
    expect(handle.scale("s", 6)).toBe(true);
    await clock.advance(1 * S);
    expect(handle.status().activeVus).toBe(6);
    handle.scale("s", 1);
    await clock.advance(1 * S);
    expect(handle.status().activeVus).toBe(1);
    handle.scale("s", 50);
    await clock.advance(1 * S);
    expect(handle.status().activeVus).toBe(10);
    expect(handle.scale("nope", 3)).toBe(false);
    handle.stop("graceful");
    await finish(clock, handle);
  });
});

describe("pause", () => {
  test("no iteration starts while paused; the timeline resumes where it stood", async () => {
    const { clock, vus, handle } = start(
      scenario({ type: "constant-arrival-rate", rate: 10, timeUnit: S, duration: 10 * S, preAllocatedVUs: 2, maxVUs: 5 }),
      () => 50,
    );
    await clock.advanceTo(2 * S - 1);
    const before = vus.iterations.length;
    handle.pause();
    await clock.advance(5 * S);
    expect(vus.iterations.length).toBe(before);
    handle.resume();
    const outcome = await finish(clock, handle);
    expect(outcome.scenarios[0]!.started).toBe(100);
    expect(vus.iterations[vus.iterations.length - 1]!.start).toBeGreaterThan(14 * S);
  });

  test("pause holds VU loops too", async () => {
    const { clock, vus, handle } = start(scenario({ type: "constant-vus", vus: 2, duration: 10 * S }), () => 100);
    await clock.advance(1 * S);
    handle.pause();
    await clock.advance(100); // running iterations end
    const count = vus.iterations.length;
    await clock.advance(3 * S);
    expect(vus.iterations.length).toBe(count);
    handle.resume();
    await finish(clock, handle);
    expect(clock.now()).toBeGreaterThanOrEqual(13 * S);
  });
});

describe("segments run together", () => {
  test("ramping-vus: the segments' active VUs sum to the whole's at every second", async () => {
    const clock = new FakeClock();
    const spec = scenario({
      type: "ramping-vus",
      startVUs: 1,
      stages: [
        { duration: 10 * S, target: 13 },
        { duration: 10 * S, target: 2 },
      ],
      gracefulRampDown: 0,
    });
    const segments = [0, 1, 2, 3, 4].map((i) => partition(i, 5));
    const runs = segments.map((segment) => start(spec, () => 100, segment, clock));
    const steps = wholeVuSteps(1, (spec.executor as RampingVusConfig).stages);
    const wholeAt = (t: number) => steps.filter((s) => s.atMs <= t).pop()!.vus;
    const seen: number[] = [];
    for (let t = 0; t < 20; t++) {
      await clock.advanceTo(t * S + 550);
      expect(runs.reduce((sum, r) => sum + r.handle.status().activeVus, 0)).toBe(wholeAt(t * S + 550));
      seen.push(wholeAt(t * S + 550));
    }
    expect(seen).toEqual([1, 2, 4, 5, 6, 7, 8, 10, 11, 12, 13, 12, 11, 10, 8, 7, 6, 5, 4, 3]);
    await clock.runUntil(Promise.all(runs.map((r) => r.handle.done)));
  });

  test("7 per minute over uneven segments: exactly the whole's 7 arrivals", async () => {
    const clock = new FakeClock();
    const spec = scenario({ type: "constant-arrival-rate", rate: 7, timeUnit: 60 * S, duration: 60 * S, preAllocatedVUs: 3, maxVUs: 9 });
    const cuts = [fraction(0, 1), fraction(1, 5), fraction(2, 3), fraction(1, 1)];
    const runs = cuts.slice(1).map((to, i) => start(spec, () => 100, { from: cuts[i]!, to }, clock));
    await clock.runUntil(Promise.all(runs.map((r) => r.handle.done)));
    const starts = runs.flatMap((r) => r.vus.iterations.map((it) => it.start)).sort((a, b) => a - b);
    expect(starts.length).toBe(7);
    starts.forEach((at, k) => expect(Math.abs(at - (k * 60 * S) / 7)).toBeLessThanOrEqual(1));
  });
});
