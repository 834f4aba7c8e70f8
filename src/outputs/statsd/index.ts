// `--out statsd=HOST:PORT`: each interval as StatsD lines (outputs/statsd/lines.ts) in UDP
// datagrams of at most MAX_PACKET_BYTES, through the shared delivery (outputs/delivery.ts: one
// datagram in flight, retries, dropped points counted). UDP is fire-and-forget: a StatsD server
// that is down loses the datagrams without loadr knowing (only a send that fails locally, such
// as an unresolvable host, is counted as dropped); the socket is not connected, so the ICMP
// "port unreachable" of one datagram does not fail the next one.
// Options: `namespace` (prefix of every name, default "k6." as k6's), `dogstatsd` (tags, per
// series), and the common `flushInterval` and `tags` (with dogstatsd).
import { createSocket, type Socket } from "node:dgram";
import { isIP } from "node:net";
import { lookup } from "node:dns/promises";
import type { RunSnapshot } from "../../core/run/run-loop.ts";
import type { Tags } from "../../metrics/types.ts";
import { ConfigError } from "../../shared/errors.ts";
import { readCommonOptions, type TagFilter } from "../common-options.ts";
import { createDelivery } from "../delivery.ts";
import type { Delivery, DeliveryReport } from "../delivery-types.ts";
import { NETWORK_DELIVERY } from "../network.ts";
import { pointsOf } from "../series-view.ts";
import type { Output, OutputModule } from "../types.ts";
import { packets, statsdLines } from "./lines.ts";
import * as v from "valibot";

export interface StatsdOptions {
  host: string;
  port: number;
  namespace: string;
  dogstatsd: boolean;
  flushIntervalMs: number;
  tags: TagFilter;
  extraTags?: Tags;
  origin: string;
  onProblem?: (message: string) => void;
}

interface Packet {
  text: string;
  lines: number;
}

export class StatsdOutput implements Output {
  readonly description: string;
  readonly #options: StatsdOptions;
  #socket: Socket | undefined;
  #delivery: Delivery<Packet> | undefined;
  #report: DeliveryReport = { sentPoints: 0, droppedPoints: 0, reasons: [] };

  constructor(options: StatsdOptions) {
    this.#options = options;
    this.description = `statsd (${options.host.includes(":") ? `[${options.host}]` : options.host}:${options.port}${options.dogstatsd ? ", DogStatsD tags" : ""})`;
  }

  async start(): Promise<void> {
    const { host, port } = this.#options;
    const address = isIP(host) !== 0 ? host : await lookupHost(host, this.#options.origin);
    const socket = createSocket(isIP(address) === 6 ? "udp6" : "udp4");
    socket.on("error", () => {}); // each send reports its own error
    socket.unref();
    this.#socket = socket;
    this.#delivery = createDelivery<Packet>({
      ...NETWORK_DELIVERY,
      maxBatchItems: 1,
      // A datagram is small: the timer sends one and the rest follow at once (full batches, delivery-types.ts).
      name: this.description,
      flushIntervalMs: this.#options.flushIntervalMs,
      pointsOf: (p) => p.lines,
      send: (batch) =>
        new Promise<void>((resolve, reject) => {
          socket.send(batch[0]!.text, port, address, (error) => (error ? reject(new Error(`UDP to ${host}:${port}: ${(error as { code?: string }).code ?? error.message}`)) : resolve()));
        }),
      ...(this.#options.onProblem ? { onProblem: this.#options.onProblem } : {}),
    });
  }

  add(snapshot: RunSnapshot): void {
    const delivery = this.#delivery;
    if (!delivery) return;
    const { interval } = snapshot;
    const { namespace, dogstatsd } = this.#options;
    const lines: string[] = [];
    if (dogstatsd) {
      for (const p of pointsOf(interval, this.#options.tags, this.#options.extraTags)) lines.push(...statsdLines(p.name, p.value, namespace, p.tags));
    } else {
      const names = new Set(interval.series.map((s) => s.name));
      for (const name of names) lines.push(...statsdLines(name, interval.metrics[name]!, namespace));
    }
    for (const packet of packets(lines)) delivery.push(packet);
  }

  async stop(): Promise<void> {
    const delivery = this.#delivery;
    this.#delivery = undefined;
    if (delivery) this.#report = await delivery.close();
    this.#socket?.close();
    this.#socket = undefined;
  }

  report(): DeliveryReport {
    return this.#delivery?.report() ?? this.#report;
  }
}

/** The address of a host name, once at start; a ConfigError naming `origin` when it has none. */
async function lookupHost(host: string, origin: string): Promise<string> {
  try {
    return (await lookup(host)).address;
  } catch (error) {
    throw new ConfigError(`${origin}: the host ${host} cannot be resolved (${(error as Error).message})`, "write statsd=HOST:PORT, e.g. statsd=127.0.0.1:8125");
  }
}

/** "HOST:PORT" or "[v6]:PORT"; a ConfigError naming `origin` otherwise. */
export function parseHostPort(argument: string, origin: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(argument) ?? /^([^:\s]+):(\d+)$/.exec(argument);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`${origin}: expected HOST:PORT, got "${argument}"`, "for example statsd=127.0.0.1:8125");
  }
  return { host: m[1]!, port };
}

export const statsdOutput: OutputModule = {
  name: "statsd",
  usage: "statsd=HOST:PORT  StatsD over UDP: exact counts, trend figures as gauges; DogStatsD tags on request",
  options: {
    namespace: v.optional(v.string("expected a prefix for every name, like \"k6.\"")),
    dogstatsd: v.optional(v.boolean("expected true or false")),
  },
  create(argument, options, context) {
    const origin = context.origin ?? `--out statsd=${argument}`;
    const { host, port } = parseHostPort(argument.trim(), origin);
    const common = readCommonOptions(options);
    return new StatsdOutput({
      host,
      port,
      namespace: typeof options.namespace === "string" ? options.namespace : "k6.",
      dogstatsd: options.dogstatsd === true,
      flushIntervalMs: common.flushIntervalMs,
      tags: common.tags,
      ...(context.runId !== undefined ? { extraTags: { run_id: context.runId } } : {}),
      origin,
      ...(context.onProblem ? { onProblem: context.onProblem } : {}),
    });
  },
};
