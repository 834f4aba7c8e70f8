// A VU's HTTP/2 session ("http2"): per origin (and TLS settings) one connection whose streams
// carry the VU's requests, the VU's cookie jar, redirects, and the k6 http_req_* metrics of
// every exchange (recorded as HTTP/1.1's, ../http1/record-metrics.ts, tagged `proto: HTTP/2.0`).
// Same contract as ../http1/session.ts: `send` is called by one VU at a time and always resolves.
//
// - `http://` is HTTP/2 by prior knowledge (h2c). `https://` negotiates by ALPN: version "2"
//   offers only `h2` (a server without it fails the request); "auto" offers `h2` and `http/1.1`,
//   and an origin whose server picks `http/1.1` is served by an HTTP/1.1 session from then on
//   (the probe connection is closed: one extra handshake per origin and VU).
// - A connection on which the server sent GOAWAY takes no new streams; the next request opens a
//   new one. Streams it left unanswered fail with `goaway`; a reset stream with `rst_stream`.
// - `timeout` bounds the whole send, redirects included; `connectTimeout` each new connection.
import { connect as h2connect, type OutgoingHttpHeaders } from "node:http2";
import type { Tags } from "../../metrics/types.ts";
import type { ProtocolSession, ResolvedRequest, ResponseView, SessionContext } from "../types.ts";
import { ERR_ABORTED, ERR_TLS, ERR_TOO_MANY_REDIRECTS, requestError, type RequestError } from "../http1/errors.ts";
import { recordHop } from "../http1/record-metrics.ts";
import { followRedirect, isRedirect, type HopRequest } from "../http1/redirects.ts";
import { USER_AGENT } from "../http1/request-writer.ts";
import { Http1Session } from "../http1/session.ts";
import { TargetCache, type Target } from "../http1/target.ts";
import { connectionKey } from "../http1/tls-options.ts";
import { openSocket } from "./connect.ts";
import { PROTO_H2 } from "./errors.ts";
import { exchange, type H2Connection, type StreamResult } from "./exchange.ts";

/** Headers HTTP/2 forbids (RFC 9113 §8.2.2) or carries as pseudo-headers. */
const DROPPED_HEADERS = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host"]);

const ZERO_CONNECT = { blocked: 0, connecting: 0, tlsHandshaking: 0 };

export class Http2Session implements ProtocolSession {
  private readonly pool = new Map<string, H2Connection>();
  private readonly targets = new TargetCache();
  /** Origins (pool keys) whose server chose HTTP/1.1 under "auto". */
  private readonly http1Origins = new Set<string>();
  private http1: Http1Session | undefined;
  private closed = false;

  constructor(private readonly context: SessionContext) {}

  async send(request: ResolvedRequest, tags: Tags, signal?: AbortSignal): Promise<ResponseView> {
    const deadline = performance.now() + request.timeout;
    let hop: HopRequest = request;
    for (let redirects = 0; ; redirects++) {
      const target = this.targets.get(hop.url);
      if ("code" in target) return this.failed(request, tags, hop, target);
      const key = connectionKey(target, request.tls);
      if (this.http1Origins.has(key)) return this.viaHttp1(request, hop, tags, deadline, signal);
      const connection = await this.connection(key, target, request, signal);
      if (connection === "http/1.1") return this.viaHttp1(request, hop, tags, deadline, signal);
      if (connection === undefined) return view(hop.url, emptyResult(requestError(ERR_ABORTED, `the request to ${hop.url} was aborted before it was sent`)));
      if ("code" in connection.result) return this.failed(request, tags, hop, connection.result);
      const { conn, timings } = connection.result;
      const result = await exchange(conn, {
        headers: this.headersOf(hop, target),
        body: hop.body,
        deadline,
        timeoutMs: request.timeout,
        signal,
      }, timings);
      if (conn.goaway || conn.session.destroyed) this.drop(key, conn);
      const setCookie = result.headers["set-cookie"];
      if (setCookie !== undefined) this.context.cookies.store(target.url, setCookie);
      const status = result.status;
      if (result.error !== undefined || !isRedirect(status) || request.maxRedirects <= 0) {
        this.record(request, tags, hop.method, result);
        return view(hop.url, result);
      }
      if (redirects >= request.maxRedirects) {
        this.record(request, tags, hop.method, result, ERR_TOO_MANY_REDIRECTS);
        result.error = requestError(ERR_TOO_MANY_REDIRECTS, `stopped after ${request.maxRedirects} redirects (maxRedirects) at ${hop.url}`);
        return view(hop.url, result);
      }
      this.record(request, tags, hop.method, result);
      const next = followRedirect(hop, target.url, status, result.headers.location?.[0]);
      if ("code" in next) return view(hop.url, { ...result, error: next });
      hop = next;
    }
  }

  /** Open HTTP/2 connections; for tests and diagnostics. */
  openConnections(): number {
    let open = 0;
    for (const c of this.pool.values()) if (!c.session.destroyed && !c.session.closed) open++;
    return open;
  }

