import { describe, expect, test } from "bun:test";
import type { CheckSpec, TemplateScope } from "../../../src/config/plan.ts";
import type { BodyCheck } from "../../../src/core/checks/body.ts";
import type { DurationCheck } from "../../../src/core/checks/duration.ts";
import type { HeaderCheck } from "../../../src/core/checks/header.ts";
import { SHARED_CHECKS } from "../../../src/core/checks/index.ts";
import type { JsonCheck } from "../../../src/core/checks/json.ts";
import { compileChecks, evaluateCheck, runChecks } from "../../../src/core/checks/run.ts";
import type { StatusCheck } from "../../../src/core/checks/status.ts";
import type { CompiledCheck } from "../../../src/core/modules.ts";
import type { ResponseView } from "../../../src/protocols/types.ts";
import { loc, networkError, RecordingSink, response, timings, tpl } from "../flow/fakes.ts";

const scope: TemplateScope = { vars: { want: "ann" }, data: {}, vu: 1, iteration: 0, scenario: "s" };
const res = response({
  status: 201,
  headers: { "content-type": ["text/plain", "application/json; charset=utf-8"], "x-id": ["42"] },
  body: JSON.stringify({ user: { name: "ann", age: 30, admin: false, score: 1.5 }, items: [{ id: 1 }, { id: 2 }], nil: null }),
  timings: timings(120),
});
/** A shared check kind and its spec, written flat (`{ kind: "status", oneOf: [200] }`). */
type CheckBody =
  | ({ kind: "status" } & StatusCheck)
  | ({ kind: "header" } & HeaderCheck)
  | ({ kind: "body" } & BodyCheck)
  | ({ kind: "json" } & JsonCheck)
  | ({ kind: "duration" } & DurationCheck);
const specOf = ({ kind, ...spec }: CheckBody, name = "c"): CheckSpec => ({ kind, name, loc, spec });
const compiled = (body: CheckBody, name?: string, group = "", tags = {}): CompiledCheck =>
  compileChecks([specOf(body, name)], SHARED_CHECKS, { scenario: "s", tags: tags, group })[0]!;
const evaluate = (body: CheckBody, on: ResponseView): boolean => evaluateCheck(compiled(body), on, scope);
const check = (body: CheckBody): boolean => evaluate(body, res);

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
    expect(evaluate({ kind: "json", path: "$.a" }, response({ body: "<html>" }))).toBe(false);
  });

  test("duration below", () => {
    expect(check({ kind: "duration", below: 200 })).toBe(true);
    expect(check({ kind: "duration", below: 120 })).toBe(false);
  });

  test("a network failure fails every kind of check, even negative ones", () => {
    const failed = networkError();
    const specs: CheckBody[] = [
      { kind: "status", oneOf: [0, 200] },
      { kind: "header", header: "x", exists: false },
      { kind: "json", path: "$.x", exists: false },
      { kind: "duration", below: 1e9 },
      { kind: "body", contains: tpl("") },
    ];
    for (const spec of specs) expect(evaluate(spec, failed)).toBe(false);
  });
});

describe("runChecks", () => {
  test("records one checks sample per check with check/group/scenario and scenario tags", () => {
    const sink = new RecordingSink();
    const checks = [
      compiled({ kind: "status", oneOf: [201] }, "is 201", "::g", { team: "x" }),
      compiled({ kind: "json", path: "$.user.nmae", exists: true }, "wrong path", "::g", { team: "x" }),
    ];
    expect(runChecks(checks, res, scope, sink)).toBe(1);
    expect(sink.samples).toEqual([
      { metric: "checks", value: 1, tags: { team: "x", check: "is 201", group: "::g", scenario: "s" } },
      { metric: "checks", value: 0, tags: { team: "x", check: "wrong path", group: "::g", scenario: "s" } },
    ]);
  });
});

describe("compileChecks", () => {
  test("a kind the worker has no runtime for fails the compile with the plan location", () => {
    const unknown: CheckSpec = { kind: "grpcStatus", name: "ok", loc: { file: "p.yaml", line: 4, column: 11 }, spec: {} };
    expect(() => compileChecks([unknown], SHARED_CHECKS, { scenario: "s", tags: {}, group: "" })).toThrow(
      'p.yaml:4:11: no runtime for check kind "grpcStatus"',
    );
  });
});
