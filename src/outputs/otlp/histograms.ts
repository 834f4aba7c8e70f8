// A trend's interval (HDR buckets, metrics/values.ts `TrendBucket`) as an OTLP histogram data
// point's buckets: exponential (the default) or explicit bounds. Pure.
//
// As for Prometheus (outputs/prometheus/native-histogram.ts), every HDR bucket's count goes whole
// into the OTLP bucket holding the HDR bucket's `highest` value (the value the summary's
// percentiles report), so ranks are kept and a quantile read from the OTLP histogram lies in the
// bucket that holds the summary's figure.
//
// Exponential: bucket i covers (2^(i·2^-scale), 2^((i+1)·2^-scale)]; zero values go to
// `zero_count`. The scale starts at MAX_SCALE (8: 256 buckets per doubling, 0.271 % wide, as
// Prometheus's finest native histograms) and is lowered, one step halving the bucket count, until
// the populated index range fits MAX_BUCKETS (OTLP buckets are a dense array): a one-second
// interval spanning up to 8 doublings of latency keeps scale 8.
import { bucketIndex } from "../prometheus/native-histogram.ts";
import type { TrendBucket } from "../../metrics/values.ts";

export const MAX_SCALE = 8;
/** OTLP's exponential scale goes down to -10; loadr stops at 0 (a bucket per doubling). */
const MIN_SCALE = 0;
export const MAX_BUCKETS = 2048;

/** The OpenTelemetry SDK's default explicit bounds (ms), here in the exported unit (seconds for time). */
export const DEFAULT_TIME_BOUNDS: readonly number[] = [0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
export const DEFAULT_BOUNDS: readonly number[] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

export interface ExponentialBuckets {
  scale: number;
  zeroCount: number;
  /** Index of bucketCounts[0]. */
  offset: number;
  bucketCounts: number[];
}

/** Exponential buckets of the HDR buckets, values multiplied by `unitScale` (ms → s). */
export function exponentialBuckets(buckets: readonly TrendBucket[], unitScale: number): ExponentialBuckets {
  let zeroCount = 0;
  const positive: Array<{ x: number; count: number }> = [];
  for (const b of buckets) {
    const x = b.highest * unitScale;
    if (x <= 0) zeroCount += b.count;
    else positive.push({ x, count: b.count });
  }
  if (positive.length === 0) return { scale: MAX_SCALE, zeroCount, offset: 0, bucketCounts: [] };
  let scale = MAX_SCALE;
  // OTLP index i = (Prometheus-style upper-inclusive index at the same scale) - 1.
  const index = (x: number): number => bucketIndex(x, scale) - 1;
  while (scale > MIN_SCALE && index(positive[positive.length - 1]!.x) - index(positive[0]!.x) + 1 > MAX_BUCKETS) scale--;
  const offset = index(positive[0]!.x);
  const counts: number[] = [];
  for (const { x, count } of positive) {
    const i = index(x) - offset;
    while (counts.length <= i) counts.push(0);
    counts[i]! += count;
  }
  return { scale, zeroCount, offset, bucketCounts: counts };
}

/** Counts per explicit bucket: (−∞, b0], (b0, b1], …, (b_last, +∞). */
export function explicitBucketCounts(buckets: readonly TrendBucket[], unitScale: number, bounds: readonly number[]): number[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  let i = 0;
  for (const b of buckets) {
    const x = b.highest * unitScale;
    while (i < bounds.length && x > bounds[i]!) i++;
    counts[i]! += b.count;
  }
  return counts;
}
