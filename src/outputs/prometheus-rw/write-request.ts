// Prometheus remote write 1.0: metric families (outputs/prometheus/run-series.ts) → `TimeSeries`
// at one timestamp → a `WriteRequest` body (protobuf of proto/prometheus/remote-write.proto,
// snappy block format). Pure apart from the lazily parsed schema.
//
// Every series is sent whole at every tick (totals and cumulative native histograms, as a scrape
// would read them), so `rate()` and `histogram_quantile(…, rate(…))` see one sample per second.
import protobuf from "protobufjs";
import snappy from "snappyjs";
import protoText from "../../../proto/prometheus/remote-write.proto" with { type: "text" };
import type { Label, PromFamily } from "../prometheus/run-series.ts";

/** The remote write 1.0 request headers (besides User-Agent). */
export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "application/x-protobuf",
  "Content-Encoding": "snappy",
  "X-Prometheus-Remote-Write-Version": "0.1.0",
};

/** One `TimeSeries` of the request, as protobufjs's `fromObject` reads it. */
export interface RemoteSeries {
  labels: readonly Label[];
  samples?: Array<{ value: number; timestamp: number }>;
  histograms?: Array<Record<string, unknown>>;
}

let writeRequest: protobuf.Type | undefined;

/** The `prometheus.WriteRequest` type (parsed once). */
export function writeRequestType(): protobuf.Type {
  writeRequest ??= protobuf.parse(protoText).root.lookupType("prometheus.WriteRequest");
  return writeRequest;
}

/** The families' samples as time series at `timestampMs` (unix ms). */
export function remoteSeries(families: readonly PromFamily[], timestampMs: number): RemoteSeries[] {
  const out: RemoteSeries[] = [];
  for (const family of families) {
    for (const s of family.samples) {
      if ("value" in s) {
        out.push({ labels: s.labels, samples: [{ value: s.value, timestamp: timestampMs }] });
        continue;
      }
      const h = s.histogram;
      out.push({
        labels: s.labels,
        histograms: [
          {
            countInt: h.count,
            sum: h.sum,
            schema: h.schema,
            zeroThreshold: h.zeroThreshold,
            zeroCountInt: h.zeroCount,
            positiveSpans: h.positiveSpans,
            positiveDeltas: h.positiveDeltas,
            timestamp: timestampMs,
          },
        ],
      });
    }
  }
  return out;
}

/** The request body: protobuf `WriteRequest`, snappy-compressed. */
export function encodeWriteRequest(series: readonly RemoteSeries[]): Uint8Array {
  const type = writeRequestType();
  const bytes = type.encode({ timeseries: series }).finish();
  return snappy.compress(bytes);
}
