// The lines of the JSONL output, in the spirit of k6's JSON output: one `Metric` line the first
// time a metric appears, then one `Point` line per series per interval. Pure.
//
//   {"type":"Metric","metric":"http_req_duration","data":{"name":"http_req_duration","type":"trend","contains":"time"}}
//   {"type":"Point","metric":"http_reqs","time":"2025-01-01T00:00:01.000Z","elapsedMs":1000,
//    "tags":{"name":"login","status":"200"},"data":{"count":12,"rate":12}}
//
// `time` is the interval's end (wall clock), `elapsedMs` its end in run time. `data` holds k6's
// fields of the interval's value (metrics/values.ts `k6Fields`): counters {count, rate} (count in
// the interval, rate per second over it), rates {rate, passes, fails}, trends {count, avg, min,
// med, max, "p(90)", "p(95)", "p(99)"} in the metric's unit (ms for time), gauges {value, min, max}.
import type { IntervalSnapshot, SeriesValue } from "../../metrics/interval.ts";
import { k6Fields } from "../../metrics/values.ts";

export function metricLine(series: SeriesValue): string {
  const { type, contains } = series.value;
  return JSON.stringify({ type: "Metric", metric: series.name, data: { name: series.name, type, contains } }) + "\n";
}

export function pointLine(series: SeriesValue, interval: IntervalSnapshot): string {
  return (
    JSON.stringify({
      type: "Point",
      metric: series.name,
      time: new Date(interval.endUnixMs).toISOString(),
      elapsedMs: Math.round(interval.endMs),
      tags: series.tags,
      data: k6Fields(series.value),
    }) + "\n"
  );
}
