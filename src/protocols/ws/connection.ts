// One WebSocket connection of a VU, on Bun's native client (`new WebSocket(url, {headers,
// protocols, tls})`): it exposes open (connect timing), text and binary messages, `ping()` and a
// `pong` event, which is all a `ws` step needs. Used by one VU at a time (one action at a time).
//
// Contract:
// - `opened` resolves exactly once: undefined when the socket opened, else the failure (refused,
//   handshake answered without 101, no handshake within `connectTimeout`, aborted, or options the
//   client refuses at once, such as a URL it cannot parse: `invalid_request`).
// - Every data message that arrives is counted at once (`ws_msgs_received`, `data_received`) and
//   queued in `inbox`, asked for or not; actions take from the queue (`take`). The queue keeps the
//   newest MAX_INBOX messages (older ones were counted; a session that never reads them drops them).
// - The first failure after open (the server closing, a reset, a malformed frame) is kept in
//   `failure` and ends every wait; `waitFor` itself never throws and is bounded by its timeout.
// - Bytes: payload plus frame header (client frames masked), the handshake is not visible through
//   the client and not counted; per-message deflate is not offered, so payload bytes are wire bytes.
import type { Ms, TlsSpec } from "../../config/plan.ts";
import type { MetricSink, Tags } from "../../metrics/types.ts";
import { closedMidSession, fromErrorEvent, WS_ABORTED, WS_CLOSED, WS_INVALID, WS_TIMEOUT, wsError, type WsError } from "./errors.ts";

/** Messages kept for later actions; beyond it the oldest are dropped (they are counted). */
const MAX_INBOX = 10_000;
/** How long a close handshake may take before the socket is terminated. */
const CLOSE_WAIT_MS = 1_000;

export interface WsMessage {
  /** Text as received; binary as bytes. */
  readonly data: string | Uint8Array;
  /** performance.now() at arrival. */
  readonly at: number;
}

export interface WsConnectOptions {
  readonly url: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly protocols: readonly string[];
  readonly tls: TlsSpec;
  readonly connectTimeout: Ms;
}

type WaitResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WsError };

/** What Bun's client has beyond the DOM type (bun-types omits `ping`). */
type BunClientSocket = WebSocket & { ping(data?: string | Uint8Array): void; terminate(): void };

type State = "connecting" | "open" | "closing" | "closed";

/** Frame header bytes for a payload of `length` (RFC 6455 §5.2), plus the mask key on client frames. */
function frameOverhead(length: number, masked: boolean): number {
  return 2 + (length > 65_535 ? 8 : length > 125 ? 2 : 0) + (masked ? 4 : 0);
}

const encoder = new TextEncoder();

export class WsConnection {
  /** 101 once open; the HTTP status the handshake was refused with; else 0. */
  status = 0;
  /** Start to open, in ms (0 until open). */
  connectMs = 0;
  /** The first failure; set once. */
  failure: WsError | undefined;
  /** Resolves once: undefined when open, else the failure. */
  readonly opened: Promise<WsError | undefined>;
  /** Resolves when the socket is closed (by either side, or terminated). */
  readonly closed: Promise<void>;
  pongs = 0;
  readonly startedAt = performance.now();

