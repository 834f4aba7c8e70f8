// The web UI's pure pieces (DOM-free modules under src/webui/ that the browser code imports): the label selector
// in cluster.selector's syntax, the line:col of an invalid plan's problems, the run's verdict, the
// compare page's overlay of two series, which of two views of a run the page keeps, and the
// cross-site guard of the servers.
import { describe, expect, test } from "bun:test";
import { matchesSelector as dispatchMatches } from "../../../src/cluster/dispatch.ts";
import { crossSiteProblem } from "../../../src/webui/http-guard.ts";
import { envOf } from "../../../src/webui/env-lines.ts";
import { matchesSelector, parseSelector } from "../../../src/webui/label-selector.ts";
import { offsetOf, problemsOf } from "../../../src/webui/plan-problems.ts";
import { verdictOf } from "../../../src/webui/run-verdict.ts";
import { laterView } from "../../../src/webui/run-view-order.ts";
import { overlay } from "../../../src/webui/series-overlay.ts";

describe("the fleet's label selector", () => {
  test("reads a plan's cluster.selector forms and matches as the dispatcher does", () => {
    for (const text of ["pool: default, region: eu", "{ pool: default, region: eu }", "pool=default,region=eu", " pool : 'default' , region: \"eu\" "]) {
      expect(parseSelector(text)).toEqual({ selector: { pool: "default", region: "eu" } });
    }
    expect(parseSelector("")).toEqual({ selector: {} });
    const labels = { pool: "default", region: "eu", tier: "x" };
    const selectors: Array<Record<string, string>> = [{}, { pool: "default" }, { pool: "default", region: "eu" }, { pool: "spare" }, { zone: "a" }];
    for (const selector of selectors) {
      expect(matchesSelector(labels, selector)).toBe(dispatchMatches(labels, selector));
    }
  });
  test("names what is wrong", () => {
    expect(parseSelector("pool")).toEqual({ error: 'pair 1 "pool" is not label: value' });
    expect(parseSelector("pool:")).toEqual({ error: "label pool has no value (write pool: VALUE)" });
    expect(parseSelector("{ pool: a")).toEqual({ error: "a selector that opens with { must close with }" });
    expect(parseSelector("a: 1, a: 2")).toEqual({ error: "label a appears twice" });
  });
});

describe("an invalid plan's problems", () => {
  test("each FILE:LINE:COL line becomes a position in the editor; the heading stays text", () => {
    const message = "invalid plan: 2 problems\n  plan.yaml:6:10 scenarios.main.vus: expected a number\n  plan.yaml:12:3 unknown key \"flw\" (did you mean flow?)";
    expect(problemsOf(message)).toEqual([
      { text: "invalid plan: 2 problems" },
      { line: 6, column: 10, text: "scenarios.main.vus: expected a number" },
      { line: 12, column: 3, text: 'unknown key "flw" (did you mean flow?)' },
    ]);
    const yaml = "a: 1\nbb: 2\nccc: 3\n";
    expect(yaml.slice(offsetOf(yaml, 2, 1))).toStartWith("bb: 2");
    expect(yaml.slice(offsetOf(yaml, 3, 6))).toStartWith("3");
    expect(offsetOf(yaml, 99, 1)).toBe(yaml.length);
  });
  test("environment lines are NAME=VALUE", () => {
    expect(envOf("BASE_URL=http://x:1/?a=b\n# note\n\nTOKEN=")).toEqual({ BASE_URL: "http://x:1/?a=b", TOKEN: "" });
    expect(envOf("oops")).toEqual({ error: 'environment line 1 "oops" is not NAME=VALUE' });
  });
});

describe("runs", () => {
  test("the verdict follows k6's exit codes", () => {
    expect(verdictOf({ status: "running" })).toEqual({ text: "running", kind: "none" });
    expect(verdictOf({ status: "finished", exitCode: 0 })).toEqual({ text: "passed", kind: "ok" });
    expect(verdictOf({ status: "finished", exitCode: 99 })).toEqual({ text: "thresholds failed", kind: "fail" });
    expect(verdictOf({ status: "interrupted", exitCode: 105 })).toEqual({ text: "stopped", kind: "warn" });
    expect(verdictOf({ status: "failed", exitCode: 1 })).toEqual({ text: "exit 1", kind: "fail" });
  });
  test("compare overlays two runs on whole seconds since each start; a second one lacks is a gap", () => {
    const a = [{ elapsedMs: 1000, data: { http_reqs: { count: 10, rate: 10 } } }, { elapsedMs: 2010, data: { http_reqs: { count: 12, rate: 12 } } }];
    const b: Array<{ elapsedMs: number; data: Record<string, Record<string, number>> }> = [{ elapsedMs: 990, data: { http_reqs: { count: 20, rate: 20 } } }, { elapsedMs: 3000, data: {} }];
    expect(overlay(a, b, (d) => d.http_reqs?.rate)).toEqual([[1, 2, 3], [10, 12, null], [20, null, null]]);
  });
});

describe("the cross-site guard", () => {
  const req = (method: string, headers: Record<string, string>) => new Request("http://127.0.0.1:7626/api/runs", { method, headers: { host: "127.0.0.1:7626", ...headers } });
  test("refuses a state-changing request from another origin, passes the own origin, safe methods and clients without Origin", () => {
    expect(crossSiteProblem(req("POST", { origin: "http://127.0.0.1:7626" }))).toBeUndefined();
    expect(crossSiteProblem(req("POST", {}))).toBeUndefined();
    expect(crossSiteProblem(req("GET", { origin: "http://evil.example" }))).toBeUndefined();
    expect(crossSiteProblem(req("POST", { origin: "http://evil.example" }))).toContain("a POST from http://evil.example is refused");
    expect(crossSiteProblem(req("POST", { origin: "http://127.0.0.1:9999" }))).toContain("refused");
    expect(crossSiteProblem(req("POST", { origin: "null" }))).toContain("refused");
    expect(crossSiteProblem(req("DELETE", { "sec-fetch-site": "same-site" }))).toContain("Sec-Fetch-Site: same-site");
    expect(crossSiteProblem(req("POST", { origin: "http://127.0.0.1:7626", "sec-fetch-site": "same-origin" }))).toBeUndefined();
  });
});

describe("which view of a run the page keeps", () => {
  const view = (status: string, tag: string) => ({ status, tag });
  test("a view still going that arrives after the end never replaces it (a stop's late answer)", () => {
    const ended = view("stopped", "the finished event");
    for (const going of ["running", "paused", "stopping", "starting"]) expect(laterView(ended, view(going, "late answer"))).toBe(ended);
  });
  test("otherwise the arriving view wins: live updates, the end, and a final refetch after the end", () => {
    const running = view("running", "before");
    expect(laterView(null, running)).toBe(running);
    const paused = view("paused", "later");
    expect(laterView(running, paused)).toBe(paused);
    const ended = view("finished", "end");
    expect(laterView(paused, ended)).toBe(ended);
    const refetched = view("finished", "refetch with the stored summary");
    expect(laterView(ended, refetched)).toBe(refetched);
  });
});
