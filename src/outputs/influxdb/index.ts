// `--out influxdb=URL`: every series of every interval as InfluxDB line protocol
// (outputs/influxdb/lines.ts), POSTed in batches through the shared delivery
// (outputs/delivery.ts: queue, retry with backoff, dropped points counted for the summary). The
// URL says which API:
//   http://HOST:8086/write?db=DB            InfluxDB 1.x (`u`/`p` or user:password@ work too)
//   http://HOST:8086/DB                     the same, k6's form
//   http://HOST:8086/api/v2/write?org=O&bucket=B   InfluxDB 2.x; the token from the `token`
//                                           option or LOADR_INFLUXDB_TOKEN
// `precision=ms` is added. Options: `token`, and the common ones (flushInterval, headers, tags).
// A receiver that is down never fails the run: its points are dropped and counted.
import type { RunSnapshot } from "../../core/run/run-loop.ts";
import type { Tags } from "../../metrics/types.ts";
import { ConfigError } from "../../shared/errors.ts";
import { readCommonOptions, type TagFilter } from "../common-options.ts";
import { createDelivery } from "../delivery.ts";
import type { Delivery, DeliveryReport } from "../delivery-types.ts";
import { NETWORK_DELIVERY, postBody, redact } from "../network.ts";
import { pointsOf } from "../series-view.ts";
import type { Output, OutputModule } from "../types.ts";
import { lineOf } from "./lines.ts";
import * as v from "valibot";

export const INFLUXDB_TOKEN_ENV = "LOADR_INFLUXDB_TOKEN";

export interface InfluxTarget {
  /** The write URL, with precision=ms. */
  url: string;
  version: 1 | 2;
  headers: Record<string, string>;
}

/** The write endpoint the argument names; a ConfigError (naming `origin`) when it names none. */
export function influxTarget(argument: string, token: string | undefined, origin: string): InfluxTarget {
  let url: URL;
  try {
    url = new URL(argument);
  } catch {
    throw new ConfigError(`${origin}: "${argument}" is not a URL`, "write influxdb=http://HOST:8086/write?db=DB (1.x) or influxdb=http://HOST:8086/api/v2/write?org=ORG&bucket=BUCKET (2.x)");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new ConfigError(`${origin}: the URL must start with http:// or https://, got ${url.protocol}`);
  const headers: Record<string, string> = { "Content-Type": "text/plain; charset=utf-8" };
  if (url.username || url.password) {
    headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  const path = url.pathname.replace(/\/+$/, "");
  let version: 1 | 2;
  if (path === "/api/v2/write") {
    version = 2;
    for (const key of ["org", "bucket"]) if (!url.searchParams.get(key)) throw new ConfigError(`${origin}: InfluxDB 2.x needs ${key}= in the URL`, "write influxdb=http://HOST:8086/api/v2/write?org=ORG&bucket=BUCKET");
    if (token) headers.Authorization = `Token ${token}`;
  } else if (path === "/write") {
    version = 1;
    if (!url.searchParams.get("db")) throw new ConfigError(`${origin}: InfluxDB 1.x needs db= in the URL`, "write influxdb=http://HOST:8086/write?db=DB");
  } else if (/^\/[^/]+$/.test(path)) {
    version = 1;
    url.searchParams.set("db", decodeURIComponent(path.slice(1)));
    url.pathname = "/write";
  } else {
    throw new ConfigError(`${origin}: the URL names no database`, "write influxdb=http://HOST:8086/write?db=DB, influxdb=http://HOST:8086/DB, or influxdb=http://HOST:8086/api/v2/write?org=ORG&bucket=BUCKET");
  }
  url.searchParams.set("precision", "ms");
  return { url: url.toString(), version, headers };
}

export interface InfluxOptions {
  target: InfluxTarget;
  headers: Record<string, string>;
  flushIntervalMs: number;
  tags: TagFilter;
  extraTags?: Tags;
  onProblem?: (message: string) => void;
}

export class InfluxOutput implements Output {
  readonly description: string;
  readonly #options: InfluxOptions;
  #delivery: Delivery<string> | undefined;
  #report: DeliveryReport = { sentPoints: 0, droppedPoints: 0, reasons: [] };

  constructor(options: InfluxOptions) {
    this.#options = options;
    this.description = `influxdb (${redact(options.target.url)})`;
  }

  async start(): Promise<void> {
    const { target, headers } = this.#options;
    const allHeaders = { ...target.headers, ...headers };
    this.#delivery = createDelivery<string>({
      ...NETWORK_DELIVERY,
      name: this.description,
      flushIntervalMs: this.#options.flushIntervalMs,
      send: (lines, signal) => postBody(target.url, lines.join("\n") + "\n", allHeaders, signal),
      ...(this.#options.onProblem ? { onProblem: this.#options.onProblem } : {}),
    });
  }

  add(snapshot: RunSnapshot): void {
    const delivery = this.#delivery;
    if (!delivery) return;
    const { interval } = snapshot;
    for (const point of pointsOf(interval, this.#options.tags, this.#options.extraTags)) delivery.push(lineOf(point, interval.endUnixMs));
  }

  async stop(): Promise<void> {
    const delivery = this.#delivery;
    this.#delivery = undefined;
    if (delivery) this.#report = await delivery.close();
  }

  report(): DeliveryReport {
    return this.#delivery?.report() ?? this.#report;
  }
}

export const influxdbOutput: OutputModule = {
  name: "influxdb",
  usage: "influxdb=URL  InfluxDB line protocol, 1.x (/write?db=DB) or 2.x (/api/v2/write?org=&bucket=)",
  http: true,
  options: { token: v.optional(v.string("expected the InfluxDB 2.x API token (a string)")) },
  create(argument, options, context) {
    const origin = context.origin ?? `--out influxdb=${argument}`;
    const token = typeof options.token === "string" && options.token !== "" ? options.token : context.env?.[INFLUXDB_TOKEN_ENV] || undefined;
    const common = readCommonOptions(options);
    return new InfluxOutput({
      target: influxTarget(argument.trim(), token, origin),
      headers: common.headers,
      flushIntervalMs: common.flushIntervalMs,
      tags: common.tags,
      ...(context.runId !== undefined ? { extraTags: { run_id: context.runId } } : {}),
      ...(context.onProblem ? { onProblem: context.onProblem } : {}),
    });
  },
};
