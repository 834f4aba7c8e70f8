// Per-scenario progress added up over segments (worker threads, agents), and read back from an
// agent's batch (a trust boundary).
import { describe, expect, test } from "bun:test";
import { mergeScenarioStatuses, readScenarioStatuses, summaryScenarios, type ScenarioStatus } from "../../../src/core/run/scenario-progress.ts";

const status = (name: string, over: Partial<ScenarioStatus> = {}): ScenarioStatus => ({
  name, executor: "shared-iterations", state: "running", activeVus: 1, maxVus: 2, iterations: 5, completed: 4, interrupted: 1, dropped: 0,
  startTime: 0, elapsedMs: 1_000, durationMs: 60_000, plannedIterations: 10, ...over,
});

describe("adding up segments", () => {
  test("counts and planned iterations add up; the time is the furthest segment's", () => {
    const merged = mergeScenarioStatuses([
      [status("a"), status("b", { state: "waiting", elapsedMs: 0 })],
      [status("a", { activeVus: 2, completed: 6, elapsedMs: 1_250, dropped: 3 }), status("b", { state: "waiting", elapsedMs: 0 })],
    ]);
    expect(merged).toEqual([
      status("a", { activeVus: 3, maxVus: 4, iterations: 10, completed: 10, interrupted: 2, dropped: 3, elapsedMs: 1_250, plannedIterations: 20 }),
      status("b", { state: "waiting", maxVus: 4, activeVus: 2, iterations: 10, completed: 8, interrupted: 2, elapsedMs: 0, plannedIterations: 20 }),
    ]);
  });

  test("running while any segment runs, done once every one is, waiting otherwise", () => {
    const stateOf = (...states: ScenarioStatus["state"][]) => mergeScenarioStatuses(states.map((state) => [status("a", { state })]))[0]!.state;
    expect(stateOf("done", "running")).toBe("running");
    expect(stateOf("waiting", "running")).toBe("running");
    expect(stateOf("done", "done")).toBe("done");
    expect(stateOf("done", "waiting")).toBe("waiting");
  });

  test("a time-bound segment has no planned iterations; a stop-only scenario no duration", () => {
    const [m] = mergeScenarioStatuses([[status("a", { plannedIterations: null, durationMs: null })], [status("a", { plannedIterations: null, durationMs: null })]]);
    expect(m).toMatchObject({ plannedIterations: null, durationMs: null });
  });

  test("the summary takes each declared scenario's final counts, when there are any", () => {
    const declared = [{ name: "a", executor: "shared-iterations" }, { name: "c", executor: "constant-vus" }];
    expect(summaryScenarios(declared, [status("a")])).toEqual([
      { name: "a", executor: "shared-iterations", completed: 4, interrupted: 1, dropped: 0, maxVus: 2 },
      { name: "c", executor: "constant-vus" },
    ]);
    expect(summaryScenarios(declared, undefined)).toEqual(declared);
  });
});

describe("reading statuses from an agent", () => {
  const plan = new Set(["a", "b"]);

  test("a well-formed list comes back as it was, without extra keys", () => {
    expect(readScenarioStatuses([{ ...status("a"), extra: "x" }, status("b", { durationMs: null, plannedIterations: null })], plan)).toEqual([
      status("a"),
      status("b", { durationMs: null, plannedIterations: null }),
    ]);
  });

  test("anything else is refused with what is wrong", () => {
    const refused = (value: unknown) => {
      const read = readScenarioStatuses(value, plan);
      expect(read).toHaveProperty("error");
      return (read as { error: string }).error;
    };
    expect(refused({})).toBe("scenarios is not a list");
    expect(refused([status("a"), status("b"), status("a")])).toBe("3 scenario statuses for a plan of 2 scenario(s)");
    expect(refused([status("a"), status("a")])).toBe("scenario a appears twice");
    expect(refused([status("zzz")])).toBe('scenario status 1: names no scenario of the plan ("zzz")');
    expect(refused([null])).toBe("scenario status 1: not an object");
    expect(refused([status("a", { state: "exploded" as "done" })])).toBe("scenario status 1: state must be one of waiting, running, done");
    expect(refused([status("a", { completed: -1 })])).toBe("scenario status 1: completed is not a whole number from 0 to 2^48");
    expect(refused([status("a", { activeVus: 1.5 })])).toContain("activeVus is not a whole number");
    expect(refused([status("a", { dropped: Number.MAX_SAFE_INTEGER })])).toContain("dropped is not a whole number");
    expect(refused([status("a", { durationMs: "1s" as unknown as number })])).toBe("scenario status 1: durationMs is neither null nor a whole number from 0 to 2^48");
    expect(refused([{ ...status("a"), executor: "x".repeat(500) }])).toBe("scenario status 1: executor is not a name");
  });
});
