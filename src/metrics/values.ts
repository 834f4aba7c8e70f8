// What a query of the aggregator answers: one metric (or sub-metric) summed over its series.
// Trend figures are in the metric's own unit (milliseconds for time trends), to HDR precision
// (3 significant digits). Plain numbers except `TrendValue.percentile`.
import { fromStored, type Histogram } from "./hdr.ts";
import type { MetricContains } from "./types.ts";

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

/** Reads a trend's figures from a (merged) histogram of stored values. */
export function trendValue(h: Histogram, contains: MetricContains): TrendValue {
  // Every figure is the highest value equivalent to its bucket (HDR's convention for p > 0), min
  // included, so samples that are all equal read the same as min, med and max.
  const at = (p: number): number => fromStored(h.getValueAtPercentile(p > 0 ? p : Number.MIN_VALUE));
  return {
    type: "trend",
    contains,
    count: h.totalCount,
    avg: h.totalCount > 0 ? fromStored(h.mean) : 0,
    min: at(0),
    med: at(50),
    max: at(100),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    percentile: at,
  };
}

export function counterValue(count: number, elapsedMs: number, contains: MetricContains): CounterValue {
  return { type: "counter", contains, count, rate: elapsedMs > 0 ? (count * 1000) / elapsedMs : 0 };
}

export function rateValue(passes: number, fails: number, contains: MetricContains): RateValue {
  const total = passes + fails;
  return { type: "rate", contains, rate: total > 0 ? passes / total : 0, passes, fails };
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
