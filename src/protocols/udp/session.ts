// A VU's UDP session: one connected socket per target (so only that peer's datagrams reach it),
// opened on first use and kept until the session closes. `exchange` is called by one VU at a
// time and always resolves: it sends one datagram and, when a reply is expected, waits for the
// next datagram from the peer until the timeout — a lost datagram is a counted `timeout`
// (udp_timeouts), never a hang. Datagrams that arrive while no exchange waits (late replies) are
// dropped when the next exchange sends. Records udp_reqs, udp_failed, udp_duration (send to
// reply, or to the send when nothing is expected), data_sent and data_received with the
// caller's tags plus `name` (and `error`).
import type { udp } from "bun";
import type { Ms } from "../../config/plan.ts";
import type { MetricSink, Tags } from "../../metrics/types.ts";
import type { ProtocolHandler, ResponseView, Session, SessionContext } from "../types.ts";
import { ERR_ABORTED, ERR_CONNECT, ERR_INVALID_REQUEST, ERR_TIMEOUT, requestError, type RequestError } from "../http1/errors.ts";
import { parseHostPort, type HostPort } from "../tcp/payload.ts";
import { UDP_PROTOCOL } from "./step/udp-step.ts";

/** Largest payload sent in one datagram (IPv4's limit for UDP data). */
export const MAX_DATAGRAM_BYTES = 65_507;
/** Datagrams kept while no exchange waits; beyond it the oldest are dropped. */
const MAX_QUEUED = 64;

export interface UdpExchange {
  name: string;
  /** `host:port`. */
  target: string;
  payload: Uint8Array;
  /** Wait this long for a reply; undefined: none expected. */
  expectTimeout: Ms | undefined;
}

export interface UdpSession extends Session {
  exchange(exchange: UdpExchange, tags: Tags, signal?: AbortSignal): Promise<ResponseView>;
}

type Socket = udp.ConnectedSocket<"buffer">;

class Peer {
  readonly queue: Buffer[] = [];
  wake: (() => void) | undefined;
  error: RequestError | undefined;
  constructor(readonly socket: Socket) {}
}

const decoder = new TextDecoder();

function view(status: number, body: string, url: string, duration: number, error?: RequestError): ResponseView {
  const response: ResponseView = { status, headers: {}, body, url, timings: { blocked: 0, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: duration, receiving: 0, duration } };
  if (error) response.error = error;
  return response;
}

class VuUdpSession implements UdpSession {
  private readonly peers = new Map<string, Peer>();
  private closed = false;

  constructor(private readonly metrics: MetricSink) {}

  async exchange(exchange: UdpExchange, tags: Tags, signal?: AbortSignal): Promise<ResponseView> {
    const sample: Tags = { ...tags, name: exchange.name };
    const { response, sent, received } = await this.run(exchange, signal);
    const error = response.error?.code;
    const recorded = error === undefined ? sample : { ...sample, error };
    this.metrics.add("udp_reqs", 1, recorded);
    this.metrics.add("udp_failed", error === undefined ? 0 : 1, recorded);
    this.metrics.add("udp_duration", response.timings.duration, recorded);
    if (error === ERR_TIMEOUT) this.metrics.add("udp_timeouts", 1, recorded);
    this.metrics.add("data_sent", sent, recorded);
    this.metrics.add("data_received", received, recorded);
    return response;
  }

  private async run(exchange: UdpExchange, signal: AbortSignal | undefined): Promise<{ response: ResponseView; sent: number; received: number }> {
    const fail = (error: RequestError, duration = 0) => ({ response: view(0, "", exchange.target, duration, error), sent: 0, received: 0 });
    if (this.closed) return fail(requestError(ERR_INVALID_REQUEST, "the session is closed"));
    if (exchange.payload.length > MAX_DATAGRAM_BYTES) {
      return fail(requestError(ERR_INVALID_REQUEST, `a datagram of ${exchange.payload.length} bytes is over the ${MAX_DATAGRAM_BYTES}-byte limit`));
    }
    const target = parseHostPort(exchange.target);
    if ("error" in target) return fail(requestError(ERR_INVALID_REQUEST, target.error));
    const peer = await this.peerFor(exchange.target, target);
    if (!(peer instanceof Peer)) return fail(peer);
    if (this.closed) return fail(requestError(ERR_ABORTED, "the session closed while opening its socket"));
    peer.queue.length = 0;
    peer.error = undefined;
    const sentAt = performance.now();
    if (!peer.socket.send(exchange.payload)) {
      return fail(requestError(ERR_CONNECT, `the datagram to ${exchange.target} could not be sent (the socket's buffer is full)`));
    }
    const sent = exchange.payload.length;
    if (exchange.expectTimeout === undefined) return { response: view(1, "", exchange.target, performance.now() - sentAt), sent, received: 0 };
    const reply = await this.next(peer, exchange, sentAt + exchange.expectTimeout, signal);
    const duration = performance.now() - sentAt;
    if (!Buffer.isBuffer(reply)) return { ...fail(reply as RequestError, duration), sent };
    return { response: { ...view(1, decoder.decode(reply), exchange.target, duration), attributes: { bytes: reply.length } }, sent, received: reply.length };
  }

  private async peerFor(key: string, target: HostPort): Promise<Peer | RequestError> {
    const known = this.peers.get(key);
    if (known) return known;
    try {
      let peer: Peer | undefined;
      const socket = await Bun.udpSocket({
        connect: { hostname: target.hostname, port: target.port },
        socket: {
          data(_socket, data) {
            if (!peer) return;
            if (peer.queue.length >= MAX_QUEUED) peer.queue.shift();
            peer.queue.push(data);
            peer.wake?.();
          },
          error(_socket, error) {
            if (!peer) return;
            peer.error = requestError(ERR_CONNECT, `${key} answered with an error: ${error.message}`);
            peer.wake?.();
          },
        },
      });
      peer = new Peer(socket);
      if (this.closed) socket.close();
      else this.peers.set(key, peer);
      return peer;
    } catch (error) {
      return requestError(ERR_CONNECT, `could not open a UDP socket to ${key}: ${(error as Error).message}`);
    }
  }

  private next(peer: Peer, exchange: UdpExchange, deadline: number, signal: AbortSignal | undefined): Promise<Buffer | RequestError> {
    const ready = peer.queue.shift() ?? peer.error;
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const finish = (result: Buffer | RequestError) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        peer.wake = undefined;
        resolve(result);
      };
      const onAbort = () => finish(requestError(ERR_ABORTED, `waiting for ${exchange.target} was aborted (the run is stopping)`));
      const wait = Math.max(0, deadline - performance.now());
      const timer = setTimeout(() => finish(requestError(ERR_TIMEOUT, `${exchange.target} sent no reply within ${Math.round(wait)} ms (the datagram or its reply was lost, or nothing answers there)`)), wait);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      peer.wake = () => {
        const got = peer.queue.shift() ?? peer.error;
        if (got) finish(got);
      };
    });
  }

  close(): void {
    this.closed = true;
    for (const peer of this.peers.values()) peer.socket.close();
    this.peers.clear();
  }
}


export const udpHandler: ProtocolHandler<UdpSession> = {
  protocol: UDP_PROTOCOL,
  openSession: (context: SessionContext) => new VuUdpSession(context.metrics),
};
