// The seam between the engine and a protocol. Core knows only these interfaces; HTTP/1.1 is the
// first implementation, HTTP/2, WebSocket, gRPC, GraphQL, TCP and UDP plug in the same way (a
// module in src/protocols/registry.ts: its steps, metrics and session handler).
import type { MetricSink, Tags } from "../metrics/types.ts";
import type { Ms, TlsSpec } from "../config/plan.ts";

/** A request with every template already rendered. */
export interface ResolvedRequest {
  /** Metric tag `name`. */
  name: string;
  method: string;
  /** Absolute URL. */
  url: string;
  /** Lower-case names; duplicates allowed. */
  headers: Array<[string, string]>;
  body?: Uint8Array | string;
  timeout: Ms;
  connectTimeout: Ms;
  maxRedirects: number;
  tls: TlsSpec;
  /**
   * The HTTP version asked for (`http: { version }`): "1.1", "2" or "auto" (ALPN over TLS).
   * Absent means "1.1". Read by the HTTP sessions only.
   */
  httpVersion?: string;
}

/** Per-phase timings of one request, in milliseconds (k6's http_req_* meanings). */
export interface RequestTimings {
  blocked: number;
  connecting: number;
  tlsHandshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  /** sending + waiting + receiving (k6's http_req_duration). */
  duration: number;
}

/**
 * What checks and extractors see of a response; also what a failed request returns. The one
 * shape every protocol maps its responses (or messages) to, so the shared check and extraction
 * kinds (core/checks/, core/extract/) apply to all of them.
 */
export interface ResponseView {
  /**
   * 0 when no response arrived (refused, reset, timeout, malformed): then, as when `error` is set,
   * every check fails (core/checks/run.ts). A protocol without status codes of its own reports a
   * response that did arrive with a non-zero status (and a gRPC status, whose OK is 0, goes in
   * `attributes`, not here).
   */
  status: number;
  /** Lower-case names; values of repeated headers in order. */
  headers: Record<string, string[]>;
  body: string;
  timings: RequestTimings;
  /** Final URL after redirects. */
  url: string;
  /** A short machine tag (`ECONNREFUSED`, `timeout`, `reset`, `malformed`, ...) and a sentence. */
  error?: { code: string; message: string };
  /**
   * Protocol-specific values of the response that the protocol's own check and extraction kinds
   * read (e.g. a gRPC status, a WebSocket event name), by a name the protocol documents. Absent
   * when the protocol has none; the shared kinds never read it.
   */
  attributes?: Readonly<Record<string, string | number>>;
}

/** One cookie jar per VU. Implemented in core/cookies.ts; protocol handlers read and fill it. */
export interface CookieJar {
  /** The Cookie header value for a request to `url`, or "" when none apply. */
  cookieHeader(url: URL): string;
  /** Stores the cookies of `Set-Cookie` header values received from `url`. */
  store(url: URL, setCookieValues: readonly string[]): void;
  /** The current value of a cookie by name (any domain), for extraction. */
  get(name: string): string | undefined;
  clear(): void;
}

/** What a session prints of its exchanges when the user asks (`loadr run --http-debug`); JSON. */
export interface ProtocolDebugOptions {
  /** Bodies as well as heads (`--http-debug=full`). */
  bodies: boolean;
  /** Credentials (authorization, cookies) as sent instead of `[redacted]` (`--http-debug=unsafe`). */
  unsafe: boolean;
}

export interface ProtocolDebug extends ProtocolDebugOptions {
  /** Where each exchange's text goes (the thread's stderr); synchronous, never throws. */
  write(text: string): void;
}

export interface SessionContext {
  /** Global VU id (1-based), for logs and tags. */
  vu: number;
  cookies: CookieJar;
  metrics: MetricSink;
  /** Set when the user asked to see the exchanges; a protocol that can, prints them. */
  debug?: ProtocolDebug;
}

/**
 * A VU's connection state for one protocol, opened on the VU's first step of that protocol
 * (`VuRuntime.session`) and used only by that VU. What else it offers is the protocol's own
 * business: its steps know their session's type.
 */
export interface Session {
  /** Closes every connection; the session must not be used afterwards. Called once. */
  close(): void;
}

/**
 * A request/response session (HTTP/1.1 today). `send` is called by one VU at a time (never
 * concurrently on one session); it always resolves — failures come back as `ResponseView.error`
 * and are recorded as failed requests, never thrown. It records the protocol's metrics itself
 * (for HTTP: http_reqs, http_req_*, http_req_failed, data_sent, data_received) with `tags`
 * plus the tags it knows (method, status, error, name).
 */
export interface ProtocolSession extends Session {
  send(request: ResolvedRequest, tags: Tags, signal?: AbortSignal): Promise<ResponseView>;
  /**
   * `send` with a callback instead of a promise (no promise, no extra turn per request): `done`
   * receives what `send` would resolve to, exactly once, possibly before `sendThen` returns.
   * Never throws. Optional: callers fall back to `send`.
   */
  sendThen?(request: ResolvedRequest, tags: Tags, signal: AbortSignal | undefined, done: (response: ResponseView) => void): void;
}

/** Opens sessions of one protocol; a protocol module's `handler`. */
export interface ProtocolHandler<S extends Session = ProtocolSession> {
  readonly protocol: string;
  openSession(context: SessionContext): S;
}
