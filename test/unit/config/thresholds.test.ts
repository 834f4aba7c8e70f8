import { describe, expect, test } from "bun:test";
import { parseThresholdKey } from "../../../src/config/normalize/thresholds.ts";
import { loadIssues, loadOk, withFlow } from "./helpers.ts";

const plan = (thresholds: string) => withFlow("- sleep: 1s", `thresholds:\n${thresholds}\n`);

describe("thresholds", () => {
  test("keys with tag filters", () => {
    expect(parseThresholdKey("http_req_duration{scenario:burst, name : login}")).toEqual({
      metric: "http_req_duration",
      filter: { scenario: "burst", name: "login" },
    });
    expect(parseThresholdKey("checks")).toEqual({ metric: "checks", filter: {} });
    expect(parseThresholdKey("checks{nocolon}")).toHaveProperty("error");
    expect(parseThresholdKey("bad key")).toHaveProperty("error");
  });

  test("strings, lists and objects normalize to ThresholdSpecs in order", () => {
    const t = loadOk(plan('  iterations: "count>10"\n  vus: ["value<100"]\n  http_req_waiting:\n    - "avg<200"\n    - { threshold: "p(90)<300", abortOnFail: true }')).thresholds;
    expect(t.map((x) => [x.key, x.expression, x.abortOnFail, x.delayAbortEval])).toEqual([
      ["iterations", "count>10", false, 0],
      ["vus", "value<100", false, 0],
      ["http_req_waiting", "avg<200", false, 0],
      ["http_req_waiting", "p(90)<300", true, 0],
    ]);
    expect(t[3]!.loc).toMatchObject({ line: 12, column: 7 });
  });

  test("an unknown metric suggests the closest built-in", () => {
    const issues = loadIssues(plan('  http_req_faild: ["rate<0.1"]'));
    expect(issues).toMatchObject([{ path: "thresholds.http_req_faild", line: 8, column: 3 }]);
    expect(issues[0]!.message).toBe('unknown metric "http_req_faild"; did you mean "http_req_failed"?');
  });

  test("a malformed expression is an error at the expression", () => {
    const issues = loadIssues(plan('  http_req_duration: ["p95<500", "p(95)<500"]'));
    expect(issues).toMatchObject([{ path: "thresholds.http_req_duration.0", line: 8, column: 23 }]);
    expect(issues[0]!.message).toContain('threshold "p95<500" is not an expression like');
  });

  test("an aggregation that does not apply to the metric type is an error", () => {
    const issues = loadIssues(plan('  http_reqs:\n    - threshold: "p(99)<5"\n  vus: ["avg<3"]'));
    expect(issues.map((i) => [i.path, i.line, i.column, i.message])).toEqual([
      ["thresholds.http_reqs.0.threshold", 9, 18, "p(N) does not apply to http_reqs, a counter; use one of count, rate"],
      ["thresholds.vus.0", 10, 9, "avg does not apply to vus, a gauge; use one of value"],
    ]);
  });

  test("bad delayAbortEval and unknown keys in a threshold object", () => {
    const issues = loadIssues(plan('  checks:\n    - { threshold: "rate>0.9", delayAbortEval: soon, abortOnFial: true }'));
    expect(issues.map((i) => i.path)).toEqual(["thresholds.checks.0.delayAbortEval", "thresholds.checks.0.abortOnFial"]);
    expect(issues[1]!.message).toContain('did you mean "abortOnFail"?');
  });
});
