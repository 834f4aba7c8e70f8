// What one interval of a run looks like: the aggregator's `takeInterval` (metrics/aggregator.ts)
// builds it once per tick for its one caller, the run loop (core/run/run-loop.ts), which hands the
// same object to every consumer (live view, outputs, the controller's series and SSE). Frozen: a
// consumer cannot change what the next consumer sees.
import type { SeriesKey, Tags } from "./types.ts";
import type { MetricValue } from "./values.ts";

/** One series (a metric name plus its tags) over one interval. */
export interface SeriesValue {
  readonly key: SeriesKey;
  readonly name: string;
  readonly tags: Readonly<Tags>;
  /**
   * Counters: count in the interval, rate per second over it; rates and trends: the interval's
   * samples only; gauges: current value (min/max over the run). `type` and `contains` come from
   * the metric's definition, so the unit is known (trends of time in ms).
   */
  readonly value: MetricValue;
}

export interface IntervalSnapshot {
  /** Elapsed run time at the interval's start and end, ms (the host's monotonic clock). */
  readonly startMs: number;
  readonly endMs: number;
  /** Wall-clock time (Date.now) at the interval's start and end. */
  readonly startUnixMs: number;
  readonly endUnixMs: number;
  /** `endMs - startMs`. */
  readonly durationMs: number;
  /**
   * Whole-metric figures of every metric seen so far (same meaning as `SeriesValue.value`):
   * metrics without samples in the interval are present with zero counts.
   */
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Every series with samples in the interval, and every gauge series (current value), sorted by key. */
  readonly series: readonly SeriesValue[];
}

/** The end of an interval as the caller's clocks read it (both optional: the aggregator's own clocks otherwise). */
export interface IntervalEnd {
  elapsedMs?: number;
  unixMs?: number;
}
