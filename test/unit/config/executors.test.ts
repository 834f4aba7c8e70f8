import { describe, expect, test } from "bun:test";
import type { RequestSpec } from "../../../src/protocols/http1/step/spec.ts";
import { expandProfile } from "../../../src/config/profile.ts";
import { loadIssues, loadOk, withScenario } from "./helpers.ts";

const FLOW = "flow:\n  - sleep: 1s";
const scenarioOf = (options: string) => loadOk(withScenario(`${options}\n${FLOW}`)).scenarios[0]!;
/** The normalized executor config, for comparing with literal configs of any executor. */
const configOf = (options: string): unknown => scenarioOf(options).executor;

describe("executors and their k6 defaults", () => {
  test("constant-vus", () => {
    expect(configOf("executor: constant-vus\nduration: 30s")).toEqual({ type: "constant-vus", vus: 1, duration: 30_000 });
  });
  test("per-vu-iterations", () => {
    expect(configOf("executor: per-vu-iterations")).toEqual({ type: "per-vu-iterations", vus: 1, iterations: 1, maxDuration: 600_000 });
  });
  test("shared-iterations", () => {
    expect(configOf("executor: shared-iterations\nvus: 2\niterations: 10\nmaxDuration: 1m")).toEqual({
      type: "shared-iterations",
      vus: 2,
      iterations: 10,
      maxDuration: 60_000,
    });
  });
  test("ramping-vus", () => {
    expect(configOf("executor: ramping-vus\nstages: [{ duration: 10s, target: 5 }]")).toEqual({
      type: "ramping-vus",
      startVUs: 1,
      stages: [{ duration: 10_000, target: 5 }],
      gracefulRampDown: 30_000,
    });
  });
  test("constant-arrival-rate: maxVUs defaults to preAllocatedVUs", () => {
    expect(configOf("executor: constant-arrival-rate\nrate: 50\nduration: 1m\npreAllocatedVUs: 5")).toEqual({
      type: "constant-arrival-rate",
      rate: 50,
      timeUnit: 1000,
      duration: 60_000,
      preAllocatedVUs: 5,
      maxVUs: 5,
    });
  });
  test("ramping-arrival-rate", () => {
    expect(configOf("executor: ramping-arrival-rate\ntimeUnit: 1m\npreAllocatedVUs: 3\nstages: [{ duration: 1s, target: 2 }]")).toEqual({
      type: "ramping-arrival-rate",
      startRate: 0,
      timeUnit: 60_000,
      stages: [{ duration: 1000, target: 2 }],
      preAllocatedVUs: 3,
      maxVUs: 3,
    });
  });
  test("externally-controlled", () => {
    expect(configOf("executor: externally-controlled\nduration: 5m\nvus: 2")).toEqual({
      type: "externally-controlled",
      vus: 2,
      maxVUs: 2,
      duration: 300_000,
    });
  });
  test("a scenario states its executor's regular duration and most VUs", () => {
    const extent = (options: string) => {
      const { durationMs, maxVus } = scenarioOf(options);
      return { durationMs, maxVus };
    };
    expect(extent("executor: constant-vus\nvus: 4\nduration: 30s")).toEqual({ durationMs: 30_000, maxVus: 4 });
    expect(extent("executor: per-vu-iterations\nvus: 3")).toEqual({ durationMs: 600_000, maxVus: 3 });
    expect(extent("executor: ramping-vus\nprofile: { spike: { base: 2, peak: 9, rampUp: 1s, hold: 2s, rampDown: 1s } }")).toEqual({ durationMs: 4000, maxVus: 9 });
    expect(extent("executor: ramping-arrival-rate\npreAllocatedVUs: 3\nmaxVUs: 8\nstages: [{ duration: 5s, target: 2 }]")).toEqual({ durationMs: 5000, maxVus: 8 });
    expect(extent("executor: externally-controlled\nvus: 2\nmaxVUs: 6\nduration: 0s")).toEqual({ durationMs: Infinity, maxVus: 6 });
  });
  test("common options: startTime, gracefulStop, env, tags", () => {
    const s = scenarioOf("executor: per-vu-iterations\nstartTime: 5s\ngracefulStop: 2s\nenv: { MODE: fast, N: 3 }\ntags: { team: web }");
    expect(s).toMatchObject({ startTime: 5000, gracefulStop: 2000, env: { MODE: "fast", N: "3" }, tags: { team: "web" } });
  });
  test("a scenario's env is what its templates see", () => {
    const plan = loadOk(withScenario(`executor: per-vu-iterations\nenv: { PATHNAME: /from-scenario }\nflow:\n  - request: { url: "\${env.PATHNAME}" }`));
    const step = plan.scenarios[0]!.flow[0]!;
    expect(step.kind === "request" && (step.spec as RequestSpec).url.render({ vars: {}, data: {}, vu: 1, iteration: 0, scenario: "s" })).toBe("/from-scenario");
  });
});

