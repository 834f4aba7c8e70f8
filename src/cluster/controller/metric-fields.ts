// A small JSON projection of metric values for live progress and the per-second series:
// counters {count, rate}, rates {rate}, trends {count, avg, p95, p99, max}, gauges {value}.
import type { MetricValue } from "../../metrics/values.ts";

export function compactMetrics(metrics: Record<string, MetricValue>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [name, v] of Object.entries(metrics)) {
    switch (v.type) {
      case "counter":
        out[name] = { count: v.count, rate: round(v.rate) };
        break;
      case "rate":
        if (v.passes + v.fails > 0) out[name] = { rate: round(v.rate), passes: v.passes, fails: v.fails };
        break;
      case "trend":
        if (v.count > 0) out[name] = { count: v.count, avg: round(v.avg), p95: round(v.p95), p99: round(v.p99), max: round(v.max) };
        break;
      case "gauge":
        out[name] = { value: v.value };
        break;
    }
  }
  return out;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
