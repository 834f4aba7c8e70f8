import { describe, expect, test } from "bun:test";
import type { ThresholdSpec } from "../../../src/config/plan.ts";
import { parseThresholdExpression } from "../../../src/config/threshold-expression.ts";
import { ThresholdEvaluator } from "../../../src/core/thresholds/evaluator.ts";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import { seriesKey } from "../../../src/metrics/series.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

function spec(key: string, expression: string, extra: Partial<ThresholdSpec> = {}): ThresholdSpec {
  const brace = key.indexOf("{");
  const metric = brace < 0 ? key : key.slice(0, brace);
  const filter: Record<string, string> = {};
  if (brace >= 0) {
    for (const pair of key.slice(brace + 1, -1).split(",")) {
      const [k, v] = pair.split(":");
      filter[k!.trim()] = v!.trim();
    }
  }
  return { key, metric, filter, expression, abortOnFail: false, delayAbortEval: 0, loc: { file: "plan.yaml", line: 1, column: 1 }, ...extra };
}

/** 100 requests of 1..100 ms in scenario "smoke", 10 of 1000 ms in "burst", 5 failed; 10 s elapsed. */
function sampleRun(): Aggregator {
  let now = 0;
  const agg = new Aggregator(builtinRegistry(), { clock: () => now });
  const store = new MetricStore(builtinRegistry());
  for (let i = 1; i <= 100; i++) {
    store.add("http_req_duration", i, { scenario: "smoke" });
    store.add("http_reqs", 1, { scenario: "smoke" });
    store.add("http_req_failed", i <= 5 ? 1 : 0, { scenario: "smoke" });
    store.add("checks", i <= 90 ? 1 : 0, { check: "status is 200", group: "", scenario: "smoke" });
  }
  for (let i = 0; i < 10; i++) {
    store.add("http_req_duration", 1000, { scenario: "burst" });
    store.add("http_reqs", 1, { scenario: "burst" });
    store.add("http_req_failed", 0, { scenario: "burst" });
  }
  agg.merge(store.takeDelta());
  agg.setGauge("vus", 20);
  now = 10_000;
  return agg;
}

describe("threshold expressions", () => {
  test("parse every aggregation", () => {
    expect(parseThresholdExpression("p(99.9) < 300")).toMatchObject({ aggregation: { kind: "p", percentile: 99.9 }, op: "<", value: 300 });
    for (const agg of ["avg", "min", "max", "med", "count", "rate", "value"]) {
      expect(parseThresholdExpression(`${agg}>=1`)).toMatchObject({ aggregation: { kind: agg }, op: ">=", value: 1 });
    }
    expect(parseThresholdExpression("p95<500")).toHaveProperty("error");
    expect(parseThresholdExpression("p(101)<500")).toHaveProperty("error");
  });
});

