// Small bounds a plan cannot cross: randomInt's range, the length of any duration, the nesting
// depth `validate` accepts (the same the workers load: test/integration/run/plan-depth.test.ts).
import { describe, expect, test } from "bun:test";
import { validatePlan } from "../../../src/cli/commands/validate.ts";
import { memoryIO } from "../../../src/cli/io.ts";
import { MAX_PLAN_DEPTH } from "../../../src/config/yaml-structure.ts";
import { EXIT_INVALID_CONFIG, EXIT_OK } from "../../../src/shared/exit-codes.ts";
import { writePlan } from "../../helpers/plans.ts";
import { deepestPlan, nestedPlan } from "../../helpers/nested-plan.ts";
import { loadIssues, loadOk, withFlow, withScenario } from "./helpers.ts";

describe("randomInt bounds", () => {
  test("past 2^53, or a range wider than that, is an error at the template", () => {
    const plan = withFlow(`- request: { url: "/?a=\${randomInt(0, 9007199254740993)}" }
- request: { url: "/?b=\${randomInt(-9007199254740991, 9007199254740991)}" }
- request: { url: "/?c=\${randomInt(9, 2)}" }`);
    const issues = loadIssues(plan);
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      "6:45 scenarios.s.flow.0.request.url: ${randomInt(0, 9007199254740993)}: the number 9007199254740993 is past ±2^53 (9007199254740991), where numbers lose integer precision",
      "7:32 scenarios.s.flow.1.request.url: ${randomInt(-9007199254740991, 9007199254740991)}: randomInt: the range -9007199254740991..9007199254740991 is wider than 2^53",
      "8:32 scenarios.s.flow.2.request.url: ${randomInt(9, 2)}: randomInt: the minimum 9 is greater than the maximum 2",
    ]);
  });

  test("the widest exact range is accepted", () => {
    expect(loadOk(withFlow(`- request: { url: "/?a=\${randomInt(0, 9007199254740990)}" }`)).scenarios).toHaveLength(1);
  });
});

describe("durations", () => {
  test("a startTime (or any duration) past 7 days is an error naming the key", () => {
    const plan = withScenario(`executor: constant-vus
vus: 1
duration: 8d
startTime: 604800001
gracefulStop: 1000000h
flow:
  - sleep: 1s`);
    const issues = loadIssues(plan);
    expect(issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      '6:15 scenarios.s.duration: duration "8d" is longer than the maximum of 7d (604800000 ms)',
      "7:16 scenarios.s.startTime: duration 604800001 is longer than the maximum of 7d (604800000 ms)",
      '8:19 scenarios.s.gracefulStop: duration "1000000h" is longer than the maximum of 7d (604800000 ms)',
    ]);
  });

  test("a week is accepted", () => {
    expect(loadOk(withScenario("executor: constant-vus\nvus: 1\nduration: 7d\nstartTime: 6d23h\nflow:\n  - sleep: 1s")).scenarios[0]!.startTime).toBe(6 * 86_400_000 + 23 * 3_600_000);
  });
});

describe("nesting depth in validate", () => {
  test("the deepest plan the loader accepts validates; one level more is refused with the line", async () => {
    const deepest = deepestPlan();
    const ok = writePlan(deepest.text);
    const over = writePlan(nestedPlan(deepest.groups + 1, "http://127.0.0.1:1"));
    try {
      const good = memoryIO();
      expect(await validatePlan(ok.planPath, {}, good.io)).toBe(EXIT_OK);
      const bad = memoryIO();
      expect(await validatePlan(over.planPath, {}, bad.io)).toBe(EXIT_INVALID_CONFIG);
      expect(bad.stderr()).toContain(`the plan nests deeper than ${MAX_PLAN_DEPTH} levels`);
      expect(bad.stderr()).toMatch(/plan\.yaml:\d+:\d+/);
      expect(bad.stderr()).toContain("flatten nested groups, loops and ifs");
    } finally {
      ok.cleanup();
      over.cleanup();
    }
  });
});
