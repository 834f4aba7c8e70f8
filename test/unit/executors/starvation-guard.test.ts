// StarvationGuard (src/core/executors/lifecycle.ts): a VU loop yields one turn after
// YIELD_EVERY_ITERATIONS instant iterations, and otherwise costs no turn at all: `after` hands back
// a promise only when it yields.
import { describe, expect, test } from "bun:test";
import { INSTANT_ITERATION_MS, StarvationGuard, YIELD_EVERY_ITERATIONS } from "../../../src/core/executors/lifecycle.ts";

function clockAt(ms: { now: number }) {
  return { now: () => ms.now };
}

describe("StarvationGuard", () => {
  test("instant iterations: no promise until the YIELD_EVERY_ITERATIONS-th, which yields a turn", async () => {
    const time = { now: 100 };
    const guard = new StarvationGuard(clockAt(time));
    for (let i = 1; i < YIELD_EVERY_ITERATIONS; i++) expect(guard.after(time.now)).toBeUndefined();
    // Queued before the yield: it has run once the yield's turn comes.
    let immediateRan = false;
    setImmediate(() => (immediateRan = true));
    const yielding = guard.after(time.now);
    expect(yielding).toBeInstanceOf(Promise);
    await yielding;
    expect(immediateRan).toBe(true);
    // The count starts over after a yield.
    expect(guard.after(time.now)).toBeUndefined();
  });

  test("an iteration that took time resets the count and never yields", () => {
    const time = { now: 0 };
    const guard = new StarvationGuard(clockAt(time));
    for (let round = 0; round < 3; round++) {
      for (let i = 1; i < YIELD_EVERY_ITERATIONS; i++) expect(guard.after(time.now)).toBeUndefined();
      const startedAt = time.now;
      time.now += INSTANT_ITERATION_MS;
      expect(guard.after(startedAt)).toBeUndefined();
    }
  });
});