describe("executor option errors", () => {
  test("an option of another executor names the executor", () => {
    const issues = loadIssues(withScenario(`executor: constant-vus\nduration: 1s\npreAllocatedVUs: 3\n${FLOW}`));
    expect(issues).toMatchObject([{ path: "scenarios.s.preAllocatedVUs", line: 6, column: 5 }]);
    expect(issues[0]!.message).toBe('"preAllocatedVUs" is not an option of executor constant-vus (its options: vus, duration)');
  });
  test("arrival-rate executors require preAllocatedVUs", () => {
    const issues = loadIssues(withScenario(`executor: constant-arrival-rate\nrate: 1\nduration: 1s\n${FLOW}`));
    expect(issues.map((i) => i.message)).toEqual(['"preAllocatedVUs" is required in scenario (constant-arrival-rate)']);
  });
  test("maxVUs below preAllocatedVUs", () => {
    const issues = loadIssues(withScenario(`executor: constant-arrival-rate\nrate: 1\nduration: 1s\npreAllocatedVUs: 5\nmaxVUs: 2\n${FLOW}`));
    expect(issues.map((i) => i.message)).toEqual(["maxVUs (2) is less than preAllocatedVUs (5)"]);
  });
  test("shared-iterations: iterations below vus", () => {
    const issues = loadIssues(withScenario(`executor: shared-iterations\nvus: 5\niterations: 2\n${FLOW}`));
    expect(issues[0]!.message).toContain("iterations (2) is less than vus (5)");
  });
  test("wrong types and values", () => {
    const issues = loadIssues(withScenario(`executor: constant-vus\nvus: 0\nduration: soon\n${FLOW}`));
    expect(issues.map((i) => i.path)).toEqual(["scenarios.s.vus", "scenarios.s.duration"]);
    expect(issues[0]!.message).toBe("expected a whole number ≥ 1, got 0");
  });
  test("an empty flow is an error", () => {
    const issues = loadIssues(withScenario("executor: per-vu-iterations\nflow: []"));
    expect(issues.map((i) => i.message)).toEqual(["a flow needs at least one step"]);
  });
  test("ramping executors need stages or a profile, not both", () => {
    expect(loadIssues(withScenario(`executor: ramping-vus\n${FLOW}`))[0]!.message).toContain("stages (or profile) is required");
    const both = loadIssues(withScenario(`executor: ramping-vus\nstages: [{duration: 1s, target: 1}]\nprofile: { ramp: { to: 5, duration: 1s } }\n${FLOW}`));
    expect(both.map((i) => [i.path, i.message])).toEqual([["scenarios.s.profile", "profile and stages are both set; use one (profile expands to stages)"]]);
  });
});

describe("profiles", () => {
  test("ramp expands to one stage from `from`", () => {
    const s = scenarioOf("executor: ramping-vus\nprofile: { ramp: { from: 2, to: 20, duration: 1m } }");
    expect<unknown>(s.executor).toEqual({ type: "ramping-vus", startVUs: 2, stages: [{ duration: 60_000, target: 20 }], gracefulRampDown: 30_000 });
  });
  test("step expands to jumps and holds", () => {
    const s = scenarioOf("executor: ramping-arrival-rate\npreAllocatedVUs: 10\nprofile: { step: { from: 10, to: 30, steps: 3, stepDuration: 30s } }");
    expect<unknown>(s.executor).toMatchObject({
      startRate: 10,
      stages: [
        { duration: 30_000, target: 10 },
        { duration: 0, target: 20 },
        { duration: 30_000, target: 20 },
        { duration: 0, target: 30 },
        { duration: 30_000, target: 30 },
      ],
    });
  });
  test("spike ramps up, holds and ramps down to base", () => {
    expect(expandProfile({ spike: { base: 5, peak: 100, rampUp: 1000, hold: 5000, rampDown: 2000 } })).toEqual({
      start: 5,
      stages: [
        { duration: 1000, target: 100 },
        { duration: 5000, target: 100 },
        { duration: 2000, target: 5 },
      ],
    });
    expect(expandProfile({ step: { to: 8, steps: 1, stepDuration: 10 } })).toEqual({ start: 8, stages: [{ duration: 10, target: 8 }] });
  });
  test("profile shape errors", () => {
    const issues = loadIssues(withScenario(`executor: ramping-vus\nprofile: { ramp: { to: 5 } }\n${FLOW}`));
    expect(issues.map((i) => i.message)).toEqual(['"duration" is required in ramp profile']);
    const unknown = loadIssues(withScenario(`executor: ramping-vus\nprofile: { rmap: { to: 5 } }\n${FLOW}`));
    expect(unknown[0]!.message).toContain('unknown profile "rmap"; did you mean "ramp"?');
  });
});
