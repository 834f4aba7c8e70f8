// The expression language's semantics, through compileTemplate (a template that is exactly one
// `${...}` evaluates to the expression's typed value): types, operators, functions, names, and
// what is an error at load (with its offset) or at run time.
import { describe, expect, test } from "bun:test";
import type { TemplateScope, VarValue } from "../../../../src/config/plan.ts";
import { ExpressionError, MAX_NUMBER, MAX_STRING_LENGTH } from "../../../../src/config/expression/values.ts";
import { compileTemplate, type TemplateContext } from "../../../../src/config/templates.ts";

interface Problem {
  message: string;
  offset?: number;
  hint?: string;
}

function context(options: Partial<TemplateContext> = {}) {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const ctx: TemplateContext = {
    env: { HOST: "example.com", N: "41" },
    mode: "run",
    feeds: new Map([["users", ["name", "age"]]]),
    runtime: true,
    error: (message, hint, offset) => errors.push({ message, offset, ...(hint ? { hint } : {}) }),
    warn: (message, hint, offset) => warnings.push({ message, offset, ...(hint ? { hint } : {}) }),
    ...options,
  };
  return { ctx, errors, warnings };
}

function scope(vars: Record<string, VarValue> = {}): TemplateScope {
  return { vars: Object.assign(Object.create(null), vars), data: { users: { name: "Ann", age: "42" } }, vu: 3, iteration: 7, scenario: "browse" };
}

/** The value of `${expression}` over `vars`, failing on any load problem. */
function value(expression: string, vars: Record<string, VarValue> = {}) {
  const { ctx, errors } = context();
  const template = compileTemplate(`\${${expression}}`, ctx);
  expect(errors).toEqual([]);
  return template.evaluate(scope(vars));
}

/** The load problems of `${expression}`. */
function problems(expression: string, options: Partial<TemplateContext> = {}) {
  const { ctx, errors } = context(options);
  compileTemplate(`\${${expression}}`, ctx);
  return errors;
}

