// A small run for report tests, recorded straight into worker stores and merged the way a real
// run merges them: two request names in two groups, one failing with ECONNREFUSED, checks, VUs,
// thresholds (one passes, one fails), and a per-second series as a run loop would keep it.
import type { ThresholdSpec } from "../../src/config/plan.ts";
import { buildSummary, type Summary } from "../../src/core/run/summary.ts";
import { ThresholdEvaluator } from "../../src/core/thresholds/evaluator.ts";
import { Aggregator } from "../../src/metrics/aggregator.ts";
import { MetricStore } from "../../src/metrics/store.ts";
import { intervalMetrics } from "../../src/cluster/controller/metric-fields.ts";
import type { SeriesPoint } from "../../src/cluster/api-types.ts";
import { builtinRegistry } from "./metrics.ts";

const loc = { file: "plan.yaml", line: 1, column: 1 };
const th = (metric: string, expression: string): ThresholdSpec => ({ key: metric, metric, filter: {}, expression, abortOnFail: false, delayAbortEval: 0, loc });

export interface ReportRun {
  summary: Summary;
  series: SeriesPoint[];
}

/**
 * 3 seconds; each second 10 `home` requests of 10·(1..10) ms in group ::home (status 200, check
 * passes) and 5 `login` requests of 200 ms at the root, 2 of which fail with ECONNREFUSED (check
 * fails). Thresholds: http_req_duration p(95)<500 passes, http_req_failed rate<0.01 fails.
 */
export function reportRun(planName = "shop"): ReportRun {
  const registry = builtinRegistry();
  const aggregator = new Aggregator(registry, { clock: () => 0 });
  const series: SeriesPoint[] = [];
  for (let second = 1; second <= 3; second++) {
    const store = new MetricStore(registry);
    for (let i = 1; i <= 10; i++) {
      const tags = { scenario: "browse", name: "home", group: "::home", status: "200", method: "GET" };
      store.add("http_reqs", 1, tags);
      store.add("http_req_duration", 10 * i, tags);
      store.add("http_req_failed", 0, tags);
      store.add("checks", 1, { check: "status is 200", group: "::home", scenario: "browse" });
    }
    for (let i = 1; i <= 5; i++) {
      const failed = i <= 2;
      const tags = { scenario: "browse", name: "login", group: "", status: failed ? "0" : "200", method: "POST", ...(failed ? { error: "ECONNREFUSED" } : {}) };
      store.add("http_reqs", 1, tags);
      store.add("http_req_duration", 200, tags);
      store.add("http_req_failed", failed ? 1 : 0, tags);
      store.add("checks", failed ? 0 : 1, { check: "logged in", group: "", scenario: "browse" });
    }
    store.add("iterations", 5, { scenario: "browse" });
    aggregator.merge(store.takeDelta());
    aggregator.setGauge("vus", 5);
    aggregator.setGauge("vus_max", 5);
    const interval = aggregator.takeInterval({ elapsedMs: second * 1000, unixMs: Date.UTC(2025, 0, 1, 0, 0, second) });
    series.push({ elapsedMs: second * 1000, data: intervalMetrics(interval.metrics) });
  }
  const evaluator = new ThresholdEvaluator([th("http_req_duration", "p(95)<500"), th("http_req_failed", "rate<0.01")]);
  const summary = buildSummary(aggregator, evaluator.evaluate(aggregator, 3000), {
    planName,
    durationMs: 3000,
    scenarios: [{ name: "browse", executor: "constant-vus", completed: 15, interrupted: 0, dropped: 0, maxVus: 5 }],
    notes: ["The load generator was overloaded for 3 s: event-loop lag reached 250 ms; latencies in that period are inflated."],
  });
  return { summary, series };
}
