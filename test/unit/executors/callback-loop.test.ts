// The VU loops of src/core/executors/vu-slots.ts drive VUs through `runIterationThen`. A VU whose
// iterations end before `runIterationThen` returns (and take time, so the starvation guard never
// yields) is looped by the slot's loop, not by nested calls: a long run keeps a flat stack and
// counts every iteration exactly.
import { describe, expect, test } from "bun:test";
import { realClock, type Clock } from "../../../src/core/clock.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { runScenarios } from "../../../src/core/scheduler.ts";
import type { VirtualUser } from "../../../src/core/vu.ts";
import { EXECUTORS } from "../../../src/executors/registry.ts";
import { RecordingSink, scenario } from "./helpers.ts";

const ITERATIONS = 50_000;

describe("VU loops on callbacks", () => {
  test(`per-vu-iterations: ${ITERATIONS} iterations per VU that end at once are all counted, on a flat stack`, async () => {
    // Every read of the clock moves it 100 ms on: no run of iterations ever looks instant.
    let now = 0;
    const clock: Clock = { now: () => (now += 100), sleep: (ms, signal) => realClock.sleep(Math.min(ms, 10), signal) };
    const ran = new Map<number, number>();
    const vuFactory = (_spec: unknown, id: number): VirtualUser => ({
      id,
      runIteration: () => Promise.reject(new Error("the loop calls runIterationThen")),
      runIterationThen: (_signal, done) => {
        ran.set(id, (ran.get(id) ?? 0) + 1);
        done();
      },
      close: () => {},
    });
    const spec = scenario({ type: "per-vu-iterations", vus: 2, iterations: ITERATIONS, maxDuration: 1e12 });
    const handle = runScenarios([spec], { segment: WHOLE, vuFactory, metrics: new RecordingSink(), clock, executors: EXECUTORS });
    const outcome = await handle.done;
    expect(outcome.scenarios[0]).toMatchObject({ started: 2 * ITERATIONS, completed: 2 * ITERATIONS, interrupted: 0 });
    expect([...ran.entries()].sort()).toEqual([
      [1, ITERATIONS],
      [2, ITERATIONS],
    ]);
  });
});
