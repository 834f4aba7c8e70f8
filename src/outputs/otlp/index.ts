// `--out otlp=URL`: OTLP/HTTP metrics (protobuf by default, or JSON) to URL, e.g.
// http://127.0.0.1:4318/v1/metrics (a URL without a path gets OTLP's `/v1/metrics`).
//
// Each tick's interval becomes one ExportMetricsServiceRequest with delta temporality
// (outputs/otlp/metrics-request.ts): counters and rates as delta sums, gauges as gauges, trends
// as exponential histograms (default) or explicit-bucket histograms; the resource carries
// service.name "loadr", loadr.run_id (when the host has one: not on the points), loadr.plan and the `resource`
// option's attributes. Requests go through the shared delivery (outputs/delivery.ts). Options
// (plan `outputs:` entries): format, histogram, buckets, prefix, resource, and the common
// flushInterval, headers, tags.
import type { RunSnapshot } from "../../core/run/run-loop.ts";
import { list, map, num, optional, picklist, scalar, str } from "../../config/schema/helpers.ts";
import { ConfigError } from "../../shared/errors.ts";
import { VERSION } from "../../shared/version.ts";
import { readCommonOptions, type CommonOptions } from "../common-options.ts";
import { createDelivery } from "../delivery.ts";
import type { Delivery, DeliveryOptions, DeliveryReport } from "../delivery-types.ts";
import { parseHttpUrl } from "../http-url.ts";
import { NETWORK_DELIVERY, postBody, redact } from "../network.ts";
import { pointsOf } from "../series-view.ts";
import type { Output, OutputModule } from "../types.ts";
import { DEFAULT_BOUNDS, DEFAULT_TIME_BOUNDS } from "./histograms.ts";
import { DEFAULT_OTLP_PREFIX, encodeOtlpJson, encodeOtlpProtobuf, otlpRequest, type HistogramKind, type OtlpRequestOptions } from "./metrics-request.ts";

/** Ticks per request at most (a receiver that was slow catches up in few requests). */
const MAX_BATCH_TICKS = 10;
const CONTENT_TYPES = { protobuf: "application/x-protobuf", json: "application/json" } as const;

export type OtlpFormat = keyof typeof CONTENT_TYPES;

export interface OtlpConfig {
  url: URL;
  format: OtlpFormat;
  request: OtlpRequestOptions;
  common: CommonOptions;
  onProblem?: (message: string) => void;
  /** Tests shorten the delivery's timing; default: outputs/network.ts NETWORK_DELIVERY. */
  timing?: Partial<Pick<DeliveryOptions<unknown>, "timeoutMs" | "closeTimeoutMs" | "retry">>;
}

type Request = Record<string, unknown>;

interface Item {
  readonly request: Request;
  readonly points: number;
}

export class OtlpOutput implements Output {
  readonly description: string;
  readonly #config: OtlpConfig;
  #delivery: Delivery<Item> | undefined;
  #report: DeliveryReport = { sentPoints: 0, droppedPoints: 0, reasons: [] };
  #error: Error | undefined;

  constructor(config: OtlpConfig) {
    this.#config = config;
    this.description = `otlp (${redact(config.url.href)}, ${config.format})`;
  }

  async start(): Promise<void> {
    const { url, format, common } = this.#config;
    const headers = { ...common.headers, "Content-Type": CONTENT_TYPES[format] };
    this.#delivery = createDelivery<Item>({
      name: this.description,
      send: (batch, signal) => {
        const merged = { resourceMetrics: batch.flatMap((item) => item.request.resourceMetrics as unknown[]) };
        return postBody(url.href, format === "json" ? encodeOtlpJson(merged) : encodeOtlpProtobuf(merged), headers, signal);
      },
      pointsOf: (item) => item.points,
      ...NETWORK_DELIVERY,
      flushIntervalMs: common.flushIntervalMs,
      maxBatchItems: MAX_BATCH_TICKS,
      ...this.#config.timing,
      ...(this.#config.onProblem ? { onProblem: this.#config.onProblem } : {}),
    });
  }

  add(snapshot: RunSnapshot): void {
    const delivery = this.#delivery;
    if (!delivery) return;
    try {
      const points = pointsOf(snapshot.interval, this.#config.common.tags);
      const request = otlpRequest(snapshot.interval, points, this.#config.request);
      if (request) delivery.push({ request, points: points.length });
    } catch (error) {
      this.#error ??= error as Error;
    }
  }

  async stop(): Promise<void> {
    const delivery = this.#delivery;
    this.#delivery = undefined;
    if (delivery) this.#report = await delivery.close();
    if (this.#error) throw new Error(`${this.description}: an interval could not be encoded: ${this.#error.message}`);
  }

  report(): DeliveryReport {
    return this.#delivery?.report() ?? this.#report;
  }
}

/** Explicit bounds: strictly ascending numbers, or a message saying what is wrong. */
function boundsProblem(bounds: readonly number[]): string | undefined {
  for (let i = 1; i < bounds.length; i++) if (!(bounds[i]! > bounds[i - 1]!)) return `buckets must ascend strictly (${bounds[i - 1]} then ${bounds[i]})`;
  return bounds.length === 0 ? "buckets needs at least one bound" : undefined;
}

export const otlpOutput: OutputModule = {
  name: "otlp",
  usage: "otlp=URL  OTLP/HTTP metrics (delta; trends as exponential or explicit histograms)",
  http: true,
  options: {
    format: optional(picklist(["protobuf", "json"] as const, "format")),
    histogram: optional(picklist(["exponential", "explicit"] as const, "histogram")),
    buckets: optional(list(num(0), "bucket bounds", 1)),
    prefix: optional(str("a metric name prefix")),
    resource: optional(map(scalar, "resource attribute values")),
  },
  create(argument, options, context) {
    const origin = context.origin ?? `--out otlp=${argument}`;
    const url = parseHttpUrl(argument);
    if (typeof url === "string") throw new ConfigError(`${origin}: ${url}`, "give the OTLP/HTTP endpoint, like --out otlp=http://127.0.0.1:4318/v1/metrics");
    if (url.pathname === "/" || url.pathname === "") url.pathname = "/v1/metrics";
    const buckets = Array.isArray(options.buckets) ? options.buckets.map(Number) : undefined;
    const problem = buckets && boundsProblem(buckets);
    if (problem) throw new ConfigError(`${origin}: ${problem}`, "for example buckets: [0.01, 0.05, 0.1, 0.5, 1] (seconds for time trends)");
    const resourceOption = options.resource && typeof options.resource === "object" ? (options.resource as Record<string, unknown>) : {};
    return new OtlpOutput({
      url,
      format: options.format === "json" ? "json" : "protobuf",
      request: {
        prefix: typeof options.prefix === "string" ? options.prefix : DEFAULT_OTLP_PREFIX,
        histogram: (options.histogram as HistogramKind | undefined) ?? "exponential",
        timeBounds: buckets ?? DEFAULT_TIME_BOUNDS,
        bounds: buckets ?? DEFAULT_BOUNDS,
        resource: {
          ...Object.fromEntries(Object.entries(resourceOption).map(([k, v]) => [k, String(v)])),
          ...(context.runId !== undefined ? { "loadr.run_id": context.runId } : {}),
          "loadr.plan": context.planName,
        },
        version: VERSION,
      },
      common: readCommonOptions(options),
      ...(context.onProblem ? { onProblem: context.onProblem } : {}),
    });
  },
};
