// An OTLP/HTTP metrics receiver for output tests (127.0.0.1, port 0). It decodes every request with
// the OpenTelemetry project's own definitions (proto/opentelemetry/, loaded from disk by
// protobufjs's loader; JSON read into the same types), never with loadr's encoder, and keeps the
// decoded requests by path.
import { join } from "node:path";
import protobuf from "protobufjs";

const PROTO_ROOT = join(import.meta.dir, "..", "..", "proto");

/** ExportMetricsServiceRequest from the official .proto files. */
export function officialRequestType(): protobuf.Type {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
  root.loadSync("opentelemetry/proto/collector/metrics/v1/metrics_service.proto");
  return root.lookupType("opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest");
}

export interface OtlpDataPoint {
  attributes?: Array<{ key: string; value: { stringValue?: string } }>;
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  asInt?: string;
  asDouble?: number;
  count?: string;
  sum?: number;
  zeroCount?: string;
  scale?: number;
  positive?: { offset?: number; bucketCounts?: string[] };
  bucketCounts?: string[];
  explicitBounds?: number[];
}

export interface OtlpMetric {
  name: string;
  unit?: string;
  sum?: { dataPoints: OtlpDataPoint[]; aggregationTemporality: number; isMonotonic?: boolean };
  gauge?: { dataPoints: OtlpDataPoint[] };
  histogram?: { dataPoints: OtlpDataPoint[]; aggregationTemporality: number };
  exponentialHistogram?: { dataPoints: OtlpDataPoint[]; aggregationTemporality: number };
}

export interface OtlpRequest {
  resourceMetrics: Array<{
    resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
    scopeMetrics?: Array<{ scope?: { name?: string }; metrics?: OtlpMetric[] }>;
  }>;
}

export interface OtlpReceiver {
  readonly url: string;
  /** Decoded requests by path, in arrival order. */
  requests(path: string): OtlpRequest[];
  /** Every metric named `name` in the requests to `path`. */
  metrics(path: string, name: string): OtlpMetric[];
  /** Requests that failed to decode (content type, body): should stay empty. */
  readonly failures: string[];
  stop(): Promise<void>;
}

export function startOtlpReceiver(): OtlpReceiver {
  const type = officialRequestType();
  const byPath = new Map<string, OtlpRequest[]>();
  const failures: string[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      const contentType = request.headers.get("content-type") ?? "";
      try {
        const body = new Uint8Array(await request.arrayBuffer());
        const message = contentType.startsWith("application/json")
          ? type.fromObject(JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>)
          : contentType.startsWith("application/x-protobuf")
            ? type.decode(body)
            : undefined;
        if (message === undefined) throw new Error(`unexpected content type ${contentType}`);
        const decoded = type.toObject(message, { longs: String, enums: Number, arrays: true }) as OtlpRequest;
        byPath.set(path, [...(byPath.get(path) ?? []), decoded]);
        return new Response(contentType.startsWith("application/json") ? "{}" : new Uint8Array(0), { headers: { "Content-Type": contentType } });
      } catch (error) {
        failures.push(`${path} ${contentType}: ${(error as Error).message}`);
        return new Response("bad request", { status: 400 });
      }
    },
  });
  const requests = (path: string) => byPath.get(path) ?? [];
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    metrics: (path, name) => requests(path).flatMap((r) => r.resourceMetrics.flatMap((rm) => (rm.scopeMetrics ?? []).flatMap((sm) => (sm.metrics ?? []).filter((m) => m.name === name)))),
    failures,
    stop: async () => {
      await server.stop(true);
    },
  };
}
