// HDR histograms (metrics/hdr.ts) as Prometheus native histograms, cumulative over the run.
// Pure.
//
// The conversion. A native histogram of schema s has buckets k = …, -1, 0, 1, … covering
// (2^((k-1)/2^s), 2^(k/2^s)] in the exported unit (seconds for time trends), plus a zero bucket
// [0, ZERO_THRESHOLD]. Every HDR bucket's count goes, whole, into the native bucket holding the
// HDR bucket's `highest` value (the value HDR reads its samples as, so the value the summary's
// percentiles report). The mapping is monotone, so the sample of any rank lies in the native
// bucket that holds the summary's figure for that rank.
//
// Why schema 8, and the error bound. Schema 8 is the finest Prometheus allows (−4…8): 256 buckets
// per doubling, each (2^(1/256) − 1) ≈ 0.271 % wide. HDR keeps 3 significant digits (buckets at
// most 1/1024 ≈ 0.098 % wide), so no schema reaches HDR's own precision; schema 8 comes closest.
// `histogram_quantile(q, …)` interpolates inside the bucket of rank q·count, the bucket that also
// holds the summary's p(q); so |histogram_quantile − summary p(q)| < 0.271 % of the summary's
// value (`NATIVE_RELATIVE_ERROR`), for any q whose rank falls on the same sample in both (HDR
// rounds the rank up after a 1-ulp guard, PromQL compares the unrounded q·count: they agree except
// when q·count is within an ulp of an integer and the two neighbouring samples differ).
// Memory: one map entry per populated native bucket per series (at most the populated HDR buckets).
import type { TrendBucket } from "../../metrics/values.ts";

/** The schema of every native histogram loadr sends (the finest Prometheus allows). */
export const NATIVE_SCHEMA = 8;
/** client_golang's default zero bucket width (2^-128): only samples recorded as 0 fall in it. */
export const ZERO_THRESHOLD = 2 ** -128;
/** The bound on |histogram_quantile − summary percentile| / summary percentile (see the header). */
export const NATIVE_RELATIVE_ERROR = 2 ** (1 / 2 ** NATIVE_SCHEMA) - 1;
/** Runs of at most this many empty buckets are kept inside a span (cheaper than a new span). */
const MAX_GAP_IN_SPAN = 2;

export interface BucketSpan {
  /** Gap from the previous span's end (for the first span: the index of its first bucket). */
  readonly offset: number;
  readonly length: number;
}

/** A native histogram as the remote-write and exposition protos carry it (integer counts). */
export interface NativeHistogram {
  readonly count: number;
  readonly sum: number;
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly positiveSpans: readonly BucketSpan[];
  /** Count of each bucket of the spans in order, as the difference from the previous one (the first from 0). */
  readonly positiveDeltas: readonly number[];
}

/** The index of the bucket of `schema` holding `x` > 0: (2^((k-1)/2^schema), 2^(k/2^schema)]. */
export function bucketIndex(x: number, schema: number = NATIVE_SCHEMA): number {
  const perDoubling = 2 ** schema;
  const upper = (k: number): number => 2 ** (k / perDoubling);
  let k = Math.ceil(Math.log2(x) * perDoubling);
  // log2 is exact to an ulp or so; settle the boundary cases against the bounds themselves.
  while (x > upper(k)) k++;
  while (x <= upper(k - 1)) k--;
  return k;
}

/** The upper bound of bucket `k` of `schema`. */
export function bucketUpper(k: number, schema: number = NATIVE_SCHEMA): number {
  return 2 ** (k / 2 ** schema);
}

/** A series' native histogram, cumulative over the run. Single-threaded. */
export class NativeHistogramAccumulator {
  readonly #buckets = new Map<number, number>();
  readonly #scale: number;
  #count = 0;
  #sum = 0;
  #zeroCount = 0;

  /** `scale` turns the trend's unit into the exported one (1/1000: ms → s). */
  constructor(scale: number) {
    this.#scale = scale;
  }

  get count(): number {
    return this.#count;
  }

  /** Adds one interval's buckets; `sum` is the interval's sum in the trend's unit (avg × count). */
  add(buckets: readonly TrendBucket[], sum: number): void {
    for (const b of buckets) {
      const x = b.highest * this.#scale;
      this.#count += b.count;
      if (x <= ZERO_THRESHOLD) {
        this.#zeroCount += b.count;
        continue;
      }
      const k = bucketIndex(x);
      this.#buckets.set(k, (this.#buckets.get(k) ?? 0) + b.count);
    }
    this.#sum += sum * this.#scale;
  }

  /** The histogram so far (a copy). */
  histogram(): NativeHistogram {
    const keys = [...this.#buckets.keys()].sort((a, b) => a - b);
    const spans: BucketSpan[] = [];
    const deltas: number[] = [];
    let previousCount = 0;
    let spanStart = 0;
    let spanLength = 0;
    let lastIndex = 0;
    for (const k of keys) {
      if (spanLength > 0 && k - lastIndex - 1 <= MAX_GAP_IN_SPAN) {
        for (let gap = lastIndex + 1; gap < k; gap++) {
          deltas.push(-previousCount);
          previousCount = 0;
          spanLength++;
        }
      } else {
        if (spanLength > 0) spans.push({ offset: spanStart, length: spanLength });
        spanStart = spans.length === 0 && spanLength === 0 ? k : k - lastIndex - 1;
        spanLength = 0;
      }
      const count = this.#buckets.get(k)!;
      deltas.push(count - previousCount);
      previousCount = count;
      spanLength++;
      lastIndex = k;
    }
    if (spanLength > 0) spans.push({ offset: spanStart, length: spanLength });
    return {
      count: this.#count,
      sum: this.#sum,
      schema: NATIVE_SCHEMA,
      zeroThreshold: ZERO_THRESHOLD,
      zeroCount: this.#zeroCount,
      positiveSpans: spans,
      positiveDeltas: deltas,
    };
  }
}
