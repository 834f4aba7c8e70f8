import { describe, expect, test } from "bun:test";
import { compileCondition, truthy } from "../../../src/config/conditions.ts";
import type { TemplateContext } from "../../../src/config/templates.ts";

function compile(source: string) {
  const errors: string[] = [];
  const ctx: TemplateContext = { env: {}, mode: "run", feeds: new Map(), runtime: true, error: (m) => errors.push(m), warn: () => {} };
  return { condition: compileCondition(source, ctx), errors };
}

const scope = (vars: Record<string, string>) => ({ vars, data: {}, vu: 1, iteration: 0, scenario: "s" });
const evaluate = (source: string, vars: Record<string, string> = {}) => {
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