/** The run-time error of `${expression}` over `vars`. */
function runError(expression: string, vars: Record<string, VarValue> = {}): ExpressionError {
  const { ctx, errors } = context();
  const template = compileTemplate(`\${${expression}}`, ctx);
  expect(errors).toEqual([]);
  try {
    template.evaluate(scope(vars));
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error(`expected \${${expression}} to fail at run time`);
}

describe("types and operators", () => {
  test("arithmetic on numbers gives numbers; numeric strings count as numbers for - * / %", () => {
    expect(value("vars.n + 1", { n: 4 })).toBe(5);
    expect(value("vars.n * 2 - 1", { n: 4 })).toBe(7);
    expect(value("7 / 2")).toBe(3.5);
    expect(value("7 % 3")).toBe(1);
    expect(value("vars.s - 1", { s: "10" })).toBe(9);
    expect(value("-vars.n", { n: 2 })).toBe(-2);
    expect(value("0.1 + 0.2")).toBe(0.30000000000000004);
  });

  test("+ joins when either side is a string, as JS does", () => {
    expect(value("vars.s + 1", { s: "10" })).toBe("101");
    expect(value("'n=' + vars.n", { n: 1.5 })).toBe("n=1.5");
    expect(value("int(vars.s) + 1", { s: "10" })).toBe(11);
    expect(value("'ok: ' + true")).toBe("ok: true");
  });

  test("comparisons are numeric when both sides are numeric, else on strings", () => {
    expect(value("vars.n < 5", { n: 4 })).toBe(true);
    expect(value("vars.s < 5", { s: "10" })).toBe(false); // 10 < 5 as numbers; "10" < "5" as strings would hold
    expect(value("vars.s == 1", { s: "1.0" })).toBe(true);
    expect(value("'abc' < 'abd'")).toBe(true);
    expect(value("vars.t == 'true'", { t: true })).toBe(true);
    expect(value("vars.none == ''")).toBe(true);
    expect(value("vars.none == null")).toBe(true);
    expect(value("1 != 1")).toBe(false);
  });

  test("&& || ! give booleans by truthiness and short-circuit", () => {
    expect(value("vars.a && vars.b", { a: "x", b: 1 })).toBe(true);
    expect(value("vars.a || vars.b", { a: "0", b: "false" })).toBe(false);
    expect(value("!vars.none")).toBe(true);
    expect(value("!''")).toBe(true);
    expect(value("!0 && !'0' && !'false' && !false && !null")).toBe(true);
    expect(value("!'no'")).toBe(false);
    expect(value("false && 1 / vars.zero", { zero: 0 })).toBe(false);
    expect(value("true || 1 / vars.zero", { zero: 0 })).toBe(true);
  });

  test("literals: numbers, both quotes, true/false/null", () => {
    expect(value("'it\\'s'")).toBe("it's");
    expect(value('"a}b"')).toBe("a}b");
    expect(value("true")).toBe(true);
    expect(value("null")).toBe(null);
    expect(value("1e3")).toBe(1000);
  });
});

describe("names", () => {
  test("vars, data, env, vu, iteration, scenario", () => {
    expect(value("vars.n", { n: 3 })).toBe(3);
    expect(value("vars.user-id", { "user-id": "u1" })).toBe("u1");
    expect(value("data.users.name + '/' + data.users.age")).toBe("Ann/42");
    expect(value("int(env.N) + 1")).toBe(42);
    expect(value("vu * 100 + iteration")).toBe(307);
    expect(value("upper(scenario)")).toBe("BROWSE");
  });

  test("an unset variable is null; names are own properties only", () => {
    expect(value("vars.none")).toBe(null);
    expect(value("vars.constructor")).toBe(null);
    expect(value("vars.__proto__")).toBe(null);
    expect(value("vars.__proto__", { __proto__: "own" } as Record<string, VarValue>)).toBe(null); // a literal __proto__ key sets the prototype
    const own = Object.create(null) as Record<string, VarValue>;
    own["__proto__"] = "own";
    expect(value("vars.__proto__", own)).toBe("own");
    expect(problems("env.constructor")).toMatchObject([{ message: expect.stringContaining("environment variable constructor is not set") }]);
  });

  test("unknown names and functions: a did-you-mean at the name's offset", () => {
    expect(problems("vras.token")).toEqual([
      { message: '${vras.token}: unknown name "vras"; did you mean "vars"?', offset: 2, hint: expect.stringContaining("vars.NAME") },
    ]);
    expect(problems("1 + lowr(vars.s)")).toMatchObject([{ message: '${1 + lowr(vars.s)}: unknown function "lowr"; did you mean "lower"?', offset: 6 }]);
    expect(problems("count < 5")).toMatchObject([{ message: '${count < 5}: unknown name "count"; to read a variable, write vars.count', offset: 2 }]);
    expect(problems("vars")).toMatchObject([{ message: "${vars}: write vars.NAME", offset: 2 }]);
    expect(problems("vars.a.b")).toMatchObject([{ message: "${vars.a.b}: write vars.NAME; vars.a.b has too many parts" }]);
    expect(problems("lower")).toMatchObject([{ message: "${lower}: lower is a function: write lower(s)" }]);
    expect(problems("data.user.name")).toMatchObject([{ message: '${data.user.name}: no data feed "user"; did you mean "users"?', offset: 7, hint: "feeds: users" }]);
    expect(problems("data.users.nme")).toMatchObject([{ message: '${data.users.nme}: feed "users" has no column "nme"; did you mean "name"?', offset: 13 }]);
  });

  test("vars.n-1 reads a variable named n-1, with a warning that says how to subtract", () => {
    const { ctx, warnings } = context();
    compileTemplate("${vars.n-1}", ctx);
    expect(warnings).toEqual([{ message: '${vars.n-1}: vars.n-1 reads the variable named "n-1"; to subtract, write vars.n - 1', offset: 2 }]);
  });

  test("where only load-time values make sense, run-time names and random functions are errors", () => {
    expect(problems("env.HOST + '/' + vars.path", { runtime: false })).toEqual([
      { message: "${env.HOST + '/' + vars.path}: vars.path is not known when the plan loads; only env.NAME and constants can be used here", offset: 19 },
    ]);
    expect(problems("uuid()", { runtime: false })).toHaveLength(1);
    const { ctx, errors } = context({ runtime: false });
    expect(compileTemplate("${lower(env.HOST) + ':' + (8000 + 80)}", ctx).render(scope())).toBe("example.com:8080");
    expect(errors).toEqual([]);
  });

  test("an unset env var is an error in run mode and a warning in validate mode, at its name", () => {
    expect(problems("env.NOPE")).toEqual([{ message: "environment variable NOPE is not set; set it or write ${env.NOPE:-default}", offset: 6 }]);
    const { ctx, errors, warnings } = context({ mode: "validate" });
    compileTemplate("${env.NOPE}", ctx);
    expect(errors).toEqual([]);
    expect(warnings).toHaveLength(1);
  });
});

describe("functions", () => {
  const cases: Array<[string, unknown]> = [
    ["lower('AbC')", "abc"],
    ["upper('AbC')", "ABC"],
    ["trim('  a b  ')", "a b"],
    ["len('héllo')", 5],
    ["len(1234)", 4],
    ["contains('a,b,c', ',b,')", true],
    ["startsWith('Bearer x', 'Bearer ')", true],
    ["endsWith('file.json', '.csv')", false],
    ["substr('abcdef', 2)", "cdef"],
    ["substr('abcdef', 1, 3)", "bcd"],
    ["substr('abcdef', -2)", "ef"],
    ["substr('abc', 5, 2)", ""],
    ["replace('a-b-c', '-', '+')", "a+b+c"],
    ["int('42')", 42],
    ["int(3.9)", 3],
    ["int(-3.9)", -3],
    ["int(true)", 1],
    ["float('2.5') * 2", 5],
    ["str(12) + str(true)", "12true"],
    ["round(2.5)", 3],
    ["round(3.14159, 2)", 3.14],
    ["min(3, '1', 2)", 1],
    ["max(3, 1, 2)", 3],
    ["abs(-4.5)", 4.5],
    ["randomInt(7, 7)", 7],
  ];
  for (const [expression, expected] of cases) {
    test(`${expression} is ${JSON.stringify(expected)}`, () => expect(value(expression)).toEqual(expected as never));
  }

  test("randomInt(a, b) covers [a, b]; uuid and timestamp, with or without parentheses", () => {
    const { ctx } = context();
    const random = compileTemplate("${randomInt(vars.lo, 3)}", ctx);
    const seen = new Set(Array.from({ length: 300 }, () => random.evaluate(scope({ lo: 1 }))));
    expect([...seen].sort()).toEqual([1, 2, 3]);
    expect(value("uuid")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(value("uuid()")).not.toBe(value("uuid()"));
    const before = Date.now();
    const now = value("timestamp") as number;
    expect(now).toBeGreaterThanOrEqual(before);
    expect(value("timestamp() >= " + before)).toBe(true);
  });

  test("arity is checked at load", () => {
    expect(problems("lower('a', 'b')")).toMatchObject([{ message: "${lower('a', 'b')}: lower(s) takes 1 argument, got 2", offset: 2 }]);
    expect(problems("substr('a')")).toMatchObject([{ message: "${substr('a')}: substr(s, start, len?) takes 2 to 3 arguments, got 1" }]);
    expect(problems("min()")).toMatchObject([{ message: "${min()}: min(x, y, ...) takes at least 1 argument, got 0" }]);
    expect(problems("uuid(1)")).toHaveLength(1);
  });
});

describe("errors: constants at load, the rest at run time", () => {
  test("constant sub-expressions are computed at load, so their errors are load errors at the operator", () => {
    expect(problems("vars.n + 1 / 0")).toEqual([{ message: "${vars.n + 1 / 0}: division by zero", offset: 13 }]);
    expect(problems("int('abc')")).toMatchObject([{ message: "${int('abc')}: int needs a number, got 'abc'", offset: 2 }]);
    expect(problems("randomInt(5, 1)")).toMatchObject([{ message: "${randomInt(5, 1)}: randomInt: the minimum 5 is greater than the maximum 1" }]);
    expect(problems("randomInt(1, 2.5)")).toMatchObject([{ message: "${randomInt(1, 2.5)}: randomInt's max needs an integer, got 2.5" }]);
    expect(problems(`${MAX_NUMBER} + 1`)).toMatchObject([{ message: expect.stringContaining("the sum is past ±2^53") }]);
    expect(problems("round(1, 16)")).toMatchObject([{ message: "${round(1, 16)}: round's digits must be 0 to 15, got 16" }]);
  });

  test("division by zero at run time throws, naming the expression and the divisor", () => {
    const error = runError("vars.total / vars.count", { total: 10, count: 0 });
    expect(error.message).toBe("${vars.total / vars.count}: division by zero (vars.count is 0)");
    expect(runError("vars.a % vars.b", { a: 1, b: "0" }).message).toContain("division by zero");
  });

  test("numbers past ±2^53 are errors, in results and in randomInt's bounds", () => {
    expect(runError("vars.n * 2", { n: MAX_NUMBER }).message).toBe(`\${vars.n * 2}: the product is past ±2^53 (${MAX_NUMBER}), where numbers lose integer precision`);
    expect(runError("vars.n + 1", { n: MAX_NUMBER }).message).toContain("past ±2^53");
    expect(runError("int(vars.s)", { s: "1e300" }).message).toContain("past ±2^53");
    expect(runError("randomInt(0, vars.n)", { n: "9007199254740993" }).message).toContain("past ±2^53");
    expect(runError("randomInt(vars.a, vars.b)", { a: -MAX_NUMBER, b: MAX_NUMBER }).message).toContain("wider than 2^53");
  });

  test("arithmetic on what is not a number says which side and what it was", () => {
    expect(runError("vars.n + 1").message).toBe('${vars.n + 1}: "+" adds numbers or joins strings; the left side of "+" (vars.n) is null (an unset variable is null)');
    expect(runError("vars.s * 2", { s: "abc" }).message).toBe(`\${vars.s * 2}: the left side of "*" (vars.s) needs a number, got 'abc'`);
    expect(runError("1 - vars.b", { b: true }).message).toContain('the right side of "-" (vars.b) needs a number, got true');
  });

  test("strings cannot grow past the limit", () => {
    const big = "x".repeat(MAX_STRING_LENGTH / 2 + 1);
    expect(runError("vars.s + vars.s", { s: big }).message).toContain(`longer than ${MAX_STRING_LENGTH} characters`);
    expect(runError("replace(vars.s, 'x', 'xx')", { s: big }).message).toContain(`longer than ${MAX_STRING_LENGTH} characters`);
    // sized before it is built: 2001 insertions of 2000 characters would be 4 million
    const small = "y".repeat(2000);
    expect(runError("replace(vars.s, '', vars.s)", { s: small }).message).toBe(`\${replace(vars.s, '', vars.s)}: replace's result is longer than ${MAX_STRING_LENGTH} characters`);
    expect(value("replace(vars.s, 'y', '')", { s: small })).toBe("");
  });

  test("syntax errors are load errors at the offending character of the template string", () => {
    const { ctx, errors } = context();
    compileTemplate("/items/${vars.n +}/x", ctx);
    expect(errors).toEqual([{ message: "${vars.n +}: the expression ends where a value was expected", offset: 17 }]);
  });
});
