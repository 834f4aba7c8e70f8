// The report's per-second timeline from per-second whole-metric figures (the controller's stored
// series, the local collector's points, JSONL rebuilt per second): requests per second over every
// `<protocol>_reqs` counter, the failed fraction over every `<protocol>_req_failed` rate, the
// VUs, and the median/p90/p95/p99 of the latency metric (`http_req_duration`, else the first
// `<protocol>_req_duration`). Pure; one output point per input point, in order.
//
// A point's request rate is its count over its interval, taken as at least one second: the
// final interval is shorter, yet carries the load generators' last deltas (each covers up to a
// second of work), so dividing by its own length would draw a spike that never happened.
import type { IntervalMetrics } from "../cluster/api-types.ts";
import type { Timeline } from "./chart-data.ts";

export type { Timeline };


const REQUESTS = /^[a-z0-9]+_reqs$/;
const FAILED = /^[a-z0-9]+_req_failed$/;
const DURATION = /^[a-z0-9]+_req_duration$/;

/** Seconds a point's counts are spread over (see the header): its interval, at least one second. */
export function rateSeconds(points: ReadonlyArray<{ elapsedMs: number }>, index: number): number {
  const previous = index > 0 ? points[index - 1]!.elapsedMs : 0;
  return Math.max(1, (points[index]!.elapsedMs - previous) / 1000);
}

export function timelineOf(points: ReadonlyArray<{ elapsedMs: number; data: IntervalMetrics }>): Timeline {
  const latencyMetric = latencyMetricOf(points);
  const timeline: Timeline = { latencyMetric, t: [], requestsPerSecond: [], errorRate: [], vus: [], p50: [], p90: [], p95: [], p99: [] };
  for (const [index, { elapsedMs, data }] of points.entries()) {
    let count: number | null = null;
    // A `<p>_req_failed` rate counts a failed request as a pass of the rate (value 1), as k6.
    let failed = 0;
    let judged = 0;
    for (const [name, fields] of Object.entries(data)) {
      if (REQUESTS.test(name) && fields.count !== undefined) count = (count ?? 0) + fields.count;
      if (FAILED.test(name) && fields.passes !== undefined) {
        failed += fields.passes;
        judged += fields.passes + (fields.fails ?? 0);
      }
    }
    const latency = latencyMetric ? data[latencyMetric] : undefined;
    timeline.t.push(Math.round(elapsedMs) / 1000);
    timeline.requestsPerSecond.push(count === null ? null : round(count / rateSeconds(points, index)));
    timeline.errorRate.push(judged > 0 ? failed / judged : null);
    timeline.vus.push(data.vus?.value ?? null);
    timeline.p50.push(latency?.med ?? null);
    timeline.p90.push(latency?.["p(90)"] ?? null);
    timeline.p95.push(latency?.["p(95)"] ?? null);
    timeline.p99.push(latency?.["p(99)"] ?? null);
  }
  return timeline;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function latencyMetricOf(points: ReadonlyArray<{ data: IntervalMetrics }>): string | null {
  const names = new Set<string>();
  for (const p of points) for (const name of Object.keys(p.data)) if (DURATION.test(name)) names.add(name);
  if (names.has("http_req_duration")) return "http_req_duration";
  return [...names].sort()[0] ?? null;
}
