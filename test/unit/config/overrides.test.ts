// `loadr run`'s k6 flags as a layer over the plan (config/overrides.ts): what they replace, what
// they keep, the errors that name the flag, and the plan text a controller receives.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { BUILTINS } from "../../../src/builtins.ts";
import { formatIssue } from "../../../src/config/issues.ts";
import { loadPlan, type LoadResult } from "../../../src/config/load.ts";
import { planTextWithOverrides, type PlanOverrides } from "../../../src/config/overrides.ts";
import type { PlanSource, TestPlan } from "../../../src/config/plan.ts";
import { FIXTURES } from "./helpers.ts";

const source = (text: string, overrides?: PlanOverrides): PlanSource => ({
  text,
  file: "plan.yaml",
  baseDir: join(FIXTURES, "reference"),
  env: {},
  ...(overrides ? { overrides } : {}),
});
const load = (text: string, overrides?: PlanOverrides): LoadResult => loadPlan(source(text, overrides), { modules: BUILTINS });
const ok = (text: string, overrides?: PlanOverrides): TestPlan => {
  const result = load(text, overrides);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
  return result.plan;
};
const problems = (text: string, overrides?: PlanOverrides): string[] => {
  const result = load(text, overrides);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues.map(formatIssue);
};

const ONE = `baseUrl: http://h
scenarios:
  browse:
    executor: per-vu-iterations
    vus: 2
    iterations: 5
    maxDuration: 1m
    startTime: 10s
    gracefulStop: 3s
    env: { A: "1" }
    tags: { area: shop }
    flow:
      - request: { url: /json }
`;
const TWO = `baseUrl: http://h
scenarios:
  browse: { executor: constant-vus, vus: 2, duration: 1s, flow: [{ request: { url: /a } }] }
  buy: { executor: per-vu-iterations, flow: [{ request: { url: /b } }] }
cluster:
  scenarios: { browse: { zone: a }, buy: { zone: b } }
`;
const TOP = "baseUrl: http://h\nvus: 5\nduration: 30s\nflow:\n  - request: { url: /json }\n";

