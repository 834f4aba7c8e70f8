// --summary-trend-stats: the summary computes the asked percentiles, the text shows exactly those
// trend columns and the JSON export exactly those trend fields; without it, k6's default.
import { expect, test } from "bun:test";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import { buildSummary } from "../../../src/core/run/summary.ts";
import { summaryToJson } from "../../../src/outputs/summary-json.ts";
import { renderSummaryText } from "../../../src/outputs/summary-text.ts";
import { trendStatProblem } from "../../../src/metrics/trend-stats.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

function summary(trendStats?: string[]) {
  const agg = new Aggregator(builtinRegistry(), { clock: () => 0 });
  const store = new MetricStore(builtinRegistry());
  for (let i = 1; i <= 1000; i++) store.add("http_req_duration", i, { scenario: "s" });
  store.add("http_reqs", 1000, { scenario: "s" });
  agg.merge(store.takeDelta());
  return buildSummary(agg, [], { planName: "p", durationMs: 1000, scenarios: [], notes: [], ...(trendStats ? { trendStats } : {}) });
}

const durationLine = (text: string) => text.split("\n").find((l) => l.includes("http_req_duration"))!;

test("the asked stats, in order, with any percentile; counters unchanged", () => {
  const s = summary(["avg", "p(99.9)", "p(50)", "count", "max"]);
  const json = summaryToJson(s).metrics;
  expect(Object.keys(json.http_req_duration!)).toEqual(["avg", "p(99.9)", "p(50)", "count", "max"]);
  expect(json.http_req_duration!["p(99.9)"]).toBeCloseTo(999, 0);
  expect(json.http_req_duration!.count).toBe(1000);
  expect(json.http_reqs).toEqual({ count: 1000, rate: 1000 });
  expect(durationLine(renderSummaryText(s, { color: false }))).toMatch(/: avg=500\.5ms p\(99\.9\)=999(\.\d+)?ms p\(50\)=500(\.\d+)?ms count=1000 max=1s$/);
});

test("without trend stats: k6's columns and export fields", () => {
  const s = summary();
  expect(Object.keys(summaryToJson(s).metrics.http_req_duration!)).toEqual(["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)", "count"]);
  expect(durationLine(renderSummaryText(s, { color: false }))).toMatch(/: avg=500\.5ms min=1ms med=500(\.\d+)?ms max=1s p\(90\)=900(\.\d+)?ms p\(95\)=950(\.\d+)?ms p\(99\)=990(\.\d+)?ms$/);
});

test("which stats exist", () => {
  expect(["avg", "min", "med", "max", "count", "p(0)", "p(99.99)", "p(100)"].map(trendStatProblem)).toEqual(Array(8).fill(undefined));
  expect(trendStatProblem("p95")).toContain('"p95" is not a trend stat');
  expect(trendStatProblem("p(100.1)")).toBe("p(100.1): a percentile is at most 100");
});
