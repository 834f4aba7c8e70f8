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
//
// Hot path: no promise at all through `sendThen` (one, the caller's, through `send`) and nothing
// else asynchronous — each hop is started here and ended by the connection calling `onExchange`
// (connection.ts), which either starts the next hop or calls the send back. The state of the send
// in flight lives in fields; it is cleared before the callback, which may start the next send.
// - With SessionContext.debug set (--http-debug), every exchange that reached the wire is
//   printed through it (debug.ts).
import type { Tags } from "../../metrics/types.ts";
import type { ProtocolSession, ResolvedRequest, ResponseView, SessionContext } from "../types.ts";
import { ConnState, Connection, type ExchangeOptions, type ExchangeOwner } from "./connection.ts";
import { ERR_ABORTED, ERR_INVALID_REQUEST, ERR_TOO_MANY_REDIRECTS, requestError, type RequestError } from "./errors.ts";
import { recordHop } from "./record-metrics.ts";
import { followRedirect, isRedirect, type HopRequest } from "./redirects.ts";
import { serializeRequest, type SerializedRequest } from "./request-writer.ts";
import { Http1Response } from "./response-view.ts";
import { TargetCache, type Target } from "./target.ts";
import { bunTlsOptions, connectionKey } from "./tls-options.ts";
import { formatExchange } from "./debug.ts";

const NO_TAGS: Tags = Object.freeze({}) as Tags;
const ZERO_TIMINGS = Object.freeze({
  blocked: 0,
  connecting: 0,
  tlsHandshaking: 0,
  sending: 0,
  waiting: 0,
  receiving: 0,
  duration: 0,
});

export class Http1Session implements ProtocolSession, ExchangeOwner {
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

  // The send in flight (set by `send`, cleared by `finish`).
  private sendDone: ((response: ResponseView) => void) | undefined;
  private request: ResolvedRequest | undefined;
  private tags: Tags = NO_TAGS;
  private signal: AbortSignal | undefined;
  private deadline = 0;
  private hop: HopRequest | undefined;
  private hopTarget: Target | undefined;
  /** The bytes of the hop in flight (for --http-debug). */
  private hopSerialized: SerializedRequest | undefined;
  private redirects = 0;
  /** What the hop in flight asks of its connection: one object, refilled per hop (connection.ts `ExchangeOptions`). */
  private readonly exchangeOptions: ExchangeOptions = { url: "", request: { data: "", size: 0 }, isHead: false, startedAt: 0, deadline: 0, timeoutMs: 0 };

  /** The last static request serialized, per Cookie value (see `serialized`). */
  private lastHop: HopRequest | undefined;
  private lastCookies = "";
  private lastSerialized: SerializedRequest | RequestError | undefined;

  constructor(private readonly context: SessionContext) {}

  send(request: ResolvedRequest, tags: Tags, signal?: AbortSignal): Promise<ResponseView> {
    return new Promise((resolve) => this.sendThen(request, tags, signal, resolve));
  }

