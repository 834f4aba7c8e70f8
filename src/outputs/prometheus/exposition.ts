// The scrape endpoint's two formats, from metric families (outputs/prometheus/run-series.ts). Pure
// apart from the lazily parsed schema.
// - Protobuf (proto/prometheus/exposition.proto, varint-delimited `MetricFamily` messages) when
//   the scraper's Accept header asks for it, as Prometheus does with native histograms enabled:
//   the only format that carries native histograms.
// - Text 0.0.4 otherwise: counters and gauges; a histogram family cannot be written in it and is
//   left out (trends then appear only as their trendStats gauges, which the caller asks for).
import protobuf from "protobufjs";
import protoText from "../../../proto/prometheus/exposition.proto" with { type: "text" };
import type { Label, PromFamily } from "./run-series.ts";

export const TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
export const PROTOBUF_CONTENT_TYPE = "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";

/** Whether a scraper's Accept header asks for the delimited protobuf format. */
export function acceptsProtobuf(accept: string | null): boolean {
  return accept !== null && /application\/vnd\.google\.protobuf/i.test(accept) && /proto=io\.prometheus\.client\.MetricFamily/i.test(accept);
}

export function textExposition(families: readonly PromFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (f.type === "histogram") continue;
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) if ("value" in s) lines.push(`${f.name}${labelText(s.labels)} ${numberText(s.value)}`);
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

let familyType: protobuf.Type | undefined;

/** The `io.prometheus.client.MetricFamily` type (parsed once). */
export function metricFamilyType(): protobuf.Type {
  familyType ??= protobuf.parse(protoText).root.lookupType("io.prometheus.client.MetricFamily");
  return familyType;
}

const PROTO_TYPES = { counter: "COUNTER", gauge: "GAUGE", histogram: "HISTOGRAM" } as const;

export function protobufExposition(families: readonly PromFamily[]): Uint8Array {
  const type = metricFamilyType();
  const writer = protobuf.Writer.create();
  for (const f of families) {
    const metric = f.samples.map((s) => {
      const label = s.labels.filter((l) => l.name !== "__name__");
      if ("value" in s) return f.type === "counter" ? { label, counter: { value: s.value } } : { label, gauge: { value: s.value } };
      const h = s.histogram;
      // An empty span marks a histogram without buckets as native (as client_golang does).
      const positiveSpan = h.positiveSpans.length > 0 ? h.positiveSpans : [{ offset: 0, length: 0 }];
      return {
        label,
        histogram: {
          sampleCount: h.count,
          sampleSum: h.sum,
          schema: h.schema,
          zeroThreshold: h.zeroThreshold,
          zeroCount: h.zeroCount,
          positiveSpan,
          positiveDelta: h.positiveDeltas,
        },
      };
    });
    type.encodeDelimited(type.fromObject({ name: f.name, help: f.help, type: PROTO_TYPES[f.type], metric }), writer);
  }
  return writer.finish();
}

function labelText(labels: readonly Label[]): string {
  const own = labels.filter((l) => l.name !== "__name__");
  if (own.length === 0) return "";
  return `{${own.map((l) => `${l.name}="${l.value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(",")}}`;
}

function numberText(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}