describe("k6's load flags over a plan", () => {
  test("one scenario: its executor is replaced as k6 maps the flags; its flow, env, tags and gracefulStop stay", () => {
    const plan = ok(ONE, { load: { vus: 7, duration: "3s" } });
    const [s] = plan.scenarios;
    expect(plan.scenarios).toHaveLength(1);
    expect(s!.name).toBe("browse");
    expect(s!.executor).toEqual({ type: "constant-vus", vus: 7, duration: 3000 } as never);
    expect([s!.startTime, s!.gracefulStop, s!.env, s!.tags, s!.flow.length]).toEqual([0, 3000, { A: "1" }, { area: "shop" }, 1]);
    expect(ok(ONE, { load: { iterations: 12, vus: 3 } }).scenarios[0]!.executor).toMatchObject({ type: "shared-iterations", vus: 3, iterations: 12, maxDuration: 600_000 });
    expect(ok(ONE, { load: { stages: [{ duration: "2s", target: 4 }] } }).scenarios[0]!.executor).toMatchObject({ type: "ramping-vus", startVUs: 1 });
  });

  test("several scenarios need --scenario; it picks one, which alone runs (with its cluster selector)", () => {
    expect(problems(TWO, { load: { vus: 3, duration: "2s" } })).toEqual([
      "command line  --vus: --vus, --duration set the load model of one scenario, and the plan has 2: browse, buy (name the one to run with --scenario NAME)",
    ]);
    const plan = ok(TWO, { load: { vus: 3, duration: "2s" }, scenario: "buy" });
    expect(plan.scenarios.map((s) => [s.name, s.executor.type, s.maxVus])).toEqual([["buy", "constant-vus", 3]]);
    expect(plan.cluster?.scenarios).toEqual({ buy: { zone: "b" } });
    expect(ok(TWO, { scenario: "browse" }).scenarios.map((s) => [s.name, s.executor.type])).toEqual([["browse", "constant-vus"]]);
  });

  test("--scenario naming nothing, and --vus alone beside scenarios, are errors naming the flag", () => {
    expect(problems(TWO, { scenario: "bye", load: { vus: 1, duration: "1s" } })).toEqual([
      'command line  --scenario: no scenario "bye"; did you mean "buy"? (the plan\'s scenarios: browse, buy)',
    ]);
    expect(problems(ONE, { load: { vus: 4 } })[0]).toContain("--vus: --vus alone does not replace the load model of scenario browse");
    expect(problems(TOP, { scenario: "browse" })[0]).toContain('--scenario: no scenario "browse": the plan\'s one scenario is "default"');
  });

  test("over a top-level load model, a model flag replaces the plan's model; --vus only the VUs (k6's layering)", () => {
    expect(ok(TOP, { load: { iterations: 12 } }).scenarios[0]!.executor).toMatchObject({ type: "shared-iterations", vus: 5, iterations: 12 });
    expect(ok(TOP, { load: { vus: 2 } }).scenarios[0]!.executor).toEqual({ type: "constant-vus", vus: 2, duration: 30_000 } as never);
    expect(ok(TOP, { load: { stages: [{ duration: "1s", target: 3 }] } }).scenarios[0]!.executor).toMatchObject({ type: "ramping-vus", startVUs: 5 });
  });

  test("a bad value, or flags that conflict, are reported against the flag", () => {
    expect(problems(ONE, { load: { vus: "ten", duration: "3s" } })).toEqual(['command line  --vus: expected a whole number ≥ 1, got "ten"']);
    expect(problems(TOP, { load: { duration: "3", stages: [{ duration: "1s", target: 1 }] } })).toEqual(["command line  --stage: duration and stages both set the load model (use one: duration (constant-vus) or stages (ramping-vus))"]);
    expect(problems(ONE, { load: { duration: "2 weeks" } })[0]).toMatch(/^command line {2}--duration: "2 weeks" is not a duration/);
  });

  test("--tag adds plan tags (the flag wins over the plan's, scenarios' own win over both); reserved names name --tag", () => {
    const plan = ok(`tags: { team: web, env: dev }\n${ONE}`, { tags: { env: "ci", build: "7" } });
    expect(plan.scenarios[0]!.tags).toEqual({ team: "web", env: "ci", build: "7", area: "shop" });
    expect(problems(ONE, { tags: { status: "x" } })[0]).toStartWith('command line  --tag: "status" is a tag loadr sets itself');
  });

  test("--no-thresholds: the thresholds are still checked, then not kept; --summary-trend-stats sets the plan's", () => {
    const text = `${ONE}thresholds:\n  http_req_duration: ["p(95)<1"]\n`;
    expect(ok(text, { noThresholds: true }).thresholds).toEqual([]);
    expect(problems(`${ONE}thresholds:\n  http_req_duration: ["p(95)<<1"]\n`, { noThresholds: true })).toHaveLength(1);
    expect(ok(ONE, { summaryTrendStats: ["avg", "p(99.9)"] }).summaryTrendStats).toEqual(["avg", "p(99.9)"]);
    expect(problems(ONE, { summaryTrendStats: ["avg", "p(120)"] })).toEqual(["command line  --summary-trend-stats: p(120): a percentile is at most 100"]);
  });
});

describe("the plan text a controller receives", () => {
  test("loads, without the flags, to the plan the flags made; untouched parts keep their comments", () => {
    const overrides: PlanOverrides = { load: { vus: 3, iterations: 9 }, scenario: "buy", tags: { env: "ci" }, noThresholds: true, summaryTrendStats: ["p(99.9)"] };
    const text = `# the shop\n${TWO}thresholds:\n  http_req_duration: ["p(95)<1"]\n`;
    const sent = planTextWithOverrides(source(text, overrides), BUILTINS);
    expect(sent).toStartWith("# the shop\n");
    const local = ok(text, overrides);
    const remote = ok(sent);
    const shape = (p: TestPlan) => ({ scenarios: p.scenarios.map((s) => [s.name, s.executor, s.tags, s.flow.length]), thresholds: p.thresholds, trend: p.summaryTrendStats, cluster: p.cluster });
    expect(shape(remote)).toEqual(shape(local));
    expect(planTextWithOverrides(source(text), BUILTINS)).toBe(text);
  });
});
