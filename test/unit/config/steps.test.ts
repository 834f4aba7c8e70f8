import { describe, expect, test } from "bun:test";
import type { Step } from "../../../src/config/plan.ts";
import type { GroupSpec } from "../../../src/core/flow/steps/group.ts";
import type { IfSpec } from "../../../src/core/flow/steps/if.ts";
import type { LoopSpec } from "../../../src/core/flow/steps/loop.ts";
import type { RequestSpec } from "../../../src/protocols/http1/step/spec.ts";
import { loadIssues, loadOk, SCOPE, specOf, withFlow } from "./helpers.ts";

const flowOf = (flow: string, extra = ""): Step[] => loadOk(withFlow(flow, extra)).scenarios[0]!.flow;
const requestOf = (flow: string, extra = "") => specOf<RequestSpec>(flowOf(flow, extra)[0], "request");

describe("requests", () => {
  test("defaults: method GET, name = URL source, timeouts, headers merged (request wins, lower-cased)", () => {
    const r = requestOf(
      '- request:\n    url: "/items/${vu}"\n    headers: { X-Trace: "${uuid}", Accept: text/plain }',
      "defaults:\n  headers: { Accept: application/json, User-Agent: loadr }\n  connectTimeout: 2s\n  insecure: true\n",
    );
    expect(r.method).toBe("GET");
    expect(r.name).toBe("/items/${vu}");
    expect(r.timeout).toBe(60_000);
    expect(r.connectTimeout).toBe(2000);
    expect(r.maxRedirects).toBe(10);
    expect(r.tls).toEqual({ insecure: true });
    expect(r.headers.map(([k, v]) => [k, v.source])).toEqual([
      ["accept", "text/plain"],
      ["user-agent", "loadr"],
      ["x-trace", "${uuid}"],
    ]);
  });

  test("headers whose names differ only in case are one header: the later value wins", () => {
    const r = requestOf('- request:\n    url: /\n    headers: { X-A: "1", x-b: "${vu}", x-a: "2" }');
    expect(r.headers.map(([k, v]) => [k, v.source])).toEqual([
      ["x-a", "2"],
      ["x-b", "${vu}"],
    ]);
  });

  test("bodies: form, raw with content type, file (added to plan.files)", () => {
    expect(requestOf("- request: { url: /, method: post, form: { a: '${vu}', b: 2 } }").body).toMatchObject({ kind: "form" });
    const raw = requestOf("- request: { url: /, body: 'hello ${vu}', contentType: text/plain }").body;
    expect(raw?.kind === "raw" && [raw.text.render(SCOPE), raw.contentType]).toEqual(["hello 1", "text/plain"]);
    const plan = loadOk(withFlow("- request: { url: /, method: PUT, file: users.csv }"));
    expect(plan.files).toEqual(["users.csv"]);
    const missing = loadIssues(withFlow("- request: { url: /, file: nope.bin }"));
    expect(missing[0]!.message).toContain("body file not found");
  });

  test("checks get readable default names", () => {
    const r = requestOf(`- request:
    url: /
    checks:
      - status: [200, 201]
      - header: Content-Type
        contains: json
      - header: x-id
      - body: { contains: ok }
      - body: { matches: "id=\\\\d+" }
      - json: $.user
        equals: ann
      - json: $.id
      - json: $.error
        exists: false
      - duration: { below: 500ms }
      - status: 204
        name: no content`);
    expect(r.checks.map((c) => c.name)).toEqual([
      "status is 200 or 201",
      "header content-type contains json",
      "header x-id exists",
      'body contains "ok"',
      "body matches /id=\\d+/",
      "$.user equals ann",
      "$.id exists",
      "$.error does not exist",
      "duration below 500ms",
      "no content",
    ]);
    expect(r.checks[4]).toMatchObject({ kind: "body", spec: { matches: /id=\d+/ } });
    expect(r.checks[8]).toMatchObject({ kind: "duration", spec: { below: 500 } });
  });

  test("check errors", () => {
    const issues = loadIssues(withFlow("- request:\n    url: /\n    checks:\n      - stauts: 200\n      - status: 99\n      - header: a\n        equals: x\n        exists: true"));
    expect(issues.map((i) => i.message)).toEqual([
      'unknown check "stauts"; did you mean "status"? (check kinds: status, header, body, json, duration, js)',
      "expected a whole number between 100 and 599, got 99",
      "a header check takes one of equals, contains, matches, exists; got equals and exists",
    ]);
  });

  test("extractions", () => {
    const r = requestOf(`- request:
    url: /
    extract:
      token: { json: $.token }
      id: { regex: "id=(\\\\d+)" }
      second: { regex: "(a)(b)", group: 2 }
      trace: { header: X-Trace }
      session: { cookie: sid }`);
    expect(r.extract.map(({ loc, ...e }) => e)).toEqual([
      { variable: "token", kind: "json", spec: { path: "$.token" } },
      { variable: "id", kind: "regex", spec: { pattern: /id=(\d+)/, group: 1 } },
      { variable: "second", kind: "regex", spec: { pattern: /(a)(b)/, group: 2 } },
      { variable: "trace", kind: "header", spec: { header: "x-trace" } },
      { variable: "session", kind: "cookie", spec: { cookie: "sid" } },
    ]);
    const issues = loadIssues(withFlow('- request:\n    url: /\n    extract:\n      id: { regex: "id=\\\\d+" }\n      x: { jsn: $.a }'));
    expect(issues.map((i) => i.message)).toEqual([
      "group 1 does not exist: /id=\\d+/ has 0 capture groups",
      'unknown extraction "jsn"; did you mean "json"? (extraction kinds: json, regex, header, cookie)',
    ]);
  });
});

