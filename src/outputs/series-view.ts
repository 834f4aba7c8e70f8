// The series an output writes for one interval: the snapshot's series with the output's tag
// filter applied (`tags: {keep, drop}`, outputs/common-options.ts) and the host's extra tags
// added (the controller's `run_id`). Pure.
//
// Series whose tags become equal once some are dropped are merged into one point, so a receiver
// never gets two points for one series and time (InfluxDB would keep only the last): counters
// and rates exactly (counts, passes and fails summed); gauges keep the smallest min, the largest
// max and the value of the last series in key order; trends keep count, min, max and the average
// exactly, while their percentiles (med, p(90), p(95), p(99)) are the largest of the merged series'
// (an upper bound: percentiles cannot be merged from percentiles), and their buckets are added
// exactly (metrics/values.ts `mergeBuckets`, for the outputs that ship histograms). Without a
// filter nothing is merged.
import type { IntervalSnapshot, SeriesValue } from "../metrics/interval.ts";
import type { Tags } from "../metrics/types.ts";
import { mergeBuckets, type MetricValue, type TrendValue } from "../metrics/values.ts";
import type { TagFilter } from "./common-options.ts";

/** One point to write: a series (or merged series) over the interval. */
export interface OutputPoint {
  readonly name: string;
  readonly tags: Readonly<Tags>;
  readonly value: MetricValue;
}

export function pointsOf(interval: IntervalSnapshot, filter: TagFilter = {}, extraTags: Readonly<Tags> = {}): OutputPoint[] {
  const hasExtra = Object.keys(extraTags).length > 0;
  if (!filter.keep && !filter.drop) {
    return interval.series.map((s) => (hasExtra ? { name: s.name, tags: { ...s.tags, ...extraTags }, value: s.value } : s));
  }
  const merged = new Map<string, { name: string; tags: Tags; values: MetricValue[] }>();
  for (const s of interval.series) {
    const tags = filterTags(s.tags, filter);
    const key = `${s.name}\u0000${Object.entries(tags)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}\u0001${v}`)
      .join("\u0000")}`;
    const entry = merged.get(key);
    if (entry) entry.values.push(s.value);
    else merged.set(key, { name: s.name, tags, values: [s.value] });
  }
  return [...merged.values()].map(({ name, tags, values }) => ({
    name,
    tags: hasExtra ? { ...tags, ...extraTags } : tags,
    value: values.length === 1 ? values[0]! : mergeValues(values),
  }));
}

function filterTags(tags: Readonly<Tags>, filter: TagFilter): Tags {
  const out: Tags = {};
  for (const [k, v] of Object.entries(tags)) {
    if (filter.keep && !filter.keep.includes(k)) continue;
    if (filter.drop?.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Values of one metric over the same interval (so counter rates add up). */
function mergeValues(values: readonly MetricValue[]): MetricValue {
  const first = values[0]!;
  switch (first.type) {
    case "counter": {
      let count = 0;
      let rate = 0;
      for (const v of values) if (v.type === "counter") (count += v.count), (rate += v.rate);
      return { ...first, count, rate };
    }
    case "rate": {
      let passes = 0;
      let fails = 0;
      for (const v of values) if (v.type === "rate") (passes += v.passes), (fails += v.fails);
      return { ...first, passes, fails, rate: passes + fails > 0 ? passes / (passes + fails) : 0 };
    }
    case "gauge": {
      let min = Infinity;
      let max = -Infinity;
      for (const v of values) if (v.type === "gauge") (min = Math.min(min, v.min)), (max = Math.max(max, v.max));
      return { ...(values[values.length - 1] as typeof first), min, max };
    }
    case "trend": {
      const trends = values.filter((v): v is TrendValue => v.type === "trend" && v.count > 0);
      if (trends.length === 0) return first;
      const count = trends.reduce((n, t) => n + t.count, 0);
      const top = (pick: (t: TrendValue) => number) => Math.max(...trends.map(pick));
      return {
        type: "trend",
        contains: first.contains,
        count,
        avg: trends.reduce((n, t) => n + t.avg * t.count, 0) / count,
        min: Math.min(...trends.map((t) => t.min)),
        max: top((t) => t.max),
        med: top((t) => t.med),
        p90: top((t) => t.p90),
        p95: top((t) => t.p95),
        p99: top((t) => t.p99),
        percentile: (p) => top((t) => t.percentile(p)),
        buckets: () => mergeBuckets(trends),
      };
    }
  }
}

export type { SeriesValue };
