// One interval of a run (metrics/interval.ts) as an OTLP `ExportMetricsServiceRequest`
// (proto/opentelemetry/…/metrics_service.proto), in the OTLP/JSON shape (lowerCamelCase fields,
// 64-bit integers as decimal strings, enums as numbers), which protobufjs's `fromObject` also
// reads for the binary encoding. Pure apart from the lazily parsed schema.
//
// Mapping, with delta temporality throughout (each request holds one interval; start and end
// times are the interval's, so a receiver sums deltas into totals):
//   counter → Sum (monotonic, delta) `<prefix><name>`; time counters in s, data in bytes
//   rate    → Sum `<prefix><name>.passes` and `.fails` (delta) and Gauge `<prefix><name>.rate`
//             (the interval's ratio)
//   gauge   → Gauge `<prefix><name>` (the current value)
//   trend   → ExponentialHistogram (default) or Histogram `<prefix><name>` with count, sum, min,
//             max (outputs/otlp/histograms.ts); time trends in seconds (unit "s"), data in "By"
// Attributes are the series' tags as they are. The resource carries `service.name` = "loadr",
// `loadr.run_id`, `loadr.plan` and the user's resource attributes.
import type { IntervalSnapshot } from "../../metrics/interval.ts";
import type { OutputPoint } from "../series-view.ts";
import type { MetricContains } from "../../metrics/types.ts";
import { exponentialBuckets, explicitBucketCounts } from "./histograms.ts";
import { exportMetricsRequestType } from "./schema.ts";

export const DEFAULT_OTLP_PREFIX = "loadr.";
const DELTA = 1;

export type HistogramKind = "exponential" | "explicit";

export interface OtlpRequestOptions {
  /** Metric name prefix (default `loadr.`). */
  readonly prefix: string;
  readonly histogram: HistogramKind;
  /** Explicit bounds for time trends (seconds) and for other trends (their unit). */
  readonly timeBounds: readonly number[];
  readonly bounds: readonly number[];
  /** Resource attributes (run id, plan, the user's). */
  readonly resource: Readonly<Record<string, string>>;
  /** Instrumentation scope version (loadr's). */
  readonly version: string;
}

type Json = Record<string, unknown>;

function unitOf(contains: MetricContains): string {
  return contains === "time" ? "s" : contains === "data" ? "By" : "";
}

function scaleOf(contains: MetricContains): number {
  return contains === "time" ? 1 / 1000 : 1;
}

function nanos(unixMs: number): string {
  return (BigInt(Math.round(unixMs)) * 1_000_000n).toString();
}

function attributes(tags: Readonly<Record<string, string>>): Json[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value: { stringValue: value } }));
}

function number(value: number): Json {
  return Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? { asInt: String(value) } : { asDouble: value };
}

/** The request for one interval's points (outputs/series-view.ts), or undefined when there are none. */
export function otlpRequest(interval: IntervalSnapshot, series: readonly OutputPoint[], options: OtlpRequestOptions): Json | undefined {
  if (series.length === 0) return undefined;
  const start = nanos(interval.startUnixMs);
  const end = nanos(interval.endUnixMs);
  const metrics = new Map<string, Json>();
  const points = (name: string, unit: string, kind: string, extra: Json): Json[] => {
    let metric = metrics.get(name);
    if (!metric) {
      metric = { name, description: "", unit, [kind]: { dataPoints: [], ...extra } };
      metrics.set(name, metric);
    }
    return (metric[kind] as { dataPoints: Json[] }).dataPoints;
  };
  const sum = { aggregationTemporality: DELTA, isMonotonic: true };
  for (const s of series) addSeries(s, options, { start, end }, points, sum);
  return {
    resourceMetrics: [
      {
        resource: { attributes: attributes({ "service.name": "loadr", ...options.resource }) },
        scopeMetrics: [{ scope: { name: "loadr", version: options.version }, metrics: [...metrics.values()] }],
      },
    ],
  };
}

function addSeries(
  s: OutputPoint,
  options: OtlpRequestOptions,
  time: { start: string; end: string },
  points: (name: string, unit: string, kind: string, extra: Json) => Json[],
  sum: Json,
): void {
  const name = `${options.prefix}${s.name}`;
  const v = s.value;
  const scale = scaleOf(v.contains);
  const unit = unitOf(v.contains);
  const base = { attributes: attributes(s.tags), startTimeUnixNano: time.start, timeUnixNano: time.end };
  switch (v.type) {
    case "counter":
      points(name, unit, "sum", sum).push({ ...base, ...number(v.count * scale) });
      return;
    case "rate":
      points(`${name}.passes`, "", "sum", sum).push({ ...base, ...number(v.passes) });
      points(`${name}.fails`, "", "sum", sum).push({ ...base, ...number(v.fails) });
      points(`${name}.rate`, "1", "gauge", {}).push({ attributes: base.attributes, timeUnixNano: time.end, asDouble: v.rate });
      return;
    case "gauge":
      points(name, unit, "gauge", {}).push({ attributes: base.attributes, timeUnixNano: time.end, ...number(v.value * scale) });
      return;
    case "trend": {
      if (v.count === 0) return;
      const buckets = v.buckets();
      const figures = { count: String(v.count), sum: v.avg * v.count * scale, min: v.min * scale, max: v.max * scale };
      if (options.histogram === "exponential") {
        const e = exponentialBuckets(buckets, scale);
        points(name, unit, "exponentialHistogram", { aggregationTemporality: DELTA }).push({
          ...base,
          ...figures,
          scale: e.scale,
          zeroCount: String(e.zeroCount),
          positive: { offset: e.offset, bucketCounts: e.bucketCounts.map(String) },
        });
      } else {
        const bounds = v.contains === "time" ? options.timeBounds : options.bounds;
        points(name, unit, "histogram", { aggregationTemporality: DELTA }).push({
          ...base,
          ...figures,
          bucketCounts: explicitBucketCounts(buckets, scale, bounds).map(String),
          explicitBounds: bounds,
        });
      }
      return;
    }
  }
}

/** OTLP/HTTP protobuf body. */
export function encodeOtlpProtobuf(request: Json): Uint8Array {
  const type = exportMetricsRequestType();
  return type.encode(type.fromObject(request)).finish();
}

/** OTLP/HTTP JSON body. */
export function encodeOtlpJson(request: Json): string {
  return JSON.stringify(request);
}