  sendThen(request: ResolvedRequest, tags: Tags, signal: AbortSignal | undefined, done: (response: ResponseView) => void): void {
    if (this.sendDone !== undefined) {
      // Outside the contract (one send at a time per session): refuse rather than corrupt the one in flight.
      const message = `a session sends one request at a time; ${request.url} was sent while another request was in flight`;
      return done(errorView(request.url, requestError(ERR_INVALID_REQUEST, message)));
    }
    this.sendDone = done;
    const now = performance.now();
    this.request = request;
    this.tags = tags;
    this.signal = signal;
    this.deadline = now + request.timeout;
    this.hop = request;
    this.redirects = 0;
    this.startHop(now);
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

  /**
   * Starts one request/response on the pooled connection for the hop's origin; it ends in
   * `onExchange`. Requests that cannot be sent (invalid URL or header) end at once as failed
   * results; one aborted before any byte was sent ends the send unrecorded. `startedAt` is
   * performance.now() at the start of the hop (the start of its "blocked" phase).
   */
  private startHop(startedAt: number): void {
    const hop = this.hop!;
    const request = this.request!;
    const signal = this.signal;
    if (this.closed || signal?.aborted) return this.finishUnsent();
    const target = this.targets.get(hop.url);
    if ("code" in target) return this.onHopDone(undefined, unsent(hop.url, target));
    this.hopTarget = target;
    const serialized = this.serialized(hop, target, this.context.cookies.cookieHeader(target.url));
    if ("code" in serialized) return this.onHopDone(target, unsent(hop.url, serialized));
    this.hopSerialized = serialized;
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
    const options = this.exchangeOptions;
    options.url = hop.url;
    options.request = serialized;
    options.isHead = hop.method === "HEAD";
    options.startedAt = startedAt;
    options.deadline = this.deadline;
    options.timeoutMs = request.timeout;
    connection.exchange(options, this);
  }

  /** The end of an exchange (called by the connection, exactly once per `exchange`). */
  onExchange(connection: Connection, result: Http1Response): void {
    this.inFlight = undefined;
    const key = connection.key;
    if (connection.state === ConnState.Closed && this.pool.get(key) === connection) this.pool.delete(key);
    const target = this.hopTarget!;
    const setCookie = result.setCookies;
    if (setCookie !== undefined) this.context.cookies.store(target.url, setCookie);
    if (result.error?.code === ERR_ABORTED && !result.wrote) return this.finishUnsent();
    const debug = this.context.debug;
    if (debug) {
      const label = { vu: this.context.vu, name: this.request!.name, scenario: this.tags.scenario, group: this.tags.group };
      debug.write(formatExchange(label, this.hopSerialized!, result, debug));
    }
    this.onHopDone(target, result);
  }

  /** A hop's outcome: record it, then follow a redirect or resolve the send. */
  private onHopDone(target: Target | undefined, result: Http1Response): void {
    const request = this.request!;
    const hop = this.hop!;
    const status = result.status;
    if (result.error !== undefined || !isRedirect(status) || request.maxRedirects <= 0 || target === undefined) {
      this.record(hop.method, result);
      return this.finish(result);
    }
    if (this.redirects >= request.maxRedirects) {
      this.record(hop.method, result, ERR_TOO_MANY_REDIRECTS);
      const message = `stopped after ${request.maxRedirects} redirects (maxRedirects) at ${hop.url}`;
      result.error = requestError(ERR_TOO_MANY_REDIRECTS, message);
      return this.finish(result);
    }
    this.record(hop.method, result);
    const next = followRedirect(hop, target.url, status, result.headers.location?.[0]);
    if ("code" in next) {
      result.error = next;
      return this.finish(result);
    }
    this.hop = next;
    this.redirects++;
    this.startHop(performance.now());
  }

  private record(method: string, result: Http1Response, errorCode?: string): void {
    recordHop(this.context.metrics, this.tags, this.request!.name, method, result, errorCode);
  }

  /** Ends the send as aborted before it was sent (the target saw nothing: not recorded). */
  private finishUnsent(): void {
    const url = this.hop!.url;
    this.finish(errorView(url, requestError(ERR_ABORTED, `the request to ${url} was aborted before it was sent`)));
  }

  private finish(response: ResponseView): void {
    const resolve = this.sendDone!;
    this.sendDone = undefined;
    this.request = this.hop = this.hopTarget = this.signal = undefined;
    this.hopSerialized = undefined;
    this.tags = NO_TAGS;
    resolve(response);
  }

  /**
   * The request's bytes. Requests with no dynamic parts reach the session as the same frozen
   * object every time (the flow interpreter builds them once); their bytes are built once too,
   * per Cookie value: the session keeps the last one, a process-wide cache the others.
   */
  private serialized(hop: HopRequest, target: Target, cookies: string): SerializedRequest | RequestError {
    if (hop === this.lastHop && cookies === this.lastCookies) return this.lastSerialized!;
    if (!Object.isFrozen(hop)) return serializeRequest(hop.method, target, hop.headers, hop.body, cookies);
    const serialized = serializeCached(hop, target, cookies);
    this.lastHop = hop;
    this.lastCookies = cookies;
    this.lastSerialized = serialized;
    return serialized;
  }
}

const serializedCache = new WeakMap<HopRequest, { cookies: string; serialized: SerializedRequest | RequestError }>();

function serializeCached(hop: HopRequest, target: Target, cookies: string): SerializedRequest | RequestError {
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

function unsent(url: string, error: RequestError): Http1Response {
  return Http1Response.failed(url, { ...ZERO_TIMINGS }, error);
}

function errorView(url: string, error: RequestError): ResponseView {
  return { status: 0, headers: {}, body: "", timings: { ...ZERO_TIMINGS }, url, error };
}
