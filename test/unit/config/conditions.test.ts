import { describe, expect, test } from "bun:test";
import { compileCondition } from "../../../src/config/conditions.ts";
import { truthy } from "../../../src/config/expression/values.ts";
import type { TemplateContext } from "../../../src/config/templates.ts";
import type { VarValue } from "../../../src/config/plan.ts";
import fc from "fast-check";

function compile(source: string) {
  const errors: string[] = [];
  const ctx: TemplateContext = { env: {}, mode: "run", feeds: new Map(), runtime: true, error: (m) => errors.push(m), warn: () => {} };
  return { condition: compileCondition(source, ctx), errors };
}

const scope = (vars: Record<string, VarValue>) => ({ vars, data: {}, vu: 1, iteration: 0, scenario: "s" });
const evaluate = (source: string, vars: Record<string, VarValue> = {}) => {
  const { condition, errors } = compile(source);
  expect(errors).toEqual([]);
  return condition.evaluate(scope(vars));
};

describe("conditions", () => {
  test("numeric comparison when both sides are numbers", () => {
    expect(evaluate("${vars.count} < 5", { count: "4" })).toBe(true);
    expect(evaluate("${vars.count} < 5", { count: "10" })).toBe(false); // "10" < "5" as strings would be true
    expect(evaluate("${vars.count} >= 10", { count: "10" })).toBe(true);
    expect(evaluate("${vars.n} == 1.0", { n: "1" })).toBe(true);
  });

  test("string comparison otherwise", () => {
    expect(evaluate("${vars.s} == 'ok'", { s: "ok" })).toBe(true);
    expect(evaluate('${vars.s} != "ok"', { s: "ok" })).toBe(false);
    expect(evaluate("${vars.s} < b", { s: "a" })).toBe(true);
    expect(evaluate("${vars.s} == ''", {})).toBe(true);
  });

  test("contains and matches", () => {
    expect(evaluate("${vars.body} contains 'id='", { body: "x id=5" })).toBe(true);
    expect(evaluate("${vars.body} contains 'nope'", { body: "x id=5" })).toBe(false);
    expect(evaluate("${vars.id} matches '^\\d+$'", { id: "123" })).toBe(true);
    expect(evaluate("${vars.id} matches '^\\d+$'", { id: "12a" })).toBe(false);
  });

  test("truthiness, !, &&, || and parentheses", () => {
    expect(evaluate("${vars.token}", { token: "abc" })).toBe(true);
    expect(evaluate("${vars.token}", {})).toBe(false);
    expect(evaluate("${vars.flag}", { flag: "false" })).toBe(false);
    expect(evaluate("${vars.flag}", { flag: "0" })).toBe(false);
    expect(evaluate("!${vars.token}", {})).toBe(true);
    expect(evaluate("${vars.a} == 1 && ${vars.b} == 2", { a: "1", b: "2" })).toBe(true);
    expect(evaluate("${vars.a} == 1 && ${vars.b} == 2", { a: "1", b: "3" })).toBe(false);
    expect(evaluate("${vars.a} == 9 || ${vars.b} == 2", { a: "1", b: "2" })).toBe(true);
    expect(evaluate("!(${vars.a} == 1 || ${vars.b} == 2) && true", { a: "0", b: "0" })).toBe(true);
    expect(truthy("no")).toBe(true);
  });

  test("malformed conditions are errors and evaluate to false", () => {
    for (const source of ["${vars.a} <", "(${vars.a} == 1", "${vars.a} == 1 2", "${vars.a} matches '('", "'unclosed", "${nope} == 1"]) {
      const { condition, errors } = compile(source);
      expect(errors.length).toBeGreaterThan(0);
      expect(condition.evaluate(scope({ a: "1" }))).toBe(false);
    }
  });
});

describe("conditions as one expression", () => {
  test("the whole string is one ${...}: it holds when the value is truthy", () => {
    expect(evaluate("${vars.n < 5}", { n: 4 })).toBe(true);
    expect(evaluate("${vars.n < 5}", { n: 5 })).toBe(false);
    expect(evaluate("  ${vars.n + 1 < 5 && !contains(vars.body, 'error')}  ", { n: 3, body: "ok" })).toBe(true);
    expect(evaluate("${vars.token}", {})).toBe(false);
    expect(evaluate("${len(vars.token)}", { token: "abc" })).toBe(true);
    expect(evaluate("${vars.flag}", { flag: false })).toBe(false);
  });

  test("typed variables work in the bare form too", () => {
    expect(evaluate("${vars.n} < 5", { n: 4 })).toBe(true);
    expect(evaluate("${vars.ok} == true", { ok: true })).toBe(true);
    expect(evaluate("${vars.n + 1} == 5", { n: 4 })).toBe(true);
  });

  test("errors in the expression form evaluate to false", () => {
    for (const source of ["${vars.n <}", "${nope}", "${1 / 0 > 1}", "${vars.a @ 1} == 2"]) {
      const { condition, errors } = compile(source);
      expect(errors.length).toBeGreaterThan(0);
      expect(condition.evaluate(scope({ n: 1, a: 1 }))).toBe(false);
    }
  });

  test("a run-time error in a condition throws (the step fails with its location)", () => {
    const { condition } = compile("${vars.total / vars.count > 1}");
    expect(() => condition.evaluate(scope({ total: 1, count: 0 }))).toThrow("division by zero (vars.count is 0)");
  });

  test("the bare form and the expression form agree", () => {
    const pairs: Array<[string, string]> = [
      ["${vars.a} < 5", "${vars.a < 5}"],
      ["${vars.a} == ${vars.b}", "${vars.a == vars.b}"],
      ["${vars.a} != 'x' && ${vars.b} >= 2", "${vars.a != 'x' && vars.b >= 2}"],
      ["!${vars.a} || ${vars.b}", "${!vars.a || vars.b}"],
      ["${vars.a}", "${vars.a}"],
      ["${vars.a} contains ${vars.b}", "${contains(vars.a, vars.b)}"],
      ["!(${vars.a} > ${vars.b})", "${!(vars.a > vars.b)}"],
    ];
    const value = fc.oneof(fc.constantFrom<VarValue>("", "0", "false", "x", "10", "2", "1.0", " 3", true, false), fc.integer({ min: -3, max: 12 }));
    fc.assert(
      fc.property(value, value, fc.constantFrom(...pairs), (a, b, [bare, expression]) => {
        expect(evaluate(bare, { a, b })).toBe(evaluate(expression, { a, b }));
      }),
      { numRuns: 500 },
    );
  });
});

describe("a lone operator character (found by the fuzzer: it froze the loader)", () => {
  test("'=', '&' and '|' are errors with the operator meant", () => {
    for (const [source, meant] of [["a = b", "=="], ["${vars.x} & 1", "&&"], ["x |", "||"]] as const) {
      const errors: string[] = [];
      const ctx = { env: {}, mode: "run" as const, feeds: new Map(), runtime: true, error: (m: string) => errors.push(m), warn: () => {} };
      compileCondition(source, ctx);
      expect(errors.join("\n")).toContain(`(did you mean "${meant}"?)`);
    }
  });
});
