// `--out prometheus=HOST:PORT`: a scrape endpoint, `GET http://HOST:PORT/metrics`, serving the
// same series as remote write (outputs/prometheus/run-series.ts, names in naming.ts, options in
// options.ts) as totals since the run's start, updated every tick.
//
// Formats (outputs/prometheus/exposition.ts): protobuf when the scraper asks for it (Prometheus
// does with --enable-feature=native-histograms), with trends as native histograms (and the
// trendStats gauges if asked for); the text format otherwise, which cannot carry native
// histograms, with trends as trendStats gauges (k6's default stats unless `trendStats` is set).
//
// Contract: `start` binds HOST:PORT (port 0 picks a free one; the description then shows it) or
// fails with a ConfigError naming where the output was asked for; scrapes are answered on the
// run's event loop from the state of the last tick; `stop` waits, at most `finalScrapeTimeout`
// (default 0: not at all), until a scrape has read the final values, then closes the server.
// HOST:PORT is bound as given: 127.0.0.1 serves only this machine, 0.0.0.0 every interface.
import type { RunSnapshot } from "../../core/run/run-loop.ts";
import { duration, optional } from "../../config/schema/helpers.ts";
import { DEFAULT_TREND_STATS } from "../../metrics/trend-stats.ts";
import { ConfigError } from "../../shared/errors.ts";
import { readCommonOptions, type TagFilter } from "../common-options.ts";
import { pointsOf } from "../series-view.ts";
import type { Output, OutputModule } from "../types.ts";
import { acceptsProtobuf, PROTOBUF_CONTENT_TYPE, protobufExposition, TEXT_CONTENT_TYPE, textExposition } from "./exposition.ts";
import { PROMETHEUS_OPTIONS, readPrometheusOptions, type PrometheusOptions } from "./options.ts";
import { RunSeries } from "./run-series.ts";

/** How long `stop` lets responses in flight finish before closing their connections. */
const CLOSE_GRACE_MS = 2_000;

export interface ScrapeConfig {
  hostname: string;
  port: number;
  prometheus: PrometheusOptions;
  tags: TagFilter;
  extraTags: Record<string, string>;
  finalScrapeTimeoutMs: number;
  origin: string;
}

export class ScrapeOutput implements Output {
  readonly #config: ScrapeConfig;
  readonly #series: RunSeries;
  #server: ReturnType<typeof Bun.serve> | undefined;
  #final = false;
  #finalScraped: (() => void) | undefined;
  #error: Error | undefined;

  constructor(config: ScrapeConfig) {
    this.#config = config;
    this.#series = new RunSeries({ prefix: config.prometheus.prefix, labels: config.prometheus.labels, stats: true });
  }

  get description(): string {
    const host = this.#config.hostname.includes(":") ? `[${this.#config.hostname}]` : this.#config.hostname;
    return `prometheus (http://${host}:${this.#server?.port ?? this.#config.port}/metrics)`;
  }

  async start(): Promise<void> {
    const { hostname, port, origin } = this.#config;
    try {
      this.#server = Bun.serve({ hostname, port, fetch: (request) => this.#answer(request) });
    } catch (error) {
      throw new ConfigError(`${origin}: cannot listen on ${hostname}:${port} (${(error as Error).message})`, "pick a free port, or stop what listens there");
    }
  }

  add(snapshot: RunSnapshot): void {
    try {
      this.#series.add(pointsOf(snapshot.interval, this.#config.tags, this.#config.extraTags));
      if (snapshot.final) this.#final = true;
    } catch (error) {
      this.#error ??= error as Error;
    }
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    if (this.#final && this.#config.finalScrapeTimeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#config.finalScrapeTimeoutMs);
        this.#finalScraped = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.#server = undefined;
    // Let a response being written finish (answers after the final tick close their connection),
    // then close whatever is left.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([server.stop(false), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    await server.stop(true);
    if (this.#error) throw new Error(`${this.description}: an interval could not be added: ${this.#error.message}`);
  }

  #answer(request: Request): Response {
    const url = new URL(request.url);
    if (url.pathname !== "/metrics") return new Response("loadr serves its metrics at /metrics\n", { status: 404 });
    if (request.method !== "GET" && request.method !== "HEAD") return new Response("use GET /metrics\n", { status: 405, headers: { Allow: "GET, HEAD" } });
    const { view } = this.#config.prometheus;
    let response: Response;
    if (acceptsProtobuf(request.headers.get("accept"))) {
      response = new Response(protobufExposition(this.#series.families(view)), { headers: { "Content-Type": PROTOBUF_CONTENT_TYPE } });
    } else {
      const stats = view.trendStats.length > 0 ? view.trendStats : DEFAULT_TREND_STATS;
      response = new Response(textExposition(this.#series.families({ native: false, trendStats: stats })), { headers: { "Content-Type": TEXT_CONTENT_TYPE } });
    }
    if (this.#final) {
      response.headers.set("Connection", "close");
      this.#finalScraped?.();
    }
    return response;
  }
}

/** "HOST:PORT" → its parts ("[::1]:9464" for IPv6), or a message saying what is wrong. */
export function parseHostPort(argument: string): { hostname: string; port: number } | string {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(argument.trim());
  if (!match) return `"${argument}" is not HOST:PORT`;
  const port = Number(match[3]);
  if (port > 65535) return `port ${port} is past 65535`;
  return { hostname: match[1] ?? match[2]!, port };
}

export const prometheusScrapeOutput: OutputModule = {
  name: "prometheus",
  usage: "prometheus=HOST:PORT  a Prometheus scrape endpoint at http://HOST:PORT/metrics",
  options: { ...PROMETHEUS_OPTIONS, finalScrapeTimeout: optional(duration) },
  create(argument, options, context) {
    const origin = context.origin ?? `--out prometheus=${argument}`;
    const address = parseHostPort(argument);
    if (typeof address === "string") throw new ConfigError(`${origin}: ${address}`, "for example --out prometheus=127.0.0.1:9464 (0.0.0.0:9464 for every interface)");
    const finalScrapeTimeout = options.finalScrapeTimeout;
    return new ScrapeOutput({
      ...address,
      prometheus: readPrometheusOptions(options, origin),
      tags: readCommonOptions(options).tags,
      extraTags: context.runId !== undefined ? { run_id: context.runId } : {},
      finalScrapeTimeoutMs: typeof finalScrapeTimeout === "number" ? finalScrapeTimeout : 0,
      origin,
    });
  },
};
