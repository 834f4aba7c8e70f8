// The run page's tables (src/webui/run-detail.ts): exact per-name figures since the start,
// checks by name, the thresholds' verdicts, and the cap on names.
import { describe, expect, test } from "bun:test";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import { MAX_DETAIL_NAMES, runDetail } from "../../../src/webui/run-detail.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

function request(store: MetricStore, name: string, ms: number, failed: boolean, status = "200") {
  const tags = { name, method: "GET", status, scenario: "s" };
  store.add("http_reqs", 1, tags);
  store.add("http_req_duration", ms, tags);
  store.add("http_req_failed", failed ? 1 : 0, tags);
}

describe("runDetail", () => {
  test("per request name over every status and both deltas: counts, failures and percentiles of the merged samples", () => {
    const registry = builtinRegistry();
    const aggregator = new Aggregator(registry);
    const store = new MetricStore(registry);
    for (let i = 1; i <= 100; i++) request(store, "home", i, false);
    aggregator.merge(store.takeDelta());
    for (let i = 101; i <= 200; i++) request(store, "home", i, i > 190, i > 190 ? "500" : "200");
    for (let i = 1; i <= 10; i++) request(store, "login", 5, true, "401");
    store.add("checks", 1, { check: "status is 200", group: "", scenario: "s" });
    store.add("checks", 0, { check: "status is 200", group: "", scenario: "s" });
    store.add("checks", 1, { check: "has a token", group: "::account", scenario: "s" });
    aggregator.merge(store.takeDelta());
    const detail = runDetail(aggregator, [
      { key: "http_req_duration", metric: "http_req_duration", filter: {}, expression: "p(95)<150", aggregation: "p(95)", percentile: 95, ok: false, observed: 190.1234, noSamples: false, noData: false, abortOnFail: false, delayAbortEval: 0 },
    ]);
    expect(detail.names.map((n) => [n.name, n.protocol, n.requests, n.failed])).toEqual([["home", "http", 200, 10], ["login", "http", 10, 10]]);
    const home = detail.names[0]!;
    // HDR precision: 3 significant digits.
    expect(home.p50).toBeCloseTo(100, 0);
    expect(home.p95).toBeCloseTo(190, 0);
    expect(home.p99).toBeCloseTo(198, 0);
    expect(detail.checks).toEqual([{ name: "has a token", passes: 1, fails: 0 }, { name: "status is 200", passes: 1, fails: 1 }]);
    expect(detail.thresholds).toEqual([{ key: "http_req_duration", expression: "p(95)<150", ok: false, observed: 190.123, noData: false }]);
    expect(detail.namesLeftOut).toBe(0);
  });

  test(`at most ${MAX_DETAIL_NAMES} names, the busiest; the rest are counted`, () => {
    const registry = builtinRegistry();
    const aggregator = new Aggregator(registry);
    const store = new MetricStore(registry);
    for (let n = 0; n < MAX_DETAIL_NAMES + 7; n++) for (let i = 0; i <= n; i++) request(store, `/item/${n}`, 1, false);
    aggregator.merge(store.takeDelta());
    const detail = runDetail(aggregator, []);
    expect(detail.names).toHaveLength(MAX_DETAIL_NAMES);
    expect(detail.namesLeftOut).toBe(7);
    expect(detail.names.some((n) => n.name === "/item/0")).toBe(false);
    expect(detail.names.some((n) => n.name === `/item/${MAX_DETAIL_NAMES + 6}`)).toBe(true);
  });
});
