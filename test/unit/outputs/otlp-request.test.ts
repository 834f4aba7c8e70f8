// The OTLP request of an interval (outputs/otlp/metrics-request.ts), decoded with the OpenTelemetry
// project's own definitions (proto/opentelemetry/, loaded from disk with protobufjs's loader):
// resource attributes, delta temporality, counter and histogram totals equal to the aggregator's.
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import protobuf from "protobufjs";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import type { IntervalSnapshot } from "../../../src/metrics/interval.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import type { TrendValue } from "../../../src/metrics/values.ts";
import { DEFAULT_BOUNDS, DEFAULT_TIME_BOUNDS, MAX_SCALE } from "../../../src/outputs/otlp/histograms.ts";
import { encodeOtlpJson, encodeOtlpProtobuf, otlpRequest, type OtlpRequestOptions } from "../../../src/outputs/otlp/metrics-request.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

const PROTO_ROOT = join(import.meta.dir, "..", "..", "..", "proto");

function officialType(): protobuf.Type {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
  root.loadSync("opentelemetry/proto/collector/metrics/v1/metrics_service.proto");
  return root.lookupType("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest");
}

interface Decoded {
  resourceMetrics: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue: string } }> };
    scopeMetrics: Array<{ scope: { name: string }; metrics: Array<Record<string, any>> }>;
  }>;
}

const OPTIONS: OtlpRequestOptions = {
  prefix: "loadr.",
  histogram: "exponential",
  timeBounds: DEFAULT_TIME_BOUNDS,
  bounds: DEFAULT_BOUNDS,
  resource: { "loadr.run_id": "r-1", "loadr.plan": "checkout" },
  version: "0.0.0-test",
};

function intervals(): { aggregator: Aggregator; intervals: IntervalSnapshot[] } {
  const aggregator = new Aggregator(builtinRegistry());
  const store = new MetricStore(builtinRegistry());
  const out: IntervalSnapshot[] = [];
  let n = 0;
  for (let tick = 1; tick <= 3; tick++) {
    for (let k = 0; k < 400; k++, n++) {
      const tags = { name: n % 2 ? "a" : "b", status: "200" };
      store.add("http_reqs", 1, tags);
      store.add("http_req_duration", n % 50 === 0 ? 0 : 0.3 + ((n * 37) % 1000) * 1.7, tags);
      store.add("http_req_failed", n % 4 === 0 ? 1 : 0, tags);
    }
    aggregator.merge(store.takeDelta());
    aggregator.setGauge("vus", 5);
    out.push(aggregator.takeInterval({ elapsedMs: tick * 1000, unixMs: 1_700_000_000_000 + tick * 1000 }));
  }
  return { aggregator, intervals: out };
}

const metric = (d: Decoded, name: string) => d.resourceMetrics[0]!.scopeMetrics[0]!.metrics.find((m) => m.name === name)!;

function totals(decoded: Decoded[]): { reqs: number; failed: number; histCount: number; bucketTotal: number } {
  let reqs = 0, failed = 0, histCount = 0, bucketTotal = 0;
  for (const d of decoded) {
    for (const p of metric(d, "loadr.http_reqs").sum.dataPoints) reqs += Number(p.asInt);
    for (const p of metric(d, "loadr.http_req_failed.passes").sum.dataPoints) failed += Number(p.asInt);
    const h = metric(d, "loadr.http_req_duration");
    for (const p of (h.exponentialHistogram ?? h.histogram).dataPoints) {
      histCount += Number(p.count);
      const counts: unknown[] = h.exponentialHistogram ? p.positive.bucketCounts : p.bucketCounts;
      bucketTotal += counts.reduce((a: number, c) => a + Number(c), 0) + Number(p.zeroCount ?? 0);
    }
  }
  return { reqs, failed, histCount, bucketTotal };
}

describe("OTLP metrics request", () => {
  test("protobuf decodes with the official definitions; totals equal the aggregator's", () => {
    const { aggregator, intervals: list } = intervals();
    const type = officialType();
    const decoded = list.map((i) => type.toObject(type.decode(encodeOtlpProtobuf(otlpRequest(i, i.series, OPTIONS)!)), { longs: String, enums: Number, defaults: false }) as Decoded);
    const first = decoded[0]!.resourceMetrics[0]!;
    expect(Object.fromEntries(first.resource.attributes.map((a) => [a.key, a.value.stringValue]))).toEqual({ "service.name": "loadr", "loadr.run_id": "r-1", "loadr.plan": "checkout" });
    const reqs = metric(decoded[1]!, "loadr.http_reqs");
    expect(reqs.sum.aggregationTemporality).toBe(1); // DELTA
    expect(reqs.sum.isMonotonic).toBe(true);
    expect(reqs.sum.dataPoints[0].startTimeUnixNano).toBe("1700000001000000000");
    expect(reqs.sum.dataPoints[0].timeUnixNano).toBe("1700000002000000000");
    const duration = metric(decoded[0]!, "loadr.http_req_duration");
    expect(duration.unit).toBe("s");
    expect(duration.exponentialHistogram.aggregationTemporality).toBe(1);
    expect(duration.exponentialHistogram.dataPoints[0].scale).toBe(MAX_SCALE);
    expect(Number(metric(decoded[0]!, "loadr.vus").gauge.dataPoints[0].asInt)).toBe(5);

    const t = totals(decoded);
    expect(t.reqs).toBe((aggregator.query("http_reqs") as { count: number }).count);
    expect(t.failed).toBe(300);
    expect(t.histCount).toBe((aggregator.query("http_req_duration") as TrendValue).count);
    expect(t.bucketTotal).toBe(t.histCount);
  });

  test("JSON (64-bit integers as strings, as OTLP/JSON allows) reads into the official types; explicit buckets add up", () => {
    const { intervals: list } = intervals();
    const type = officialType();
    const decoded = list.map((i) => {
      const json = JSON.parse(encodeOtlpJson(otlpRequest(i, i.series, { ...OPTIONS, histogram: "explicit" })!)) as Record<string, unknown>;
      return type.toObject(type.fromObject(json), { longs: String, enums: Number }) as Decoded;
    });
    const t = totals(decoded);
    expect(t.reqs).toBe(1200);
    expect(t.histCount).toBe(1200);
    expect(t.bucketTotal).toBe(1200);
    const point = metric(decoded[0]!, "loadr.http_req_duration").histogram.dataPoints[0];
    expect(point.explicitBounds).toEqual([...DEFAULT_TIME_BOUNDS]);
  });
});
