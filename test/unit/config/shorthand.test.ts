// k6's top-level load model: `vus`/`duration`/`iterations`/`stages` with a top-level `flow:` are
// one scenario named `default`, mapped exactly as k6 maps its shortcut options.
import { describe, expect, test } from "bun:test";
import { BUILTINS } from "../../../src/builtins.ts";
import { planJsonSchema } from "../../../src/config/schema/json-schema.ts";
import { loadIssues, loadOk } from "./helpers.ts";

const FLOW = "flow:\n  - request: { url: /json }\n";
const top = (lines: string) => `baseUrl: http://localhost\n${lines}\n${FLOW}`;
const executorOf = (lines: string) => {
  const plan = loadOk(top(lines));
  expect(plan.scenarios.map((s) => s.name)).toEqual(["default"]);
  return plan.scenarios[0]!.executor;
};

describe("top-level load model", () => {
  test("vus + duration → constant-vus; the flow is the scenario's", () => {
    const plan = loadOk(top("vus: 7\nduration: 3s"));
    expect(plan.scenarios[0]!.executor).toEqual({ type: "constant-vus", vus: 7, duration: 3000 } as never);
    expect(plan.scenarios[0]!.flow).toHaveLength(1);
    expect(plan.scenarios[0]!.maxVus).toBe(7);
  });

  test("iterations (+ vus, + duration) → shared-iterations with maxDuration", () => {
    expect(executorOf("iterations: 12\nvus: 3")).toMatchObject({ type: "shared-iterations", vus: 3, iterations: 12, maxDuration: 600_000 });
    expect(executorOf("iterations: 12\nvus: 3\nduration: 20s")).toMatchObject({ type: "shared-iterations", maxDuration: 20_000 });
  });

  test("stages (+ vus as startVUs, default 1) → ramping-vus", () => {
    expect(executorOf("vus: 0\nstages: [{ duration: 5s, target: 4 }]")).toMatchObject({ type: "ramping-vus", startVUs: 0, stages: [{ duration: 5000, target: 4 }] });
    expect(executorOf("stages: [{ duration: 5s, target: 4 }]")).toMatchObject({ type: "ramping-vus", startVUs: 1 });
  });

  test("vus alone → shared-iterations of vus iterations; nothing → one iteration of one VU", () => {
    expect(executorOf("vus: 4")).toMatchObject({ type: "shared-iterations", vus: 4, iterations: 4 });
    expect(executorOf("")).toMatchObject({ type: "per-vu-iterations", vus: 1, iterations: 1 });
  });

  test("the plan's tags and thresholds apply to the implicit scenario", () => {
    const plan = loadOk(top('vus: 2\nduration: 1s\ntags: { team: web }\nthresholds:\n  "http_req_duration{scenario:default}": ["p(95)<500"]'));
    expect(plan.scenarios[0]!.tags).toEqual({ team: "web" });
    expect(plan.thresholds[0]!.filter).toEqual({ scenario: "default" });
  });

  test("problems with a shortcut value are reported at the top-level key it came from", () => {
    const issues = loadIssues(top("vus: ten\nduration: 3 parsecs"));
    expect(issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ["vus", 2, 6],
      ["duration", 3, 11],
    ]);
    expect(issues[0]!.message).toBe('expected a whole number ≥ 1, got "ten"');
    const inFlow = loadIssues(top("vus: 1\nduration: 1s").replace("request: { url: /json }", "requets: { url: /json }"));
    expect(inFlow.map((i) => [i.path, i.line])).toEqual([["flow.0", 5]]);
  });

  test("k6's conflicts: duration or iterations with stages; a duration of 0", () => {
    const stages = loadIssues(top("duration: 10s\nstages: [{ duration: 5s, target: 4 }]"));
    expect(stages.map((i) => [i.path, i.line, i.column, i.message])).toEqual([["stages", 3, 1, "duration and stages both set the load model"]]);
    expect(loadIssues(top("iterations: 3\nstages: [{ duration: 5s, target: 4 }]"))[0]!.message).toBe("iterations and stages both set the load model");
    const zero = loadIssues(top("duration: 0s"))[0]!;
    expect([zero.path, zero.message]).toEqual(["duration", "duration must be more than 0"]);
    expect(zero.hint).toContain("externally-controlled");
  });

  test("beside scenarios:, shortcuts and a top-level flow are errors at their keys", () => {
    const issues = loadIssues(`baseUrl: http://h\nduration: 5s\n${FLOW}scenarios:\n  s: { executor: per-vu-iterations, flow: [{ request: { url: / } }] }\n`);
    expect(issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ["duration", 2, 1],
      ["flow", 3, 1],
    ]);
    expect(issues[0]!.message).toBe("top-level duration beside scenarios: (a top-level load model is one implicit scenario)");
  });

  test("shortcuts without a flow, and a plan with nothing to run, say what to add", () => {
    const noFlow = loadIssues("baseUrl: http://h\nvus: 3\nduration: 2s\n");
    expect(noFlow.map((i) => [i.path, i.line, i.message])).toEqual([["vus", 2, "vus, duration describe the load of a flow, and the plan has none"]]);
    const nothing = loadIssues("baseUrl: http://h\n");
    expect(nothing[0]!.message).toBe("the plan has nothing to run");
    expect(nothing[0]!.hint).toContain("top-level flow:");
  });

  test("loadr schema lists the shortcuts and the top-level flow", () => {
    const schema = planJsonSchema(BUILTINS) as { properties: Record<string, { type?: string; minimum?: number }>; required?: string[] };
    for (const key of ["vus", "duration", "iterations", "stages", "flow", "tags"]) expect(schema.properties).toHaveProperty(key);
    expect(schema.properties.vus).toMatchObject({ type: "integer", minimum: 0 });
    expect(schema.required ?? []).not.toContain("scenarios");
  });
});
