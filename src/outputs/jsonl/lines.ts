// The lines of the JSONL output, in the spirit of k6's JSON output: one `Metric` line the first
// time a metric appears, then one `Point` line per series per interval. Pure.
//
//   {"type":"Metric","metric":"http_req_duration","data":{"name":"http_req_duration","type":"trend","contains":"time"}}
//   {"type":"Point","metric":"http_reqs","time":"2025-01-01T00:00:01.000Z","elapsedMs":1000,
//    "tags":{"name":"login","status":"200"},"data":{"value":12,"count":12,"rate":12}}
//
// `time` is the interval's end (wall clock), `elapsedMs` its end in run time. `data` holds k6's
// fields of the interval's value (metrics/values.ts `k6Fields`): counters {count, rate} (count in
// the interval, rate per second over it), rates {rate, passes, fails}, trends {count, avg, min,
// med, max, "p(90)", "p(95)", "p(99)"} in the metric's unit (ms for time), gauges {value, min, max};
// first in `data` comes k6's `value` (`pointValue` below). Unlike k6, `time` and `tags` sit at the
// top of the line, not inside `data`, and a point is an interval, not a sample.
import type { IntervalSnapshot } from "../../metrics/interval.ts";
import { k6Fields, type MetricValue } from "../../metrics/values.ts";
import type { OutputPoint } from "../series-view.ts";

export function metricLine(series: OutputPoint): string {
  const { type, contains } = series.value;
  return JSON.stringify({ type: "Metric", metric: series.name, data: { name: series.name, type, contains } }) + "\n";
}

export function pointLine(series: OutputPoint, interval: IntervalSnapshot): string {
  return (
    JSON.stringify({
      type: "Point",
      metric: series.name,
      time: new Date(interval.endUnixMs).toISOString(),
      elapsedMs: Math.round(interval.endMs),
      tags: series.tags,
      data: { value: pointValue(series.value), ...k6Fields(series.value) },
    }) + "\n"
  );
}

/**
 * k6's `data.value` of a point, for tools that read k6's JSON output: what k6's per-sample
 * values of the interval add up to for counters (the count) and rates (the non-zero samples,
 * `passes`); a gauge's value; a trend's average (k6 writes one point per sample; loadr one per
 * series per interval, with the interval's figures beside it).
 */
export function pointValue(v: MetricValue): number {
  switch (v.type) {
    case "counter":
      return v.count;
    case "rate":
      return v.passes;
    case "gauge":
      return v.value;
    case "trend":
      return v.avg;
  }
}
