// One request/response as a stream of a ClientHttp2Session. Always resolves: a reset stream is
// `rst_stream`, a stream the server's GOAWAY left unanswered is `goaway`, the deadline is
// `timeout`, an abort is `aborted` (the stream is cancelled in the last three cases). Bytes are
// the socket's counters over the exchange (a VU has one stream in flight at a time).
import { constants, type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http2";
import { ERR_ABORTED, ERR_RESET, ERR_TIMEOUT, requestError, type RequestError } from "../http1/errors.ts";
import type { RequestTimings } from "../types.ts";
import { ERR_GOAWAY, ERR_RST_STREAM } from "./errors.ts";

export interface StreamResult {
  status: number;
  headers: Record<string, string[]>;
  body: Buffer[];
  timings: RequestTimings;
  bytesSent: number;
  bytesReceived: number;
  error?: RequestError;
}

/** A pooled connection: its session and what the server's GOAWAY said. */
export interface H2Connection {
  session: ClientHttp2Session;
  goaway: boolean;
  /** Called on GOAWAY with the last stream id the server will answer; set by the exchange in flight. */
  onGoaway: ((lastStreamId: number) => void) | undefined;
}

export interface StreamRequest {
  headers: OutgoingHttpHeaders;
  body: string | Uint8Array | undefined;
  /** Absolute time (performance.now()) by which the exchange must end. */
  deadline: number;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

export function exchange(connection: H2Connection, request: StreamRequest, connectTimings: Pick<RequestTimings, "blocked" | "connecting" | "tlsHandshaking">): Promise<StreamResult> {
  const { promise, resolve } = Promise.withResolvers<StreamResult>();
  const session = connection.session;
  const socket = session.socket;
  const read0 = socket?.bytesRead ?? 0;
  const written0 = socket?.bytesWritten ?? 0;
  const started = performance.now();
  let sentAt = started;
  let firstByteAt = 0;
  let status = 0;
  let headers: Record<string, string[]> = {};
  const body: Buffer[] = [];
  let done = false;
  const stream = session.request(request.headers, { endStream: request.body === undefined });
  const finish = (error?: RequestError) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    request.signal?.removeEventListener("abort", onAbort);
    connection.onGoaway = undefined;
    if (error !== undefined && !stream.closed) stream.close(constants.NGHTTP2_CANCEL);
    const now = performance.now();
    const waitingEnd = firstByteAt || now;
    const timings: RequestTimings = {
      ...connectTimings,
      sending: sentAt - started,
      waiting: waitingEnd - sentAt,
      receiving: now - waitingEnd,
      duration: now - started,
    };
    const bytesSent = (session.socket?.bytesWritten ?? written0) - written0;
    const bytesReceived = (session.socket?.bytesRead ?? read0) - read0;
    const result: StreamResult = { status: error ? 0 : status, headers, body, timings, bytesSent, bytesReceived };
    if (error !== undefined) result.error = error;
    resolve(result);
  };
  const onAbort = () => finish(requestError(ERR_ABORTED, "the request was aborted"));
  const timer = setTimeout(() => finish(requestError(ERR_TIMEOUT, `no complete response within ${request.timeoutMs} ms`)), Math.max(0, request.deadline - started));
  request.signal?.addEventListener("abort", onAbort, { once: true });
  if (request.body !== undefined) stream.end(request.body, () => void (sentAt = performance.now()));
  else sentAt = performance.now();
  stream.on("response", (h: IncomingHttpHeaders) => {
    firstByteAt = performance.now();
    status = Number(h[":status"] ?? 0);
    headers = responseHeaders(h);
  });
  stream.on("data", (chunk: Buffer) => void body.push(chunk));
  // A stream that ends without a response was reset (Bun reports RST_STREAM as an end, rstCode 0).
  stream.on("end", () => {
    if (status !== 0) finish();
    else if (connection.goaway) goaway();
    else reset(stream.rstCode ?? "without a code");
  });
  const goaway = () => finish(requestError(ERR_GOAWAY, "the server sent GOAWAY before answering this stream"));
  connection.onGoaway = (lastStreamId) => {
    if (stream.id === undefined || stream.id > lastStreamId) goaway();
  };
  const reset = (code: number | string) => finish(requestError(ERR_RST_STREAM, `the server reset the stream (RST_STREAM ${code})`));
  stream.on("error", (error: Error & { code?: string }) => {
    if (error.code === "ERR_HTTP2_STREAM_ERROR") reset(error.message.replace(/^.*: /, ""));
  });
  stream.on("close", () => {
    if (done) return;
    const code = stream.rstCode;
    if (connection.goaway) return finish(requestError(ERR_GOAWAY, "the server sent GOAWAY before answering this stream"));
    if (code !== undefined && code !== constants.NGHTTP2_NO_ERROR) {
      return finish(requestError(ERR_RST_STREAM, `the server reset the stream (RST_STREAM code ${code})`));
    }
    if (status !== 0) return finish();
    finish(requestError(ERR_RESET, "the stream closed before a response arrived"));
  });
  return promise;
}

function responseHeaders(h: IncomingHttpHeaders): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(h)) {
    if (name.startsWith(":") || value === undefined) continue;
    out[name] = Array.isArray(value) ? value : [String(value)];
  }
  return out;
}