  private state: State = "connecting";
  private readonly inbox: WsMessage[] = [];
  private wake: (() => void) | undefined;
  private settleOpened!: (failure: WsError | undefined) => void;
  private settleClosed!: () => void;
  /** Undefined when the client refused the options (the connection then failed at once). */
  private readonly ws: BunClientSocket | undefined;
  private readonly connectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly options: WsConnectOptions,
    private readonly tags: Tags,
    private readonly metrics: MetricSink,
    signal: AbortSignal,
  ) {
    let openedSettled = false;
    this.opened = new Promise((resolve) => {
      this.settleOpened = (failure) => {
        if (openedSettled) return;
        openedSettled = true;
        clearTimeout(this.connectTimer);
        signal.removeEventListener("abort", onAbort);
        resolve(failure);
      };
    });
    this.closed = new Promise((resolve) => (this.settleClosed = resolve));
    const onAbort = () => this.fail(wsError(WS_ABORTED, `connecting to ${options.url} was aborted`), true);
    try {
      this.ws = new WebSocket(options.url, {
        headers: options.headers.map(([name, value]) => [name, value] as [string, string]),
        protocols: [...options.protocols],
        tls: { rejectUnauthorized: !options.tls.insecure, ...(options.tls.ca ? { ca: options.tls.ca } : {}), ...(options.tls.serverName ? { serverName: options.tls.serverName } : {}) },
        perMessageDeflate: false,
      }) as BunClientSocket;
    } catch (error) {
      this.failure = wsError(WS_INVALID, `cannot open a WebSocket to "${options.url}": ${(error as Error)?.message ?? error}`);
      this.state = "closed";
      this.settleOpened(this.failure);
      this.settleClosed();
      return;
    }
    this.connectTimer = setTimeout(
      () => this.fail(wsError(WS_TIMEOUT, `no WebSocket handshake from ${options.url} within ${options.connectTimeout} ms (connectTimeout)`), true),
      options.connectTimeout,
    );
    signal.addEventListener("abort", onAbort, { once: true });
    this.ws.binaryType = "arraybuffer";
    this.ws.onopen = () => this.onOpen();
    this.ws.onmessage = (event) => this.onMessage(event.data);
    this.ws.addEventListener("pong", (event) => this.onPong((event as MessageEvent).data));
    this.ws.onerror = (event) => this.onError((event as ErrorEvent).message ?? "");
    this.ws.onclose = (event) => this.onClose(event.code, event.reason);
    if (signal.aborted) onAbort();
  }

  get isOpen(): boolean {
    return this.state === "open" && this.failure === undefined;
  }

  /** The next queued message, if any. */
  take(): WsMessage | undefined {
    return this.inbox.shift();
  }

  /**
   * Resolves with `poll()`'s first defined value, re-polled after every event of the socket; with
   * `onTimeout()` after `timeoutMs`; with the connection's failure as soon as there is one; with an
   * abort error when `signal` aborts. One waiter at a time.
   */
  waitFor<T>(poll: () => T | undefined, timeoutMs: Ms, signal: AbortSignal, onTimeout: () => WsError): Promise<WaitResult<T>> {
    return new Promise((resolve) => {
      const finish = (result: WaitResult<T>) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.wake = undefined;
        resolve(result);
      };
      const check = () => {
        const value = poll();
        if (value !== undefined) finish({ ok: true, value });
        else if (this.failure) finish({ ok: false, error: this.failure });
      };
      const onAbort = () => finish({ ok: false, error: wsError(WS_ABORTED, `the WebSocket session with ${this.options.url} was aborted`) });
      const timer = setTimeout(() => finish({ ok: false, error: onTimeout() }), Math.max(0, timeoutMs));
      signal.addEventListener("abort", onAbort, { once: true });
      this.wake = check;
      if (signal.aborted) onAbort();
      else check();
    });
  }

  /** Sends one data message; the connection's failure when it cannot. */
  send(data: string | Uint8Array): WsError | undefined {
    if (!this.isOpen || !this.ws) return this.failure ?? wsError(WS_CLOSED, `the WebSocket session with ${this.options.url} is closed`);
    this.ws.send(data);
    const length = typeof data === "string" ? encoder.encode(data).length : data.length;
    this.metrics.add("ws_msgs_sent", 1, this.tags);
    this.metrics.add("data_sent", length + frameOverhead(length, true), this.tags);
    return undefined;
  }

  /** Sends a ping (empty payload); the connection's failure when it cannot. */
  ping(): WsError | undefined {
    if (!this.isOpen || !this.ws) return this.failure ?? wsError(WS_CLOSED, `the WebSocket session with ${this.options.url} is closed`);
    this.ws.ping();
    this.metrics.add("data_sent", frameOverhead(0, true), this.tags);
    return undefined;
  }

  /** Closes with `code`/`reason` and waits for the close (bounded), then terminates. Idempotent. */
  async close(code: number, reason: string): Promise<void> {
    if (this.state === "open" && this.failure === undefined && this.ws) {
      this.state = "closing";
      this.ws.close(code, reason);
      const length = 2 + encoder.encode(reason).length;
      this.metrics.add("data_sent", length + frameOverhead(length, true), this.tags);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
    }
    this.terminate();
  }

  /** Drops the socket at once, without a close handshake. Idempotent. */
  terminate(): void {
    clearTimeout(this.connectTimer);
    if (this.state !== "closed") {
      this.state = "closed";
      this.ws?.terminate();
    }
    this.settleOpened(this.failure ?? wsError(WS_CLOSED, `the WebSocket to ${this.options.url} was closed before it opened`));
    this.settleClosed();
    this.wake?.();
  }

  private onOpen(): void {
    if (this.state !== "connecting") return;
    this.state = "open";
    this.status = 101;
    this.connectMs = performance.now() - this.startedAt;
    this.metrics.add("ws_connecting", this.connectMs, this.tags);
    this.settleOpened(undefined);
  }

  private onMessage(data: unknown): void {
    const message: WsMessage = { data: typeof data === "string" ? data : new Uint8Array(data as ArrayBuffer), at: performance.now() };
    const length = typeof message.data === "string" ? encoder.encode(message.data).length : message.data.length;
    this.metrics.add("ws_msgs_received", 1, this.tags);
    this.metrics.add("data_received", length + frameOverhead(length, false), this.tags);
    if (this.inbox.length >= MAX_INBOX) this.inbox.shift();
    this.inbox.push(message);
    this.wake?.();
  }

  private onPong(data: unknown): void {
    const length = data instanceof ArrayBuffer ? data.byteLength : 0;
    this.pongs++;
    this.metrics.add("data_received", length + frameOverhead(length, false), this.tags);
    this.wake?.();
  }

  private onError(detail: string): void {
    if (this.state === "closing" || this.state === "closed") return;
    const { error, status } = fromErrorEvent(this.options.url, detail, this.state === "open");
    if (status !== 0) this.status = status;
    this.fail(error, false);
  }

  private onClose(code: number, reason: string): void {
    const wasConnecting = this.state === "connecting";
    const byUs = this.state === "closing" || this.state === "closed";
    this.state = "closed";
    if (!byUs && this.failure === undefined) {
      this.failure = wasConnecting
        ? wsError(WS_CLOSED, `${this.options.url} closed the connection during the WebSocket handshake (code ${code})`)
        : closedMidSession(this.options.url, code, reason);
    }
    this.terminate();
  }

  /** Keeps the first failure; `drop` terminates the socket too (timeouts, aborts). */
  private fail(error: WsError, drop: boolean): void {
    this.failure ??= error;
    if (this.state === "connecting") this.settleOpened(this.failure);
    if (drop) this.terminate();
    else this.wake?.();
  }
}
