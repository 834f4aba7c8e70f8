import { describe, expect, test } from "bun:test";
import { FakeClock } from "../../../src/core/clock.ts";
import { WHOLE, partition, subSegment, type Segment } from "../../../src/core/segment.ts";
import { expectedDurationMs, maxDurationMs, planDurationMs, planMaxDurationMs, runScenarios } from "../../../src/core/scheduler.ts";
import { EXECUTORS } from "../../../src/executors/registry.ts";
import { FakeVus, RecordingSink, scenario } from "../executors/helpers.ts";

const S = 1000;

describe("runScenarios", () => {
  test("scenarios run concurrently, each from its startTime", async () => {
    const clock = new FakeClock();
    const vus = new FakeVus(clock, () => 100);
    const specs = [
      scenario({ type: "constant-vus", vus: 2, duration: 5 * S }, { name: "early" }),
      scenario({ type: "per-vu-iterations", vus: 1, iterations: 3, maxDuration: 60 * S }, { name: "late", startTime: 3 * S }),
    ];
    const handle = runScenarios(specs, { segment: WHOLE, vuFactory: vus.factory, metrics: new RecordingSink(), clock, executors: EXECUTORS });
    await clock.advance(1 * S);
    expect(handle.status().scenarios.map((s) => s.state)).toEqual(["running", "waiting"]);
    expect(handle.status()).toMatchObject({ activeVus: 2, maxVus: 3 });
    const outcome = await clock.runUntil(handle.done);
    expect(outcome.state).toBe("finished");
    const late = vus.iterations.filter((it) => it.scenario === "late");
    expect(late.map((it) => it.start)).toEqual([3000, 3100, 3200]);
    expect(outcome.scenarios.map((s) => [s.name, s.started, s.skipped])).toEqual([
      ["early", 100, false],
      ["late", 3, false],
    ]);
  });

  test("a graceful stop before a scenario's startTime skips it", async () => {
    const clock = new FakeClock();
    const vus = new FakeVus(clock, () => 100);
    const specs = [
      scenario({ type: "constant-vus", vus: 1, duration: 60 * S }, { name: "a" }),
      scenario({ type: "constant-vus", vus: 1, duration: 60 * S }, { name: "b", startTime: 30 * S }),
    ];
    const handle = runScenarios(specs, { segment: WHOLE, vuFactory: vus.factory, metrics: new RecordingSink(), clock, executors: EXECUTORS });
    await clock.advance(1 * S);
    handle.stop("graceful");
    const outcome = await clock.runUntil(handle.done);
    expect(outcome.state).toBe("stopped");
    expect(outcome.scenarios[1]).toMatchObject({ name: "b", started: 0, skipped: true });
    expect(clock.pending).toBe(0);
  });

  test("pause also holds a startTime delay", async () => {
    const clock = new FakeClock();
    const vus = new FakeVus(clock, () => 100);
    const spec = scenario({ type: "per-vu-iterations", vus: 1, iterations: 1, maxDuration: S }, { startTime: 2 * S });
    const handle = runScenarios([spec], { segment: WHOLE, vuFactory: vus.factory, metrics: new RecordingSink(), clock, executors: EXECUTORS });
    await clock.advance(1 * S);
    handle.pause();
    await clock.advance(5 * S);
    handle.resume();
    await clock.runUntil(handle.done, 60 * S, 100);
    expect(vus.iterations.map((it) => it.start)).toEqual([7 * S]);
  });

  test("scale before an externally-controlled scenario starts sets its starting VUs", async () => {
    const clock = new FakeClock();
    const vus = new FakeVus(clock, () => 100);
    const spec = scenario({ type: "externally-controlled", vus: 1, maxVUs: 8, duration: 10 * S }, { startTime: 5 * S });
    const handle = runScenarios([spec], { segment: partition(1, 2), vuFactory: vus.factory, metrics: new RecordingSink(), clock, executors: EXECUTORS });
    expect(handle.scale("s", 6)).toBe(true);
    await clock.advance(6 * S);
    expect(handle.status().activeVus).toBe(3); // this half's share of 6
    expect(Math.min(...vus.created)).toBe(5); // ids 5 … 8 belong to the second half
    handle.stop("now");
    await clock.runUntil(handle.done);
  });

  test("an executor bug rejects done with the scenario's name", async () => {
    const clock = new FakeClock();
    const handle = runScenarios([scenario({ type: "constant-vus", vus: 1, duration: S }, { name: "boom" })], {
      segment: WHOLE,
      vuFactory: () => {
        throw new Error("no VU for you");
      },
      metrics: new RecordingSink(),
      clock,
      executors: EXECUTORS,
    });
    await expect(clock.runUntil(handle.done)).rejects.toThrow(/scenario boom \(constant-vus\) failed: no VU for you/);
  });
});