describe("ThresholdEvaluator", () => {
  test("evaluates every aggregation of every metric type", () => {
    const agg = sampleRun();
    const cases: Array<[string, string, boolean]> = [
      ["http_req_duration", "p(90)<1000", true], // p90 of 110 values is ≈ 99 ms
      ["http_req_duration", "p(95)<500", false], // p95 lands in the 1000 ms burst
      ["http_req_duration", "med<=60", true],
      ["http_req_duration", "avg<100", false], // (5050 + 10000) / 110 ≈ 136.8
      ["http_req_duration", "min>=1", true],
      ["http_req_duration", "max<1000", false],
      ["http_req_duration", "count==110", true],
      ["http_reqs", "count>100", true],
      ["http_reqs", "rate>=11", true], // 110 over 10 s
      ["http_reqs", "rate>12", false],
      ["http_req_failed", "rate<0.05", true], // 5 / 110
      ["http_req_failed", "rate<0.01", false],
      ["checks", "rate>0.95", false], // 0.9
      ["vus", "value==20", true],
      ["vus", "value<10", false],
    ];
    const evaluator = new ThresholdEvaluator(cases.map(([key, expr]) => spec(key, expr)));
    const results = evaluator.evaluate(agg, 10_000);
    expect(results.map((r) => [r.key, r.expression, r.ok])).toEqual(cases);
    const avg = results.find((r) => r.expression === "avg<100")!;
    expect(avg.observed!).toBeCloseTo(15050 / 110, 0);
    expect(results.find((r) => r.expression === "rate<0.05")!.observed).toBeCloseTo(5 / 110, 10);
    // The aggregation as compared, for the summary (which does not parse expressions again).
    expect(results.slice(0, 3).map((r) => [r.aggregation, r.percentile])).toEqual([
      ["p(90)", 90],
      ["p(95)", 95],
      ["med", undefined],
    ]);
  });

  test("sub-metric filters select matching series only", () => {
    const agg = sampleRun();
    const evaluator = new ThresholdEvaluator([
      spec("http_req_duration{scenario:smoke}", "p(95)<200"),
      spec("http_req_duration{scenario:burst}", "p(95)<200"),
      spec("http_req_failed{scenario:burst}", "rate==0"),
      spec("http_reqs{scenario:burst}", "count==10"),
    ]);
    const results = evaluator.evaluate(agg, 10_000);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true]);
    expect(results[0]!.observed!).toBeCloseTo(95, 0);
    expect(results[1]!.filter).toEqual({ scenario: "burst" });
  });

  test("a trend without samples is not evaluated: it passes with no data", () => {
    const agg = sampleRun();
    const evaluator = new ThresholdEvaluator([spec("iteration_duration", "p(95)<1"), spec("http_req_duration{scenario:nope}", "max<1")]);
    for (const r of evaluator.evaluate(agg, 10_000)) {
      expect(r).toMatchObject({ ok: true, observed: null, noSamples: true, noData: true });
    }
  });

  test("a counter without samples counts 0 and a rate without samples has no passes (k6)", () => {
    const agg = sampleRun();
    const evaluator = new ThresholdEvaluator([
      spec("dropped_iterations", "count<1"),
      spec("dropped_iterations", "count>=1"),
      spec("dropped_iterations{scenario:smoke}", "rate==0"),
      spec("http_req_failed{scenario:nope}", "rate<0.01"),
      spec("checks{scenario:burst}", "rate>0.9"),
    ]);
    expect(evaluator.evaluate(agg, 10_000).map((r) => [r.expression, r.ok, r.observed, r.noSamples, r.noData])).toEqual([
      ["count<1", true, 0, true, false],
      ["count>=1", false, 0, true, false],
      ["rate==0", true, 0, true, false],
      ["rate<0.01", true, 0, true, false],
      ["rate>0.9", false, 0, true, false],
    ]);
  });

  test("a counter with samples is judged on them: one dropped iteration fails count<1", () => {
    const agg = sampleRun();
    agg.merge({ counters: { [seriesKey("dropped_iterations", { scenario: "burst" })]: 1 }, rates: {}, gauges: {}, trends: {} });
    const [whole, burst, smoke] = new ThresholdEvaluator([
      spec("dropped_iterations", "count<1"),
      spec("dropped_iterations{scenario:burst}", "count<1"),
      spec("dropped_iterations{scenario:smoke}", "count<1"),
    ]).evaluate(agg, 10_000);
    expect(whole).toMatchObject({ ok: false, observed: 1, noSamples: false });
    expect(burst).toMatchObject({ ok: false, observed: 1, noSamples: false });
    expect(smoke).toMatchObject({ ok: true, observed: 0, noSamples: true });
  });

  test("a threshold on a metric without samples never aborts the run: nothing has crossed yet", () => {
    const agg = sampleRun();
    const evaluator = new ThresholdEvaluator([spec("checks{scenario:burst}", "rate>0.9", { abortOnFail: true }), spec("http_reqs{scenario:nope}", "count>5", { abortOnFail: true })]);
    const results = evaluator.evaluate(agg, 60_000);
    expect(results.map((r) => r.ok)).toEqual([false, false]);
    expect(evaluator.shouldAbort(results, 60_000)).toBeUndefined();
  });

  test("rejects bad expressions and aggregations that do not fit the metric", () => {
    expect(() => new ThresholdEvaluator([spec("http_reqs", "p95<1")])).toThrow(/not an expression/);
    expect(() => new ThresholdEvaluator([spec("http_reqs", "p(95)<1")], builtinRegistry())).toThrow(/p\(N\) does not apply to http_reqs/);
    // a custom metric unknown at construction: the mismatch fails the threshold instead of throwing mid-run
    const evaluator = new ThresholdEvaluator([spec("orders", "p(95)<1")]);
    const agg = sampleRun();
    agg.merge({ counters: { orders: 3 }, rates: {}, gauges: {}, trends: {} });
    expect(evaluator.evaluate(agg, 10_000)[0]).toMatchObject({ ok: false, observed: null, error: expect.stringContaining("does not apply to orders") });
  });

  test("abortOnFail waits for delayAbortEval and reports the first crossed threshold", () => {
    const agg = sampleRun();
    const evaluator = new ThresholdEvaluator([
      spec("http_req_duration", "p(95)<500", { abortOnFail: false }),
      spec("http_req_failed", "rate<0.01", { abortOnFail: true, delayAbortEval: 5000 }),
      spec("checks", "rate>0.95", { abortOnFail: true, delayAbortEval: 1000 }),
    ]);
    const early = evaluator.evaluate(agg, 500);
    expect(evaluator.shouldAbort(early, 500)).toBeUndefined();
    const at2s = evaluator.evaluate(agg, 2000);
    expect(evaluator.shouldAbort(at2s, 2000)).toEqual({ key: "checks", expression: "rate>0.95", observed: 0.9, atMs: 2000 });
    const at6s = evaluator.evaluate(agg, 6000);
    expect(evaluator.shouldAbort(at6s, 6000)).toMatchObject({ key: "http_req_failed", atMs: 6000 });
  });

  test("passing abortOnFail thresholds never abort", () => {
    const agg = sampleRun();
    const evaluator = new ThresholdEvaluator([spec("http_req_failed", "rate<0.5", { abortOnFail: true })]);
    expect(evaluator.shouldAbort(evaluator.evaluate(agg, 60_000), 60_000)).toBeUndefined();
  });
});
