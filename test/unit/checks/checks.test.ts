import { describe, expect, test } from "bun:test";
import type { CheckSpec, TemplateScope } from "../../../src/config/plan.ts";
import { compileCheck, evaluateCheck, runChecks } from "../../../src/core/checks.ts";
import { loc, networkError, RecordingSink, response, timings, tpl } from "../flow/fakes.ts";

const scope: TemplateScope = { vars: { want: "ann" }, data: {}, vu: 1, iteration: 0, scenario: "s" };
const res = response({
  status: 201,
  headers: { "content-type": ["text/plain", "application/json; charset=utf-8"], "x-id": ["42"] },
  body: JSON.stringify({ user: { name: "ann", age: 30, admin: false, score: 1.5 }, items: [{ id: 1 }, { id: 2 }], nil: null }),
  timings: timings(120),
});
type CheckBody = CheckSpec extends infer C ? (C extends unknown ? Omit<C, "name" | "loc"> : never) : never;
const check = (spec: CheckBody): boolean =>
  evaluateCheck({ name: "c", loc, ...spec } as CheckSpec, res, scope);

describe("evaluateCheck", () => {
  test("status", () => {
    expect(check({ kind: "status", oneOf: [200, 201] })).toBe(true);
    expect(check({ kind: "status", oneOf: [200] })).toBe(false);
  });

  test("header: case-insensitive name, any value, exists", () => {
    expect(check({ kind: "header", header: "Content-Type", contains: tpl("json") })).toBe(true);
    expect(check({ kind: "header", header: "content-type", equals: tpl("text/plain") })).toBe(true);
    expect(check({ kind: "header", header: "content-type", equals: tpl("text/html") })).toBe(false);
    expect(check({ kind: "header", header: "X-ID", matches: /^\d+$/ })).toBe(true);
    expect(check({ kind: "header", header: "x-id", matches: /^[a-z]+$/ })).toBe(false);
    expect(check({ kind: "header", header: "x-id" })).toBe(true);
    expect(check({ kind: "header", header: "x-id", exists: true })).toBe(true);
    expect(check({ kind: "header", header: "x-none" })).toBe(false);
    expect(check({ kind: "header", header: "x-none", exists: false })).toBe(true);
    expect(check({ kind: "header", header: "x-id", exists: false })).toBe(false);
    // every condition must hold
    expect(check({ kind: "header", header: "x-id", equals: tpl("42"), contains: tpl("9") })).toBe(false);
  });

  test("body contains (rendered) and matches", () => {
    expect(check({ kind: "body", contains: tpl('"name":"${vars.want}"') })).toBe(true);
    expect(check({ kind: "body", contains: tpl("bob") })).toBe(false);
    expect(check({ kind: "body", matches: /"age":\d+/g })).toBe(true);
    expect(check({ kind: "body", matches: /"age":\d+/g })).toBe(true); // no lastIndex carry-over
    expect(check({ kind: "body", matches: /"age":"x"/ })).toBe(false);
  });

  test("json equals compares text; exists", () => {
    expect(check({ kind: "json", path: "$.user.name", equals: tpl("${vars.want}") })).toBe(true);
    expect(check({ kind: "json", path: "$.user.age", equals: tpl("30") })).toBe(true);
    expect(check({ kind: "json", path: "$.user.score", equals: tpl("1.5") })).toBe(true);
    expect(check({ kind: "json", path: "$.user.admin", equals: tpl("false") })).toBe(true);
    expect(check({ kind: "json", path: "$.nil", equals: tpl("null") })).toBe(true);
    expect(check({ kind: "json", path: "$.items[-1].id", equals: tpl("2") })).toBe(true);
    expect(check({ kind: "json", path: "$.user.age", equals: tpl("31") })).toBe(false);
    expect(check({ kind: "json", path: "$.user.name" })).toBe(true);
    expect(check({ kind: "json", path: "$.user.name", exists: true })).toBe(true);
    expect(check({ kind: "json", path: "$.user.nope", exists: true })).toBe(false);
    expect(check({ kind: "json", path: "$.user.nope", exists: false })).toBe(true);
    expect(check({ kind: "json", path: "$.user.nope" })).toBe(false);
    expect(check({ kind: "json", path: "$.items[?(@.id)]" })).toBe(false);
    expect(
      evaluateCheck({ name: "c", loc, kind: "json", path: "$.a" }, response({ body: "<html>" }), scope),
    ).toBe(false);
  });

  test("duration below", () => {
    expect(check({ kind: "duration", below: 200 })).toBe(true);
    expect(check({ kind: "duration", below: 120 })).toBe(false);
  });

  test("a network failure fails every kind of check, even negative ones", () => {
    const failed = networkError();
    const specs: CheckSpec[] = [
      { name: "a", loc, kind: "status", oneOf: [0, 200] },
      { name: "b", loc, kind: "header", header: "x", exists: false },
      { name: "c", loc, kind: "json", path: "$.x", exists: false },
      { name: "d", loc, kind: "duration", below: 1e9 },
      { name: "e", loc, kind: "body", contains: tpl("") },
    ];
    for (const spec of specs) expect(evaluateCheck(spec, failed, scope)).toBe(false);
  });
});

describe("runChecks", () => {
  test("records one checks sample per check with check/group/scenario and scenario tags", () => {
    const sink = new RecordingSink();
    const checks = [
      compileCheck({ name: "is 201", loc, kind: "status", oneOf: [201] }, "::g", "s", { team: "x" }),
      compileCheck({ name: "wrong path", loc, kind: "json", path: "$.user.nmae", exists: true }, "::g", "s", { team: "x" }),
    ];
    expect(runChecks(checks, res, scope, sink)).toBe(1);
    expect(sink.samples).toEqual([
      { metric: "checks", value: 1, tags: { team: "x", check: "is 201", group: "::g", scenario: "s" } },
      { metric: "checks", value: 0, tags: { team: "x", check: "wrong path", group: "::g", scenario: "s" } },
    ]);
  });
});