describe("each scenario's status (what the live view shows)", () => {
  test("VUs now and planned, iterations complete and interrupted, its own time, how it ends", async () => {
    const clock = new FakeClock();
    const vus = new FakeVus(clock, () => 400);
    const specs = [
      scenario({ type: "constant-vus", vus: 4, duration: 5 * S }, { name: "loop", gracefulStop: 200 }),
      scenario({ type: "shared-iterations", vus: 2, iterations: 12, maxDuration: 60 * S }, { name: "batch", startTime: 2 * S }),
    ];
    const handle = runScenarios(specs, { segment: partition(0, 2), vuFactory: vus.factory, metrics: new RecordingSink(), clock, executors: EXECUTORS });
    await clock.advance(1_000);
    const [loop, batch] = handle.status().scenarios;
    expect(loop).toEqual({
      name: "loop", executor: "constant-vus", state: "running", activeVus: 2, maxVus: 2, iterations: 6, completed: 4, interrupted: 0, dropped: 0,
      startTime: 0, elapsedMs: 1_000, durationMs: 5_000, plannedIterations: null,
    });
    // This half's share of the 12 shared iterations; not started yet, so no time of its own.
    expect(batch).toMatchObject({ executor: "shared-iterations", state: "waiting", activeVus: 0, maxVus: 1, startTime: 2_000, elapsedMs: 0, plannedIterations: 6 });
    await clock.advance(1_500);
    expect(handle.status().scenarios[1]).toMatchObject({ state: "running", elapsedMs: 500 });
    // Pausing freezes the scenarios' own time.
    handle.pause();
    await clock.advance(3_000);
    expect(handle.status().scenarios[0]!.elapsedMs).toBe(2_500);
    handle.resume();
    await clock.runUntil(handle.done);
    const end = handle.status().scenarios;
    // constant-vus: the iterations still running at 5 s got 200 ms of gracefulStop, then were cut off.
    expect(end[0]).toMatchObject({ state: "done", activeVus: 0, elapsedMs: 5_200, interrupted: 2 });
    expect(end[1]).toMatchObject({ state: "done", completed: 6, interrupted: 0 });
    await clock.advance(10 * S);
    expect(handle.status().scenarios[0]!.elapsedMs).toBe(5_200); // frozen once done
  });
});

describe("scale takes the scenario-wide count; every segment applies its own share once", () => {
  const external = scenario({ type: "externally-controlled", vus: 2, maxVUs: 16, duration: 60 * S });
  /** One scheduler per segment on one fake clock, as the workers of a run (or of a cluster). */
  function startSegments(segments: Segment[], spec = external) {
    const clock = new FakeClock();
    const vus = new FakeVus(clock, () => 100);
    const handles = segments.map((segment) =>
      runScenarios([spec], { segment, vuFactory: vus.factory, metrics: new RecordingSink(), clock, executors: EXECUTORS }),
    );
    const active = () => handles.reduce((sum, h) => sum + h.status().activeVus, 0);
    const stop = async () => {
      for (const h of handles) h.stop("now");
      await clock.runUntil(Promise.all(handles.map((h) => h.done)));
    };
    return { clock, vus, handles, active, stop };
  }

  test("2 workers scaled to 10 run 10 VUs in total, not 5", async () => {
    const run = startSegments([partition(0, 2), partition(1, 2)]);
    await run.clock.advance(S);
    expect(run.active()).toBe(2);
    for (const h of run.handles) expect(h.scale("s", 10)).toBe(true);
    await run.clock.advance(S);
    expect(run.handles.map((h) => h.status().activeVus)).toEqual([5, 5]);
    expect(run.active()).toBe(10);
    await run.stop();
  });

  test("2 agents × 2 workers, each given the same count, run exactly that many; odd counts too", async () => {
    const agents = [0, 1].map((a) => partition(a, 2));
    const run = startSegments(agents.flatMap((agent) => [0, 1].map((w) => subSegment(agent, partition(w, 2)))));
    for (const vus of [10, 7, 16, 1, 0]) {
      for (const h of run.handles) h.scale("s", vus);
      await run.clock.advance(S);
      expect(run.active()).toBe(vus);
    }
    // Above maxVUs the count is clamped to it, scenario-wide.
    for (const h of run.handles) h.scale("s", 99);
    await run.clock.advance(S);
    expect(run.active()).toBe(16);
    // VU ids stay unique across every segment.
    expect(new Set(run.vus.created).size).toBe(run.vus.created.length);
    await run.stop();
  });

  test("before the start too: the scaled count is planned scenario-wide, then shared", async () => {
    const run = startSegments([0, 1, 2].map((i) => partition(i, 3)), { ...external, startTime: 5 * S });
    for (const h of run.handles) h.scale("s", 10);
    await run.clock.advance(6 * S);
    expect(run.active()).toBe(10);
    expect(run.handles.reduce((sum, h) => sum + h.plans.get("s")!.vus.initial, 0)).toBe(10);
    await run.stop();
  });

  test("an executor without the scale capability cannot be scaled", async () => {
    const run = startSegments([WHOLE], scenario({ type: "constant-vus", vus: 3, duration: 60 * S }));
    await run.clock.advance(S);
    expect(run.handles[0]!.scale("s", 10)).toBe(false);
    await run.clock.advance(S);
    expect(run.active()).toBe(3);
    await run.stop();
  });
});

describe("durations", () => {
  const a = scenario({ type: "constant-vus", vus: 1, duration: 10 * S }, { startTime: 5 * S, gracefulStop: 2 * S });
  const b = scenario({ type: "ramping-arrival-rate", startRate: 1, timeUnit: S, stages: [{ duration: 3 * S, target: 2 }, { duration: 4 * S, target: 0 }], preAllocatedVUs: 1, maxVUs: 1 });
  const c = scenario({ type: "externally-controlled", vus: 1, maxVUs: 1, duration: 0 });
  test("expected = startTime + duration; max adds gracefulStop", () => {
    expect(expectedDurationMs(a)).toBe(15 * S);
    expect(maxDurationMs(a)).toBe(17 * S);
    expect(expectedDurationMs(b)).toBe(7 * S);
    expect(planDurationMs([a, b])).toBe(15 * S);
    expect(planMaxDurationMs([a, b])).toBe(37 * S); // b's default gracefulStop is 30 s
    expect(expectedDurationMs(c)).toBe(Infinity);
    expect(planDurationMs([])).toBe(0);
  });
});
