// The HTTP/2 protocol handler ("http2"), on node:http2. See session.ts for the per-VU behaviour.
import type { ProtocolHandler, ProtocolSession, SessionContext } from "../types.ts";
import { Http2Session } from "./session.ts";

export const HTTP2_PROTOCOL = "http2";

export const http2Handler: ProtocolHandler = {
  protocol: HTTP2_PROTOCOL,
  openSession(context: SessionContext): ProtocolSession {
    return new Http2Session(context);
  },
};
