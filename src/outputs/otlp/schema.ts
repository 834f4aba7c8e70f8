// The OTLP metrics schema: the OpenTelemetry project's own .proto files (proto/opentelemetry/,
// copied unchanged), embedded as text and parsed once by protobufjs.
import protobuf from "protobufjs";
import common from "../../../proto/opentelemetry/proto/common/v1/common.proto" with { type: "text" };
import resource from "../../../proto/opentelemetry/proto/resource/v1/resource.proto" with { type: "text" };
import metrics from "../../../proto/opentelemetry/proto/metrics/v1/metrics.proto" with { type: "text" };
import service from "../../../proto/opentelemetry/proto/collector/metrics/v1/metrics_service.proto" with { type: "text" };

let root: protobuf.Root | undefined;

/** The root holding `opentelemetry.proto.*` (imports resolved by parsing every file into it). */
export function otlpRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  for (const text of [common, resource, metrics, service]) protobuf.parse(text, r);
  r.resolveAll();
  root = r;
  return r;
}

export function exportMetricsRequestType(): protobuf.Type {
  return otlpRoot().lookupType("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest");
}
