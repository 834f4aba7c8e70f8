// `--out prometheus-rw=URL`: Prometheus remote write 1.0 (protobuf + snappy) to URL, e.g.
// http://127.0.0.1:9090/api/v1/write (Prometheus with --web.enable-remote-write-receiver; add
// --enable-feature=native-histograms for the default native histograms).
//
// Each tick, every series seen so far is written at the interval's end time, as totals over the
// run (outputs/prometheus/run-series.ts; names in outputs/prometheus/naming.ts): counters,
// gauges, rates as their totals and ratio, trends as native histograms of schema 8 and/or
// trendStats gauges (options: outputs/prometheus/options.ts). The requests go through the shared
// delivery (outputs/delivery.ts): batched, retried with backoff, bounded; what could not be
// delivered is counted in the summary. The common options apply: flushInterval, headers, tags.
import type { RunSnapshot } from "../../core/run/run-loop.ts";
import { ConfigError } from "../../shared/errors.ts";
import { readCommonOptions, type CommonOptions } from "../common-options.ts";
import { createDelivery } from "../delivery.ts";
import type { Delivery, DeliveryOptions, DeliveryReport } from "../delivery-types.ts";
import { parseHttpUrl } from "../http-url.ts";
import { NETWORK_DELIVERY, postBody, redact } from "../network.ts";
import { PROMETHEUS_OPTIONS, readPrometheusOptions, type PrometheusOptions } from "../prometheus/options.ts";
import { RunSeries } from "../prometheus/run-series.ts";
import { pointsOf } from "../series-view.ts";
import type { Output, OutputContext, OutputModule } from "../types.ts";
import { encodeWriteRequest, REMOTE_WRITE_HEADERS, remoteSeries, type RemoteSeries } from "./write-request.ts";

/** Ticks per request at most (a receiver that was slow catches up in few requests). */
const MAX_BATCH_TICKS = 10;

export interface RemoteWriteConfig {
  url: URL;
  prometheus: PrometheusOptions;
  common: CommonOptions;
  /** Added to every series as tags (the controller's run_id). */
  extraTags: Record<string, string>;
  onProblem?: (message: string) => void;
  /** Tests shorten the delivery's timing; default: outputs/network.ts NETWORK_DELIVERY. */
  timing?: Partial<Pick<DeliveryOptions<unknown>, "timeoutMs" | "closeTimeoutMs" | "retry">>;
}

export class RemoteWriteOutput implements Output {
  readonly description: string;
  readonly #config: RemoteWriteConfig;
  readonly #series: RunSeries;
  #delivery: Delivery<RemoteSeries[]> | undefined;
  #report: DeliveryReport = { sentPoints: 0, droppedPoints: 0, reasons: [] };
  /** A snapshot that could not be turned into series (a bug); reported by `stop`. */
  #error: Error | undefined;

  constructor(config: RemoteWriteConfig) {
    this.#config = config;
    this.description = `prometheus-rw (${redact(config.url.href)})`;
    this.#series = new RunSeries({ prefix: config.prometheus.prefix, labels: config.prometheus.labels, stats: config.prometheus.view.trendStats.length > 0 });
  }

  async start(): Promise<void> {
    const { url, common } = this.#config;
    const headers = { ...common.headers, ...REMOTE_WRITE_HEADERS };
    this.#delivery = createDelivery<RemoteSeries[]>({
      name: this.description,
      send: (batch, signal) => postBody(url.href, encodeWriteRequest(batch.flat()), headers, signal),
      pointsOf: (item) => item.length,
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
    const { interval } = snapshot;
    try {
      this.#series.add(pointsOf(interval, this.#config.common.tags, this.#config.extraTags));
      const series = remoteSeries(this.#series.families(this.#config.prometheus.view), Math.round(interval.endUnixMs));
      if (series.length > 0) delivery.push(series);
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

export const prometheusRemoteWriteOutput: OutputModule = {
  name: "prometheus-rw",
  usage: "prometheus-rw=URL  Prometheus remote write (native histograms; trendStats gauges optional)",
  http: true,
  options: PROMETHEUS_OPTIONS,
  create(argument, options, context: OutputContext) {
    const origin = context.origin ?? `--out prometheus-rw=${argument}`;
    const url = parseHttpUrl(argument);
    if (typeof url === "string") throw new ConfigError(`${origin}: ${url}`, "give the receiver's write URL, like --out prometheus-rw=http://127.0.0.1:9090/api/v1/write");
    return new RemoteWriteOutput({
      url,
      prometheus: readPrometheusOptions(options, origin),
      common: readCommonOptions(options),
      extraTags: context.runId !== undefined ? { run_id: context.runId } : {},
      ...(context.onProblem ? { onProblem: context.onProblem } : {}),
    });
  },
};
