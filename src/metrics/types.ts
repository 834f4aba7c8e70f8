// Metric vocabulary shared by every producer (protocol handlers, the flow interpreter, executors)
// and every consumer (aggregator, thresholds, summary, cluster).

export type MetricType = "counter" | "rate" | "gauge" | "trend";
/** What a metric's values mean, for display: trends of time are in milliseconds. */
export type MetricContains = "default" | "time" | "data";

export interface MetricDefinition {
  name: string;
  type: MetricType;
  contains: MetricContains;
}

/** A definition without its name: what a delta carries per metric. */
export type MetricShape = Pick<MetricDefinition, "type" | "contains">;

export type Tags = Record<string, string>;

/**
 * Where samples go. Called on the hot path by every VU: `add` is synchronous, never blocks and
 * never allocates per call beyond the series lookup.
 * - counter: `value` is added;
 * - rate: `value` non-zero counts as a pass, zero as a fail;
 * - gauge: `value` replaces the last value;
 * - trend: `value` is recorded (milliseconds for time trends; stored as integer microseconds).
 */
export interface MetricSink {
  add(metric: string, value: number, tags: Tags): void;
  /**
   * Optional fast path for a producer that records the same (metric, tags) again and again: the
   * series resolved once. `handle.add(value)` is exactly `add(metric, value, tags)` without the
   * lookup. `tags` must be frozen (its contents are read once); the handle stays valid for the
   * sink's lifetime. Sinks without it are written through `add`.
   */
  series?(metric: string, tags: Tags): SeriesHandle;
}

/** One series of a MetricSink (see `MetricSink.series`). Hot path: synchronous, no allocation. */
export interface SeriesHandle {
  add(value: number): void;
}

/** `sink.series(metric, tags)`, or for a sink without it a handle that writes through `add`. */
export function seriesOf(sink: MetricSink, metric: string, tags: Tags): SeriesHandle {
  if (sink.series !== undefined) return sink.series(metric, tags);
  return { add: (value) => sink.add(metric, value, tags) };
}

/**
 * A series key: metric name plus its tags sorted by tag name. Build and parse it only with
 * `seriesKey`/`parseSeriesKey` in `metrics/series.ts`.
 */
export type SeriesKey = string;

/**
 * The change in every series since the previous delta. Produced once a second by a worker thread
 * (to the process aggregator) and by an agent (to the controller); merged identically by both.
 * Plain JSON: safe for postMessage, protobuf bytes and SQLite.
 */
export interface MetricDelta {
  /**
   * The definition (type and unit) of every metric present in this delta, by metric name, so the
   * receiver knows a custom metric it never registered. Absent from older producers: the receiver
   * then takes the type from the section and `contains: "default"`.
   */
  definitions?: Record<string, MetricShape>;
  counters: Record<SeriesKey, number>;
  /** [passes, fails] */
  rates: Record<SeriesKey, [number, number]>;
  gauges: Record<SeriesKey, number>;
  /**
   * base64 of an HDR V2 compressed histogram of the values × 1000 as integers: integer
   * microseconds for time trends, milli-units for other trends (see `metrics/hdr.ts`).
   */
  trends: Record<SeriesKey, string>;
}

export function emptyDelta(): MetricDelta {
  return { definitions: {}, counters: {}, rates: {}, gauges: {}, trends: {} };
}
