// A VU's TCP session: one connection per (target, TLS settings), kept between exchanges unless an
// exchange asks otherwise (`keepAlive: false`) or fails. `exchange` is called by one VU at a time,
// always resolves (failures are `ResponseView.error`, tagged `error=<code>`), and records
// tcp_reqs, tcp_failed, tcp_duration (from the first byte written to the end of the reply, or
// to the write when nothing is expected), tcp_connecting (per new connection), data_sent and
// data_received with the caller's tags plus `name` (and `error`).
import type { TLSOptions } from "bun";
import type { Ms, TlsSpec } from "../../config/plan.ts";
import type { MetricSink, Tags } from "../../metrics/types.ts";
import type { ProtocolHandler, ResponseView, Session, SessionContext } from "../types.ts";
import { ERR_INVALID_REQUEST, requestError, type RequestError } from "../http1/errors.ts";
import { TcpConnection, type ReadUntil } from "./connection.ts";
import { parseHostPort } from "./payload.ts";
import { TCP_PROTOCOL } from "./step/tcp-step.ts";

export interface TcpExchange {
  /** Metric tag `name`. */
  name: string;
  /** `host:port`. */
  target: string;
  /** TLS settings, or undefined for plain TCP. */
  tls: TlsSpec | undefined;
  payload: Uint8Array;
  /** What reply to wait for; undefined: none (the exchange ends once the bytes are written). */
  expect: ReadUntil | undefined;
  /** How long to wait for the reply. */
  timeout: Ms;
  connectTimeout: Ms;
  /** Keep the connection for the VU's next exchange with the same target. */
  keepAlive: boolean;
}

export interface TcpSession extends Session {
  exchange(exchange: TcpExchange, tags: Tags, signal?: AbortSignal): Promise<ResponseView>;
}

const decoder = new TextDecoder();

function failure(error: RequestError, duration: number): ResponseView {
  return { status: 0, headers: {}, body: "", url: "", error, timings: { blocked: 0, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: 0, receiving: 0, duration } };
}

function tlsOptions(tls: TlsSpec | undefined, hostname: string): TLSOptions | undefined {
  if (!tls) return undefined;
  const options: TLSOptions = { rejectUnauthorized: !tls.insecure };
  if (tls.ca) options.ca = tls.ca;
  const name = tls.serverName ?? (/^[\d.]+$|:/.test(hostname) ? undefined : hostname);
  if (name) options.serverName = name;
  return options;
}

function keyOf(exchange: TcpExchange): string {
  const tls = exchange.tls;
  return tls ? `${exchange.target}|tls|${tls.insecure ? 1 : 0}|${tls.serverName ?? ""}|${tls.ca ?? ""}` : exchange.target;
}

class VuTcpSession implements TcpSession {
  private readonly connections = new Map<string, TcpConnection>();
  private closed = false;

  constructor(private readonly metrics: MetricSink) {}

  async exchange(exchange: TcpExchange, tags: Tags, signal?: AbortSignal): Promise<ResponseView> {
    const sample: Tags = { ...tags, name: exchange.name };
    const result = await this.run(exchange, sample, signal);
    const error = result.response.error?.code;
    const recorded = error === undefined ? sample : { ...sample, error };
    this.metrics.add("tcp_reqs", 1, recorded);
    this.metrics.add("tcp_failed", error === undefined ? 0 : 1, recorded);
    this.metrics.add("tcp_duration", result.response.timings.duration, recorded);
    this.metrics.add("data_sent", result.sent, recorded);
    this.metrics.add("data_received", result.received, recorded);
    return result.response;
  }

  private async run(exchange: TcpExchange, tags: Tags, signal: AbortSignal | undefined) {
    const outcome = { response: failure(requestError(ERR_INVALID_REQUEST, "the session is closed"), 0), sent: 0, received: 0 };
    if (this.closed) return outcome;
    const target = parseHostPort(exchange.target);
    if ("error" in target) return { ...outcome, response: failure(requestError(ERR_INVALID_REQUEST, target.error), 0) };
    const key = keyOf(exchange);
    let conn = this.connections.get(key);
    if (conn && !conn.isOpen) {
      conn.close();
      this.connections.delete(key);
      conn = undefined;
    }
    if (!conn) {
      const started = performance.now();
      const opened = await TcpConnection.connect(target, tlsOptions(exchange.tls, target.hostname), exchange.connectTimeout, signal);
      if (!(opened instanceof TcpConnection)) {
        return { ...outcome, response: failure(opened, 0) };
      }
      this.metrics.add("tcp_connecting", performance.now() - started, tags);
      if (this.closed) {
        opened.close();
        return outcome;
      }
      conn = opened;
      this.connections.set(key, conn);
    }
    const sentAt = performance.now();
    const sent = conn.write(exchange.payload);
    let response: ResponseView;
    if (exchange.expect === undefined) {
      response = { status: 1, headers: {}, body: "", url: exchange.target, timings: timingsOf(performance.now() - sentAt) };
    } else {
      const read = await conn.read(exchange.expect, sentAt + exchange.timeout, signal);
      const duration = performance.now() - sentAt;
      response = read.ok
        ? { status: 1, headers: {}, body: decoder.decode(read.bytes), url: exchange.target, timings: timingsOf(duration), attributes: { bytes: read.bytes.length } }
        : failure(read.error, duration);
    }
    const received = conn.takeReceived();
    if (!exchange.keepAlive || response.error || !conn.isOpen) {
      conn.close();
      this.connections.delete(key);
    }
    return { response, sent, received };
  }

  close(): void {
    this.closed = true;
    for (const conn of this.connections.values()) conn.close();
    this.connections.clear();
  }
}

function timingsOf(duration: number) {
  return { blocked: 0, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: duration, receiving: 0, duration };
}

export const tcpHandler: ProtocolHandler<TcpSession> = {
  protocol: TCP_PROTOCOL,
  openSession: (context: SessionContext) => new VuTcpSession(context.metrics),
};