  close(): void {
    this.closed = true;
    for (const c of this.pool.values()) c.session.destroy();
    this.pool.clear();
    this.http1?.close();
  }

  private viaHttp1(request: ResolvedRequest, hop: HopRequest, tags: Tags, deadline: number, signal?: AbortSignal): Promise<ResponseView> {
    this.http1 ??= new Http1Session(this.context);
    const timeout = Math.max(1, deadline - performance.now());
    return this.http1.send({ ...request, method: hop.method, url: hop.url, headers: [...hop.headers] as Array<[string, string]>, body: hop.body, timeout }, tags, signal);
  }

  /** The pooled connection for `key`, opened if needed; undefined when aborted first. */
  private async connection(
    key: string,
    target: Target,
    request: ResolvedRequest,
    signal: AbortSignal | undefined,
  ): Promise<{ result: { conn: H2Connection; timings: typeof ZERO_CONNECT } | RequestError } | "http/1.1" | undefined> {
    if (this.closed || signal?.aborted) return undefined;
    const pooled = this.pool.get(key);
    if (pooled !== undefined && !pooled.goaway && !pooled.session.destroyed && !pooled.session.closed) return { result: { conn: pooled, timings: ZERO_CONNECT } };
    if (pooled !== undefined) this.drop(key, pooled);
    const opened = await openSocket(target, request.tls, request.httpVersion === "auto", request.connectTimeout);
    if ("code" in opened) return { result: opened };
    if (this.closed || signal?.aborted) {
      opened.socket.destroy();
      return undefined;
    }
    if (target.secure && opened.alpn !== "h2") {
      opened.socket.destroy();
      if (opened.alpn === "http/1.1" && request.httpVersion === "auto") {
        this.http1Origins.add(key);
        return "http/1.1";
      }
      const chose = opened.alpn === "" ? "no protocol" : opened.alpn;
      return { result: requestError(ERR_TLS, `${target.hostPort} does not offer HTTP/2 by ALPN (it chose ${chose}): use http: { version: "auto" } or "1.1"`) };
    }
    const session = h2connect(target.origin, { createConnection: () => opened.socket });
    const conn: H2Connection = { session, goaway: false, onGoaway: undefined };
    session.on("goaway", (_code: number, lastStreamId: number) => {
      conn.goaway = true;
      conn.onGoaway?.(lastStreamId);
    });
    session.on("error", () => {});
    session.on("close", () => {
      if (this.pool.get(key) === conn) this.pool.delete(key);
    });
    this.pool.set(key, conn);
    return { result: { conn, timings: { blocked: 0, connecting: opened.connecting, tlsHandshaking: opened.tlsHandshaking } } };
  }

  private drop(key: string, conn: H2Connection): void {
    if (this.pool.get(key) === conn) this.pool.delete(key);
    if (!conn.session.destroyed) conn.session.close();
  }

  private headersOf(hop: HopRequest, target: Target): OutgoingHttpHeaders {
    const headers: OutgoingHttpHeaders = {
      ":method": hop.method,
      ":scheme": target.secure ? "https" : "http",
      ":authority": target.hostHeader,
      ":path": target.path,
    };
    let userAgent = false;
    for (const [name, value] of hop.headers) {
      if (DROPPED_HEADERS.has(name)) continue;
      if (name === "user-agent") userAgent = true;
      const existing = headers[name];
      headers[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [String(existing)]), value];
    }
    if (!userAgent) headers["user-agent"] = USER_AGENT;
    const cookies = this.context.cookies.cookieHeader(target.url);
    if (cookies !== "") headers.cookie = headers.cookie === undefined ? cookies : `${String(headers.cookie)}; ${cookies}`;
    return headers;
  }

  private record(request: ResolvedRequest, tags: Tags, method: string, result: StreamResult, errorCode?: string): void {
    recordHop(this.context.metrics, tags, request.name, method, result, errorCode, PROTO_H2);
  }

  /** A request that failed before a stream opened (bad URL, refused, TLS): recorded, returned. */
  private failed(request: ResolvedRequest, tags: Tags, hop: HopRequest, error: RequestError): ResponseView {
    const result = emptyResult(error);
    this.record(request, tags, hop.method, result);
    return view(hop.url, result);
  }
}

function emptyResult(error: RequestError): StreamResult {
  return {
    status: 0,
    headers: {},
    body: [],
    timings: { blocked: 0, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 },
    bytesSent: 0,
    bytesReceived: 0,
    error,
  };
}

/** The ResponseView of a stream; the body is decoded on first read. */
function view(url: string, result: StreamResult): ResponseView {
  let text: string | undefined;
  const response: ResponseView = {
    status: result.status,
    headers: result.headers,
    get body() {
      text ??= result.body.length === 1 ? result.body[0]!.toString("utf8") : Buffer.concat(result.body).toString("utf8");
      return text;
    },
    timings: result.timings,
    url,
  };
  if (result.error !== undefined) response.error = result.error;
  return response;
}
