// A VU's HTTP/1.1 session: one keep-alive connection per origin (and TLS settings), the VU's
// cookie jar, redirects, and the metrics of every exchange. `send` is called by one VU at a
// time, never concurrently; it always resolves (errors come back in `ResponseView.error`).
//
// - `timeout` bounds the whole send, redirects included; `connectTimeout` bounds DNS + TCP + TLS
//   of each new connection. Both fail with error code `timeout`.
// - Redirects: up to `maxRedirects` are followed; one more is `too_many_redirects` (the last 3xx
//   is returned with the error). `maxRedirects: 0` turns following off: the 3xx comes back as is.
// - Metrics: one sample set per exchange (per redirect hop, as k6), except a request aborted
//   before any byte was written, which the target never saw and is not recorded.
// - With SessionContext.debug set (--http-debug), every exchange that reached the wire is
//   printed through it (debug.ts).
import type { Tags } from "../../metrics/types.ts";
import type { ProtocolSession, ResolvedRequest, ResponseView, SessionContext } from "../types.ts";
import { ConnState, Connection, type HopResult } from "./connection.ts";
import { ERR_ABORTED, ERR_TOO_MANY_REDIRECTS, requestError, type RequestError } from "./errors.ts";
import { recordHop } from "./record-metrics.ts";
import { followRedirect, isRedirect, type HopRequest } from "./redirects.ts";
import { serializeRequest, type SerializedRequest } from "./request-writer.ts";
import { TargetCache, type Target } from "./target.ts";
import type { ParsedResponse } from "./response-parser.ts";
import { bunTlsOptions, connectionKey } from "./tls-options.ts";
import { formatExchange } from "./debug.ts";

const ZERO_TIMINGS = Object.freeze({
  blocked: 0,
  connecting: 0,
  tlsHandshaking: 0,
  sending: 0,
  waiting: 0,
  receiving: 0,
  duration: 0,
});

export class Http1Session implements ProtocolSession {
  private readonly pool = new Map<string, Connection>();
  private readonly targets = new TargetCache();
  private closed = false;
  /** The connection with an exchange in flight (one at a time: a VU sends sequentially). */
  private inFlight: Connection | undefined;
  /**
   * The abort signal this session listens to. A VU passes the same signal for a whole run, so
   * the session subscribes once instead of adding and removing a listener on every request.
   */
  private watched: AbortSignal | undefined;
  private readonly onAbortBound = () => this.inFlight?.abort();

  constructor(private readonly context: SessionContext) {}

  async send(request: ResolvedRequest, tags: Tags, signal?: AbortSignal): Promise<ResponseView> {
    const deadline = performance.now() + request.timeout;
    let hop: HopRequest = request;
    // Bounded: at most maxRedirects + 1 exchanges.
    for (let redirects = 0; ; redirects++) {
      const { url, result } = await this.exchange(hop, request, tags, deadline, signal);
      if (result === undefined) {
        return errorView(hop.url, requestError(ERR_ABORTED, `the request to ${hop.url} was aborted before it was sent`));
      }
      const status = result.status;
      if (result.error !== undefined || !isRedirect(status) || request.maxRedirects <= 0 || url === undefined) {
        this.record(request, tags, hop.method, result);
        return view(result, hop.url, result.error);
      }
      if (redirects >= request.maxRedirects) {
        this.record(request, tags, hop.method, result, ERR_TOO_MANY_REDIRECTS);
        const message = `stopped after ${request.maxRedirects} redirects (maxRedirects) at ${hop.url}`;
        return view(result, hop.url, requestError(ERR_TOO_MANY_REDIRECTS, message));
      }
      this.record(request, tags, hop.method, result);
      const next = followRedirect(hop, url, status, result.response?.headers.location?.[0]);
      if ("code" in next) return view(result, hop.url, next);
      hop = next;
    }
  }

  /** Connections currently open (idle or busy); for tests and diagnostics. */
  openConnections(): number {
    let open = 0;
    for (const connection of this.pool.values()) if (connection.state !== ConnState.Closed) open++;
    return open;
  }

  close(): void {
    this.closed = true;
    this.watched?.removeEventListener("abort", this.onAbortBound);
    this.watched = undefined;
    for (const connection of this.pool.values()) connection.destroy();
    this.pool.clear();
  }

  private watch(signal: AbortSignal): void {
    this.watched?.removeEventListener("abort", this.onAbortBound);
    this.watched = signal;
    signal.addEventListener("abort", this.onAbortBound, { once: true });
  }

