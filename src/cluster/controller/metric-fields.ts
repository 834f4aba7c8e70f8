// The controller's live figures of one interval (progress events, the per-second series), in
// the one shape per metric type the summary uses too (metrics/values.ts `k6Fields`; documented
// in docs/api.md). Trends and rates without samples in the interval are left out: an average of
// nothing is not 0, and a rate of nothing is neither all passes nor all fails. Pure.
import type { IntervalMetrics } from "../api-types.ts";
import { k6Fields, type MetricValue } from "../../metrics/values.ts";

export function intervalMetrics(metrics: Readonly<Record<string, MetricValue>>): IntervalMetrics {
  const out: IntervalMetrics = {};
  for (const [name, v] of Object.entries(metrics)) {
    if (v.type === "trend" && v.count === 0) continue;
    if (v.type === "rate" && v.passes + v.fails === 0) continue;
    const fields = k6Fields(v);
    for (const key in fields) fields[key] = round(fields[key]!);
    out[name] = fields;
  }
  return out;
}

/** Three decimals: µs for time in ms, well past what a rate per second needs. */
function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
