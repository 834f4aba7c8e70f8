// What a query of the aggregator answers: one metric (or sub-metric) summed over its series.
// Trend figures are in the metric's own unit (milliseconds for time trends), to HDR precision
// (3 significant digits). Plain numbers except `TrendValue.percentile`.
import { fromStored, type Histogram } from "./hdr.ts";
import type { MetricContains, MetricShape } from "./types.ts";

export interface TrendValue {
  type: "trend";
  contains: MetricContains;
  count: number;
  avg: number;
  min: number;
  med: number;
  max: number;
  p90: number;
  p95: number;
  p99: number;
  /** Any percentile, 0–100 (0 reads as the minimum). */
  percentile(p: number): number;
  /**
   * The histogram's non-empty buckets in ascending order, for outputs that ship the distribution
   * (Prometheus native histograms, OTLP histograms). Computed on each call (one pass over the
   * buckets); never called by the aggregator or the run loop.
   */
  buckets(): TrendBucket[];
}

/**
 * One non-empty HDR bucket, in the metric's unit (ms for time trends): every sample in it lies in
 * [lowest, highest], and HDR reads each of them as `highest` (the value percentiles report).
 * `highest * TREND_SCALE` is the bucket's stored integer exactly (metrics/hdr.ts).
 */
export interface TrendBucket {
  readonly lowest: number;
  readonly highest: number;
  readonly count: number;
}

export interface CounterValue {
  type: "counter";
  contains: MetricContains;
  count: number;
  /** Per second over the elapsed time of the query. */
  rate: number;
}

export interface RateValue {
  type: "rate";
  contains: MetricContains;
  /** passes / (passes + fails); 0 when both are 0. */
  rate: number;
  passes: number;
  fails: number;
}

export interface GaugeValue {
  type: "gauge";
  contains: MetricContains;
  value: number;
  min: number;
  max: number;
}

export type MetricValue = TrendValue | CounterValue | RateValue | GaugeValue;

/** JsHistogram methods the typings leave out (as in metrics/hdr-codec.ts). */
interface Internals {
  readonly countsArrayLength: number;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
  lowestEquivalentValue(value: number): number;
  countsArrayIndex(value: number): number;
  readonly minNonZeroValue: number;
  medianEquivalentValue(value: number): number;
}

/** The percentiles of a TrendValue's fields: min (the first sample's bucket), med, p90, p95, p99, max. */
const FIELD_PERCENTILES = [Number.MIN_VALUE, 50, 90, 95, 99, 100];

/** hdr-histogram-js's count at a percentile (`getValueAtPercentile`), including its 1-ulp guard. */
function countAtPercentile(percentile: number, totalCount: number): number {
  const fp = (Math.min(percentile, 100) / 100) * totalCount;
  return Math.max(Math.ceil(fp - Math.pow(2, Math.floor(Math.log2(fp)) - 52)), 1);
}

/**
 * Reads a trend's figures from a (merged) histogram of stored values. One pass over the buckets
 * for every field (the run loop reads each changed series every tick, so seven
 * `getValueAtPercentile` scans and a mean iteration per series would dominate a tick); the
 * figures equal hdr-histogram-js's own (`getValueAtPercentile`, `mean`) exactly.
 */
export function trendValue(h: Histogram, contains: MetricContains): TrendValue {
  // Every figure is the highest value equivalent to its bucket (HDR's convention for p > 0), min
  // included, so samples that are all equal read the same as min, med and max.
  const at = (p: number): number => fromStored(h.getValueAtPercentile(p > 0 ? p : Number.MIN_VALUE));
  const total = h.totalCount;
  const figures = FIELD_PERCENTILES.map(() => 0);
  let sum = 0;
  if (total > 0) {
    const t = h as unknown as Internals;
    const targets = FIELD_PERCENTILES.map((p) => countAtPercentile(p, total));
    let seen = 0;
    let k = 0;
    for (let i = 0; i < t.countsArrayLength && seen < total; i++) {
      const count = t.getCountAtIndex(i);
      if (count === 0) continue;
      seen += count;
      const value = t.valueFromIndex(i);
      sum += t.medianEquivalentValue(value) * count;
      while (k < targets.length && seen >= targets[k]!) figures[k++] = fromStored(t.highestEquivalentValue(value));
    }
  }
  const [min, med, p90, p95, p99, max] = figures as [number, number, number, number, number, number];
  const buckets = (): TrendBucket[] => bucketsOf(h);
  return { type: "trend", contains, count: total, avg: total > 0 ? fromStored(sum / total) : 0, min, med, max, p90, p95, p99, percentile: at, buckets };
}

/** The buckets of several trends' histograms added together (exact: HDR buckets are shared). */
export function mergeBuckets(trends: readonly TrendValue[]): TrendBucket[] {
  const byHighest = new Map<number, { lowest: number; highest: number; count: number }>();
  for (const t of trends) {
    for (const b of t.buckets()) {
      const known = byHighest.get(b.highest);
      if (known) known.count += b.count;
      else byHighest.set(b.highest, { ...b });
    }
  }
  return [...byHighest.values()].sort((a, b) => a.highest - b.highest);
}

function bucketsOf(h: Histogram): TrendBucket[] {
  const t = h as unknown as Internals;
  const total = h.totalCount;
  const out: TrendBucket[] = [];
  if (total === 0) return out;
  // From the bucket of 0 (samples recorded as 0 are not in minNonZeroValue) or of the smallest
  // value: a second's samples usually fill a few buckets far from 0.
  let seen = t.getCountAtIndex(0);
  if (seen > 0) out.push({ lowest: 0, highest: 0, count: seen });
  const first = Math.max(1, t.countsArrayIndex(t.minNonZeroValue));
  for (let i = first; i < t.countsArrayLength && seen < total; i++) {
    const count = t.getCountAtIndex(i);
    if (count === 0) continue;
    seen += count;
    const value = t.valueFromIndex(i);
    out.push({ lowest: fromStored(t.lowestEquivalentValue(value)), highest: fromStored(t.highestEquivalentValue(value)), count });
  }
  return out;
}

export function counterValue(count: number, elapsedMs: number, contains: MetricContains): CounterValue {
  return { type: "counter", contains, count, rate: elapsedMs > 0 ? (count * 1000) / elapsedMs : 0 };
}

export function rateValue(passes: number, fails: number, contains: MetricContains): RateValue {
  const total = passes + fails;
  return { type: "rate", contains, rate: total > 0 ? passes / total : 0, passes, fails };
}

/**
 * What a metric with no samples reads as, k6's way: a counter counts 0 (rate 0), a rate has no
 * passes (rate 0); a trend or a gauge has no value at all (undefined): an average or a current
 * value of nothing is not 0.
 */
export function emptyValue(shape: MetricShape, elapsedMs: number): MetricValue | undefined {
  if (shape.type === "counter") return counterValue(0, elapsedMs, shape.contains);
  if (shape.type === "rate") return rateValue(0, 0, shape.contains);
  return undefined;
}

/** A value as plain numbers under k6's names (summary export, JSONL): trend fields in its unit. */
export function k6Fields(v: MetricValue): Record<string, number> {
  switch (v.type) {
    case "trend":
      return { count: v.count, avg: v.avg, min: v.min, med: v.med, max: v.max, "p(90)": v.p90, "p(95)": v.p95, "p(99)": v.p99 };
    case "counter":
      return { count: v.count, rate: v.rate };
    case "rate":
      return { rate: v.rate, passes: v.passes, fails: v.fails };
    case "gauge":
      return { value: v.value, min: v.min, max: v.max };
  }
}