  private record(request: ResolvedRequest, tags: Tags, method: string, hop: HopResult, errorCode?: string): void {
    recordHop(this.context.metrics, tags, request.name, method, hop, errorCode);
  }

  /**
   * One request/response on the pooled connection for its origin. `result` is undefined only
   * when the request was aborted before any byte was sent (not a request: not recorded).
   * Requests that cannot be sent (invalid URL or header) come back as failed results.
   */
  private async exchange(
    hop: HopRequest,
    request: ResolvedRequest,
    tags: Tags,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<{ url?: URL; result?: HopResult }> {
    const startedAt = performance.now();
    if (this.closed || signal?.aborted) return {};
    const target = this.targets.get(hop.url);
    if ("code" in target) return { result: unsent(target) };
    const cookies = this.context.cookies.cookieHeader(target.url);
    const serialized = serializeCached(hop, target, cookies);
    if ("code" in serialized) return { url: target.url, result: unsent(serialized) };
    const key = connectionKey(target, request.tls);
    let connection = this.pool.get(key);
    if (connection === undefined || connection.state !== ConnState.Idle) {
      connection?.destroy();
      const tls = target.secure ? bunTlsOptions(target, request.tls) : undefined;
      connection = new Connection(key, target, tls, request.connectTimeout);
      this.pool.set(key, connection);
    }
    if (signal !== undefined && signal !== this.watched) this.watch(signal);
    this.inFlight = connection;
    const result = await connection.exchange({
      request: serialized,
      isHead: hop.method === "HEAD",
      startedAt,
      deadline,
      timeoutMs: request.timeout,
    });
    this.inFlight = undefined;
    if (connection.state === ConnState.Closed && this.pool.get(key) === connection) this.pool.delete(key);
    const setCookie = result.response?.setCookies;
    if (setCookie !== undefined) this.context.cookies.store(target.url, setCookie);
    if (result.error?.code === ERR_ABORTED && !result.wrote) return {};
    const debug = this.context.debug;
    if (debug) debug.write(formatExchange({ vu: this.context.vu, name: request.name, scenario: tags.scenario, group: tags.group }, serialized, result, debug));
    return { url: target.url, result };
  }
}

/**
 * Requests with no dynamic parts reach the session as the same frozen object every time (the
 * flow interpreter builds them once); their bytes are built once too, per Cookie value.
 */
const serializedCache = new WeakMap<HopRequest, { cookies: string; serialized: SerializedRequest | RequestError }>();

function serializeCached(hop: HopRequest, target: Target, cookies: string): SerializedRequest | RequestError {
  if (!Object.isFrozen(hop)) return serializeRequest(hop.method, target, hop.headers, hop.body, cookies);
  const hit = serializedCache.get(hop);
  if (hit !== undefined && hit.cookies === cookies) return hit.serialized;
  let serialized = serializeRequest(hop.method, target, hop.headers, hop.body, cookies);
  // Bytes, so the socket does not encode the same string again on every write.
  if (!("code" in serialized) && typeof serialized.data === "string") {
    serialized = { data: Buffer.from(serialized.data, "utf8"), size: serialized.size };
  }
  serializedCache.set(hop, { cookies, serialized });
  return serialized;
}

function unsent(error: RequestError): HopResult {
  return { status: 0, response: undefined, timings: { ...ZERO_TIMINGS }, bytesSent: 0, bytesReceived: 0, wrote: false, error };
}

const NO_HEADERS: Record<string, string[]> = Object.freeze({}) as Record<string, string[]>;

/** A response whose headers and body are decoded only if a check or extractor reads them. */
class Http1Response implements ResponseView {
  error?: RequestError;

  constructor(
    readonly status: number,
    private readonly parsed: ParsedResponse | undefined,
    readonly timings: ResponseView["timings"],
    readonly url: string,
  ) {}

  get headers(): Record<string, string[]> {
    return this.parsed?.headers ?? NO_HEADERS;
  }

  get body(): string {
    return this.parsed?.body ?? "";
  }
}

function view(hop: HopResult, url: string, error: RequestError | undefined): ResponseView {
  const response = new Http1Response(hop.status, hop.response, hop.timings, url);
  if (error !== undefined) response.error = error;
  return response;
}

function errorView(url: string, error: RequestError): ResponseView {
  return { status: 0, headers: {}, body: "", timings: { ...ZERO_TIMINGS }, url, error };
}
