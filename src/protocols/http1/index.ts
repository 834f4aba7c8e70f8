// The HTTP/1.1 protocol handler ("http"): a hand-written client on Bun.connect (about 3x the
// throughput of fetch, with per-phase timings). See session.ts for the per-VU behaviour.
import type { ProtocolHandler, ProtocolSession, SessionContext } from "../types.ts";
import { Http1Session } from "./session.ts";

export const http1Handler: ProtocolHandler = {
  protocol: "http",
  openSession(context: SessionContext): ProtocolSession {
    return new Http1Session(context);
  },
};

export { Http1Session } from "./session.ts";
export { USER_AGENT } from "./request-writer.ts";
export * from "./errors.ts";
