// A VU's WebSocket session ("ws"): the sockets its `ws` steps open, so that closing the session
// (the VU ends, the run stops) closes every one of them. Opened lazily by `VuRuntime.session` on
// the VU's first `ws` step and used by that VU only (one step at a time).
import type { MetricSink, Tags } from "../../metrics/types.ts";
import type { ProtocolHandler, Session, SessionContext } from "../types.ts";
import { WsConnection, type WsConnectOptions } from "./connection.ts";

/** The protocol name `ws` steps open their sessions under (src/protocols/registry.ts). */
export const WS_PROTOCOL = "ws";

export class WsSession implements Session {
  private readonly sockets = new Set<WsConnection>();
  private ended = false;

  constructor(private readonly metrics: MetricSink) {}

  /** Starts connecting; the connection reports its failures itself (`opened`, `failure`). */
  connect(options: WsConnectOptions, tags: Tags, signal: AbortSignal): WsConnection {
    const connection = new WsConnection(options, tags, this.metrics, signal);
    if (this.ended) connection.terminate();
    else {
      this.sockets.add(connection);
      void connection.closed.then(() => this.sockets.delete(connection));
    }
    return connection;
  }

  /** Sockets not yet closed (for tests and the contract suite). */
  get openSockets(): number {
    return this.sockets.size;
  }

  close(): void {
    this.ended = true;
    for (const socket of this.sockets) socket.terminate();
    this.sockets.clear();
  }
}

export const wsHandler: ProtocolHandler<WsSession> = {
  protocol: WS_PROTOCOL,
  openSession: (context: SessionContext) => new WsSession(context.metrics),
};