describe("flow steps", () => {
  test("sleep, group, loop, if, set", () => {
    const flow = flowOf(`- sleep: { min: 1s, max: 3s }
- group: cart
  steps:
    - set: { count: "0" }
- loop: { count: 3 }
  steps:
    - sleep: 10ms
- loop: { while: "\${vars.count} < 5" }
  steps:
    - set: { next: "\${iteration}" }
- if: "\${vars.count} == 0"
  then:
    - sleep: 1ms
  else:
    - sleep: 2ms`);
    expect(flow.map((s) => s.kind)).toEqual(["sleep", "group", "loop", "loop", "if"]);
    expect(flow[0]).toMatchObject({ spec: { min: 1000, max: 3000 }, loc: { line: 6, column: 9 } });
    expect(specOf<GroupSpec>(flow[1], "group")).toMatchObject({ name: "cart", steps: [{ kind: "set" }] });
    expect(specOf<LoopSpec>(flow[2], "loop")).toMatchObject({ count: 3, maxIterations: 3 });
    const loop = specOf<LoopSpec>(flow[3], "loop");
    expect(loop.maxIterations).toBe(1000);
    expect(loop.while?.evaluate({ ...SCOPE, vars: { count: "4" } })).toBe(true);
    expect(loop.while?.evaluate({ ...SCOPE, vars: { count: "5" } })).toBe(false);
    const branch = specOf<IfSpec>(flow[4], "if");
    expect(branch.condition.evaluate({ ...SCOPE, vars: { count: "0" } })).toBe(true);
    expect(branch.then).toMatchObject([{ kind: "sleep", spec: { min: 1 } }]);
    expect(branch.else).toMatchObject([{ kind: "sleep", spec: { min: 2 } }]);
  });

  test("step errors", () => {
    const issues = loadIssues(
      withFlow(`- sleep: { min: 3s, max: 1s }
- loop: { count: 2, while: "\${vars.x}" }
  steps: [{ sleep: 1s }]
- loop: {}
  steps: [{ sleep: 1s }]
- if: "\${vars.x} =="
  then: []
- set: { 1bad: x }
- group: g`),
    );
    expect(issues.map((i) => `${i.line}:${i.column} ${i.message}`)).toEqual([
      "6:16 min 3s is greater than max 1s",
      "7:15 a loop takes count: or while:, not both",
      "9:15 a loop needs count: N or while: CONDITION",
      '11:26 condition "${vars.x} ==": expected a value after ==', // at the end of the string
      '13:16 "1bad" is not a variable name (letters, digits, _ and -; not starting with a digit)',
      '14:9 "steps" is required in group step',
    ]);
  });
});

describe("defaults.tls", () => {
  test("the CA file is read at load time and listed in plan.files", () => {
    const plan = loadOk(withFlow("- request: { url: / }", "defaults:\n  tls: { ca: users.csv, serverName: api.local }\n"));
    const request = specOf<RequestSpec>(plan.scenarios[0]!.flow[0], "request");
    expect(request.tls.ca).toStartWith("name,password\n");
    expect(request.tls.serverName).toBe("api.local");
    expect(plan.files).toEqual(["users.csv"]);
    expect(loadIssues(withFlow("- sleep: 1s", "defaults:\n  tls: { ca: ../nope.pem }\n"))[0]!.message).toContain("CA file not found");
  });
});
