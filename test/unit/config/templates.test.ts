import { describe, expect, test } from "bun:test";
import { compileJson, compileTemplate, EMPTY_SCOPE, literalTemplate, renderJson, type TemplateContext } from "../../../src/config/templates.ts";

function context(options: Partial<TemplateContext> = {}) {
  const errors: string[] = [];
  const warnings: string[] = [];
  const ctx: TemplateContext = {
    env: { HOST: "example.com", EMPTY: "" },
    mode: "run",
    feeds: new Map([["users", ["name", "password"]]]),
    runtime: true,
    error: (m) => errors.push(m),
    warn: (m) => warnings.push(m),
    ...options,
  };
  return { ctx, errors, warnings };
}

const scope = { vars: { token: "abc" }, data: { users: { name: "ann", password: "pw" } }, vu: 7, iteration: 3, scenario: "browse" };

describe("templates", () => {
  test("env is resolved at load time; the result is static", () => {
    const { ctx, errors } = context();
    const t = compileTemplate("https://${env.HOST}/x", ctx);
    expect(t.isStatic).toBe(true);
    expect(t.render(scope)).toBe("https://example.com/x");
    expect(t.source).toBe("https://${env.HOST}/x");
    expect(errors).toEqual([]);
  });

  test("env defaults apply when unset or empty", () => {
    const { ctx } = context();
    expect(compileTemplate("${env.NOPE:-http://localhost:8080}", ctx).render(scope)).toBe("http://localhost:8080");
    expect(compileTemplate("${env.EMPTY:-d}", ctx).render(scope)).toBe("d");
    expect(compileTemplate("${env.HOST:-d}", ctx).render(scope)).toBe("example.com");
  });

  test("an unset env var is an error in run mode and a warning in validate mode", () => {
    const run = context();
    compileTemplate("${env.BASE_URL}", run.ctx);
    expect(run.errors).toEqual(["environment variable BASE_URL is not set; set it or write ${env.BASE_URL:-http://localhost:8080}"]);
    const validate = context({ mode: "validate" });
    compileTemplate("${env.TOKEN}", validate.ctx);
    expect(validate.errors).toEqual([]);
    expect(validate.warnings).toEqual(["environment variable TOKEN is not set; set it or write ${env.TOKEN:-default}"]);
  });

  test("runtime references render from the scope", () => {
    const { ctx, errors } = context();
    const t = compileTemplate("${vu}/${iteration}/${scenario}/${vars.token}/${vars.none}/${data.users.name}", ctx);
    expect(t.isStatic).toBe(false);
    expect(t.render(scope)).toBe("7/3/browse/abc//ann");
    expect(errors).toEqual([]);
  });

  test("uuid, timestamp and randomInt", () => {
    const { ctx } = context();
    expect(compileTemplate("${uuid}", ctx).render(scope)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const before = Date.now();
    const ts = Number(compileTemplate("${timestamp}", ctx).render(scope));
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(Date.now());
    const r = compileTemplate("${randomInt(1, 3)}", ctx);
    const seen = new Set(Array.from({ length: 200 }, () => r.render(scope)));
    expect([...seen].sort()).toEqual(["1", "2", "3"]);
  });

  test("$${ is a literal ${", () => {
    const { ctx, errors } = context();
    const t = compileTemplate("cost: $${vu} and ${vu}", ctx);
    expect(t.render(scope)).toBe("cost: ${vu} and 7");
    expect(errors).toEqual([]);
  });

  test("unknown expressions, feeds and columns are errors", () => {
    const { ctx, errors } = context();
    compileTemplate("${foo}", ctx);
    compileTemplate("${data.users.email}", ctx);
    compileTemplate("${data.people.name}", ctx);
    compileTemplate("${randomInt(5,1)}", ctx);
    compileTemplate("${vu", ctx);
    expect(errors).toEqual([
      '${foo}: unknown name "foo"; to read a variable, write vars.foo',
      '${data.users.email}: feed "users" has no column "email"',
      '${data.people.name}: no data feed "people"',
      "${randomInt(5,1)}: randomInt: the minimum 5 is greater than the maximum 1",
      '"${vu": "${" is not closed with "}"',
    ]);
  });

  test("runtime references are errors where only load-time values make sense", () => {
    const { ctx, errors } = context({ runtime: false });
    compileTemplate("http://${vars.host}", ctx);
    expect(errors).toEqual(["${vars.host}: vars.host is not known when the plan loads; only env.NAME and constants can be used here"]);
  });

  test("JSON templates render to JSON values", () => {
    const { ctx } = context();
    const paths: string[] = [];
    const t = compileJson({ user: "${data.users.name}", n: 1, ok: true, none: null, list: ["${vu}", 2] }, (text, path) => {
      paths.push(path.join("."));
      return compileTemplate(text, ctx);
    });
    expect(paths).toEqual(["user", "list.0"]);
    expect(renderJson(t, scope)).toEqual({ user: "ann", n: 1, ok: true, none: null, list: ["7", 2] });
  });
});

describe("templates look names up on own properties only", () => {
  test("${env.constructor} is an unset variable, not Object.prototype's constructor", () => {
    const { ctx, errors } = context();
    const t = compileTemplate("x${env.constructor}y", ctx);
    expect(t.render(scope)).toBe("xy");
    expect(errors.join("\n")).toContain("environment variable constructor is not set");
    expect(compileTemplate("${env.toString:-fallback}", context().ctx).render(scope)).toBe("fallback");
  });

  test("${vars.constructor} and ${vars.__proto__} render as unset variables", () => {
    const { ctx, errors } = context();
    expect(compileTemplate("[${vars.constructor}][${vars.hasOwnProperty}]", ctx).render(scope)).toBe("[][]");
    expect(compileTemplate("${vars.token}", ctx).render(scope)).toBe("abc");
    expect(errors).toEqual([]);
  });

  test("a data column named like an Object member is only found when the feed has it", () => {
    const { ctx } = context({ feeds: new Map([["users", undefined]]) });
    const t = compileTemplate("[${data.users.constructor}]", ctx);
    expect(t.render(scope)).toBe("[]");
  });
});

describe("typed values", () => {
  const typed = { ...scope, vars: { n: 4, half: 2.5, whole: 1.0, ok: true, text: "10" } };

  test("a template that is exactly one expression evaluates to its typed value", () => {
    const { ctx, errors } = context();
    expect(compileTemplate("${vars.n + 1}", ctx).evaluate(typed)).toBe(5);
    expect(compileTemplate("${vars.n < 5}", ctx).evaluate(typed)).toBe(true);
    expect(compileTemplate("${vars.text}", ctx).evaluate(typed)).toBe("10");
    expect(compileTemplate("${vars.none}", ctx).evaluate(typed)).toBe(null);
    expect(errors).toEqual([]);
  });

  test("text around an expression makes the template a string", () => {
    const { ctx } = context();
    expect(compileTemplate("n=${vars.n + 1}", ctx).evaluate(typed)).toBe("n=5");
    expect(compileTemplate(" ${vars.n}", ctx).evaluate(typed)).toBe(" 4");
    expect(compileTemplate("${vars.n}${vars.n}", ctx).evaluate(typed)).toBe("44");
  });

  test("numbers render as JS String(x) (no .0 noise), booleans as true/false, null as empty", () => {
    const { ctx } = context();
    expect(compileTemplate("${vars.whole}|${vars.half}|${vars.ok}|${vars.none}|${10 / 4}|${2 * 0.5}", ctx).render(typed)).toBe("1|2.5|true||2.5|1");
    expect(compileTemplate("${vars.n + 1}", ctx).render(typed)).toBe("5");
  });

  test("constant expressions are computed once at load: the template is static", () => {
    const { ctx } = context();
    const t = compileTemplate("${60 * 1000}", ctx);
    expect(t.isStatic).toBe(true);
    expect(t.evaluate(EMPTY_SCOPE)).toBe(60000);
    expect(compileTemplate("x-${upper(env.HOST)}", ctx)).toMatchObject({ isStatic: true, source: "x-${upper(env.HOST)}" });
    expect(compileTemplate("x-${upper(env.HOST)}", ctx).render(EMPTY_SCOPE)).toBe("x-EXAMPLE.COM");
  });

  test("${env.NAME:-default} takes the text up to } as the default, quotes and all", () => {
    const { ctx, errors } = context();
    expect(compileTemplate("${env.NOPE:-it's a (default)}!", ctx).render(scope)).toBe("it's a (default)!");
    expect(errors).toEqual([]);
  });

  test("a } inside a quoted string does not end the expression", () => {
    const { ctx, errors } = context();
    expect(compileTemplate("{${replace(vars.token, 'b', '}')}}", ctx).render(scope)).toBe("{a}c}");
    expect(errors).toEqual([]);
  });

  test("literalTemplate keeps a YAML number or boolean typed", () => {
    expect(literalTemplate(0).evaluate(EMPTY_SCOPE)).toBe(0);
    expect(literalTemplate(false).render(EMPTY_SCOPE)).toBe("false");
  });
});

