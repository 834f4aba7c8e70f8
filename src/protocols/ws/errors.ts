// Error codes of the WebSocket protocol and the sentences users read. A failed session never
// throws: it ends with `{code, message}`, its `ws_sessions`/`ws_session_failed` samples carry the
// tag `error=<code>`, and the step's checks fail (core/checks/run.ts).
//
// Bun's WebSocket client reports a failure as an `error` event whose message is a sentence of its
// own ("Failed to connect", "Expected 101 status code: 404", "Protocol error - …"); `fromErrorEvent`
// maps those to codes, keeping Bun's sentence in ours.

const WS_CONNECT = "connect";
const WS_HANDSHAKE = "handshake";
export const WS_CLOSED = "closed";
const WS_MALFORMED = "malformed";
export const WS_TIMEOUT = "timeout";
export const WS_ABORTED = "aborted";
export const WS_INVALID = "invalid_request";

export interface WsError {
  readonly code: string;
  readonly message: string;
}

export const wsError = (code: string, message: string): WsError => ({ code, message });

/** The failure an `error` event of Bun's client stands for, and the handshake status if it names one. */
export function fromErrorEvent(url: string, detail: string, opened: boolean): { error: WsError; status: number } {
  const status = /Expected 101 status code: (\d{3})/.exec(detail);
  if (status) {
    return {
      error: wsError(WS_HANDSHAKE, `${url} answered the WebSocket upgrade with HTTP ${status[1]} instead of 101 (is this a WebSocket endpoint?)`),
      status: Number(status[1]),
    };
  }
  if (/protocol error/i.test(detail)) return { error: wsError(WS_MALFORMED, `${url} sent a malformed WebSocket frame: ${stripPrefix(detail)}`), status: 0 };
  if (!opened && /failed to connect/i.test(detail)) {
    return { error: wsError(WS_CONNECT, `could not connect to ${url} (refused, or the name does not resolve: is anything listening there?)`), status: 0 };
  }
  const what = opened ? WS_CLOSED : WS_CONNECT;
  return { error: wsError(what, `${url}: ${stripPrefix(detail) || "the connection failed"}`), status: 0 };
}

/** Bun's "WebSocket connection to 'URL' failed: " prefix, dropped (we name the URL ourselves). */
function stripPrefix(detail: string): string {
  return detail.replace(/^WebSocket connection to '[^']*' failed: /, "").trim();
}

/** The server (or the network) ended an open session before its actions were done. */
export function closedMidSession(url: string, code: number, reason: string): WsError {
  const why = code === 1006 ? "the connection dropped without a close frame (code 1006)" : `the server closed it with code ${code}${reason ? ` (${reason})` : ""}`;
  return wsError(WS_CLOSED, `the WebSocket session with ${url} ended before its actions were done: ${why}`);
}
