// Typed variables and expressions in a flow, from YAML (loadPlan) through the VU factory to the
// requests a fake protocol handler records: what a user writes in `set`, `if`, `loop.while` and
// templates, and what the target is sent.
import { describe, expect, test } from "bun:test";
import type { VarValue } from "../../../src/config/plan.ts";
import { createVuFactory } from "../../../src/core/vu-factory.ts";
import { load, loadOk, withFlow } from "../config/helpers.ts";
import { FakeHandler, modulesWith, never, RecordingSink, TestJar } from "./fakes.ts";

function run(flow: string, routes: FakeHandler["routes"] = {}) {
  const plan = loadOk(withFlow(flow));
  const handler = new FakeHandler(routes);
  const warnings: string[] = [];
  const factory = createVuFactory({
    baseUrl: plan.baseUrl,
    data: plan.data,
    modules: modulesWith(handler),
    metrics: new RecordingSink(),
    createCookieJar: () => new TestJar(),
    warn: (m) => warnings.push(m),
  });
  const vu = factory(plan.scenarios[0]!, 1);
  const vars = () => (vu as unknown as { scope: { vars: Record<string, VarValue> } }).scope.vars;
  const paths = () => handler.sent.map((s) => new URL(s.request.url).pathname + new URL(s.request.url).search);
  return { vu, vars, paths, warnings, handler };
}

describe("typed variables in a flow", () => {
  test("a counter loop: set n: 0, while ${vars.n < 5}, set n: ${vars.n + 1} makes exactly 5 requests", async () => {
    const { vu, vars, paths, warnings } = run(`- set: { n: 0 }
- loop: { while: "\${vars.n < 5}" }
  steps:
    - request: { url: "/item/\${vars.n}" }
    - set: { n: "\${vars.n + 1}" }`);
    await vu.runIteration(never());
    expect(paths()).toEqual(["/item/0", "/item/1", "/item/2", "/item/3", "/item/4"]);
    expect(vars().n).toBe(5);
    expect(warnings).toEqual([]);
  });

  test("set keeps types: YAML numbers and booleans, whole expressions typed, templates with text strings", async () => {
    const { vu, vars } = run(`- set:
    zero: 0
    yes: true
    quoted: "0"
    half: 2.50
    next: "\${vars.zero + 1}"
    label: "n=\${vars.zero + 1}"
    big: "\${vars.next > 0}"
    joined: "\${vars.quoted + 1}"`);
    await vu.runIteration(never());
    expect({ ...vars() }).toEqual({ zero: 0, yes: true, quoted: "0", half: 2.5, next: 1, label: "n=1", big: true, joined: "01" });
  });

  test("a value that evaluates to null unsets the variable", async () => {
    const { vu, vars } = run(`- set: { a: 1, b: 2 }
- set: { a: "\${null}", b: "\${vars.missing}" }`);
    await vu.runIteration(never());
    expect(Object.keys(vars())).toEqual([]);
  });

  test("extracted values stay strings; int() makes them numbers", async () => {
    const { vu, vars, paths } = run(
      `- request:
    url: /page
    extract: { page: { json: "$.page" } }
- set: { next: "\${int(vars.page) + 1}", glued: "\${vars.page + 1}" }
- request: { url: "/page?n=\${vars.next}" }`,
      { "GET /page": () => ({ status: 200, body: '{"page": 3}' }) },
    );
    await vu.runIteration(never());
    expect(vars()).toMatchObject({ page: "3", next: 4, glued: "31" });
    expect(paths()).toEqual(["/page", "/page?n=4"]);
  });

  test("if with an expression condition picks the branch per VU state", async () => {
    const { vu, paths } = run(`- set: { tries: 2 }
- if: "\${vars.tries >= 2 && lower('OK') == 'ok'}"
  then: [{ request: { url: /then } }]
  else: [{ request: { url: /else } }]`);
    await vu.runIteration(never());
    expect(paths()).toEqual(["/then"]);
  });

  test("division by zero at run time ends the iteration with the step's location; the VU goes on", async () => {
    const { vu, paths, warnings, vars } = run(`- set: { d: 0 }
- request: { url: /before }
- set: { ratio: "\${10 / vars.d}" }
- request: { url: /after }`);
    await vu.runIteration(never());
    await vu.runIteration(never());
    expect(paths()).toEqual(["/before", "/before"]);
    expect(vars().ratio).toBeUndefined();
    expect(warnings).toHaveLength(1); // once per distinct message
    expect(warnings[0]).toContain("plan.yaml:8:9: set step failed: ${10 / vars.d}: division by zero (vars.d is 0)");
  });

  test("a template of a request renders typed values as JS String does", async () => {
    const { vu, paths } = run(`- set: { n: 2, f: 0.5, t: false }
- request: { url: "/q?a=\${vars.n * vars.f}&b=\${vars.n / 4}&c=\${vars.t}&d=\${round(vars.n / 3, 2)}" }`);
    await vu.runIteration(never());
    expect(paths()).toEqual(["/q?a=1&b=0.5&c=false&d=0.67"]);
  });

  test('arithmetic outside the ${} ("${vars.n} + 1", the old mistake) loads with a warning that shows the fix', () => {
    const result = load(withFlow('- set: { n: 0 }\n- set: { n: "${vars.n} + 1", label: "${vars.a} - ${vars.b}", day: "${vars.y}-01" }'));
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.line, w.column, w.message, w.hint])).toEqual([
      [7, 30, '"${vars.n} + 1" stores text ("… + 1"): the operator is outside the ${}', 'to compute, write "${vars.n + 1}"'],
    ]);
  });

  test("a YAML number past ±2^53 in set is a load error", async () => {
    const { loadIssues } = await import("../config/helpers.ts");
    const issues = loadIssues(withFlow("- set: { n: 1e300 }"));
    expect(issues[0]!.message).toContain("past ±2^53");
  });
});
