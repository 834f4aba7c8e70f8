// StarvationGuard (src/core/executors/lifecycle.ts): a VU loop yields one turn after
// YIELD_EVERY_ITERATIONS iterations that together took under YIELD_EVERY_ITERATIONS ×
// INSTANT_ITERATION_MS, and otherwise costs no turn at all: `after` hands back a promise only when
// it yields. The clock is read once per YIELD_EVERY_ITERATIONS iterations.
import { describe, expect, test } from "bun:test";
import { INSTANT_ITERATION_MS, StarvationGuard, YIELD_EVERY_ITERATIONS } from "../../../src/core/executors/lifecycle.ts";

function clockAt(ms: { now: number; reads?: number }) {
  return {
    now: () => {
      ms.reads = (ms.reads ?? 0) + 1;
      return ms.now;
    },
  };
}

describe("StarvationGuard", () => {
  test("instant iterations: no promise until the YIELD_EVERY_ITERATIONS-th, which yields a turn", async () => {
    const time = { now: 100 };
    const guard = new StarvationGuard(clockAt(time));
    for (let i = 1; i < YIELD_EVERY_ITERATIONS; i++) expect(guard.after()).toBeUndefined();
    // Queued before the yield: it has run once the yield's turn comes.
    let immediateRan = false;
    setImmediate(() => (immediateRan = true));
    const yielding = guard.after();
    expect(yielding).toBeInstanceOf(Promise);
    await yielding;
    expect(immediateRan).toBe(true);
    // The count starts over after a yield.
    expect(guard.after()).toBeUndefined();
  });

  test("iterations that took time never yield", () => {
    const time = { now: 0 };
    const guard = new StarvationGuard(clockAt(time));
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < YIELD_EVERY_ITERATIONS; i++) {
        time.now += INSTANT_ITERATION_MS;
        expect(guard.after()).toBeUndefined();
      }
    }
  });

  test("the clock is read once per YIELD_EVERY_ITERATIONS iterations (and once at creation)", () => {
    const time: { now: number; reads?: number } = { now: 0 };
    const guard = new StarvationGuard(clockAt(time));
    for (let i = 0; i < 4 * YIELD_EVERY_ITERATIONS; i++) {
      time.now += 2 * INSTANT_ITERATION_MS;
      guard.after();
    }
    expect(time.reads).toBe(1 + 4);
  });
});
