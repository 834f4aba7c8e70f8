// One keep-alive HTTP/1.1 connection on Bun.connect, carrying one exchange at a time (a VU
// never sends concurrently on a session). Owned by one session's pool; `exchange` is called
// only when the connection is new or `idle`. Every exchange resolves exactly once — on a full
// response, a failure, its deadline or an abort — and never rejects. Requests are never
// retried: a connection the server closed while idle is noticed (state `closed`) before any
// byte is written, and the pool dials a fresh one instead.
//
// TLS gotcha (DESIGN.md): bytes written in `open` can be lost on a TLS socket, so a TLS
// request is written after `handshake`, and every short `write()` is finished on `drain`.
import type { Socket, SocketHandler, TLSOptions } from "bun";
import {
  ERR_ABORTED,
  ERR_CONNECT,
  ERR_DNS,
  ERR_MALFORMED,
  ERR_RESET,
  ERR_TIMEOUT,
  ERR_TLS,
  connectFailure,
  requestError,
  type RequestError,
} from "./errors.ts";
import { ResponseParser, type ParsedResponse } from "./response-parser.ts";
import { remainderOf, type SerializedRequest } from "./request-writer.ts";
import type { Target } from "./target.ts";
import type { RequestTimings } from "../types.ts";
import { phaseTimings } from "./timings.ts";

export const enum ConnState {
  /** Not yet connected (DNS, TCP, TLS in progress). */
  Connecting,
  /** Connected, no exchange in flight: may be reused. */
  Idle,
  /** An exchange is in flight. */
  Busy,
  /** Gone: closed by either side or failed. Never reused. */
  Closed,
}

/** The outcome of one request/response exchange (one redirect hop). */
export interface HopResult {
  status: number;
  /** The response as received (headers and body decoded on first read); undefined on failure. */
  response: ParsedResponse | undefined;
  timings: RequestTimings;
  bytesSent: number;
  bytesReceived: number;
  /** True once any request byte was handed to the socket. */
  wrote: boolean;
  error?: RequestError;
}

export interface ExchangeOptions {
  request: SerializedRequest;
  /** HEAD: the response has no body whatever its headers say. */
  isHead: boolean;
  /** performance.now() when the VU started this send (start of "blocked"). */
  startedAt: number;
  /** performance.now() by which the response must be complete. */
  deadline: number;
  /** For messages: the whole-request timeout in ms. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Placeholder between exchanges, so an idle connection does not keep the last request alive. */
const NO_EXCHANGE: ExchangeOptions = {
  request: { data: "", size: 0 },
  isHead: false,
  startedAt: 0,
  deadline: 0,
  timeoutMs: 0,
};

/** Shared by every connection: dispatches socket events to `socket.data`. */
const handlers: SocketHandler<Connection> = {
  binaryType: "uint8array",
  open(socket) {
    socket.data.onOpen(socket);
  },
  handshake(socket, success, authorizationError) {
    socket.data.onHandshake(success, authorizationError);
  },
  data(socket, chunk) {
    socket.data.onData(chunk);
  },
  drain(socket) {
    socket.data.onDrain();
  },
  end(socket) {
    socket.data.onClosed(undefined);
  },
  close(socket, error) {
    socket.data.onClosed(error);
  },
  error(socket, error) {
    socket.data.onSocketError(error);
  },
  connectError(socket, error) {
    socket.data.onConnectError(error);
  },
};

export class Connection {
  state = ConnState.Connecting;
  private socket: Socket<Connection> | undefined;
  private readonly parser = new ResponseParser();
  private socketError: Error | undefined;

  // The exchange in flight.
  private resolveHop: ((result: HopResult) => void) | undefined;
  private options: ExchangeOptions = NO_EXCHANGE;
  private pending: Uint8Array | undefined;
  private bytesSent = 0;
  private wrote = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private listening = false;
  /** Bound once per connection: no closures per request on the hot path. */
  private readonly onAbortBound = () => this.onAbort();
  private readonly onDeadlineBound = () => this.onDeadline();
  private tConnect = 0;
  private tOpen = 0;
  private tSecure = 0;
  private tSendStart = 0;
  private tSent = 0;
  private tFirstByte = 0;

  constructor(
    readonly key: string,
    private readonly target: Target,
    private readonly tls: TLSOptions | undefined,
    private readonly connectTimeoutMs: number,
  ) {}

  /**
   * Sends one request and resolves with the response or the failure. On a new connection this
   * dials first (DNS, TCP, TLS); on an idle one it writes at once.
   */
  exchange(options: ExchangeOptions): Promise<HopResult> {
    this.options = options;
    this.parser.reset(options.isHead);
    this.pending = undefined;
    this.bytesSent = 0;
    this.wrote = false;
    this.tConnect = this.tOpen = this.tSecure = this.tSendStart = this.tSent = this.tFirstByte = 0;
    const promise = new Promise<HopResult>((resolve) => (this.resolveHop = resolve));
    const { signal } = options;
    if (signal !== undefined) {
      if (signal.aborted) {
        this.fail(requestError(ERR_ABORTED, `the request to ${this.target.hostPort} was aborted before it was sent`));
        return promise;
      }
      this.listening = true;
      signal.addEventListener("abort", this.onAbortBound, { once: true });
    }
    const left = options.deadline - performance.now();
    this.timer = setTimeout(this.onDeadlineBound, left > 0 ? left : 0);
    if (this.state === ConnState.Idle) {
      this.state = ConnState.Busy;
      this.write();
    } else {
      this.dial().catch((error: unknown) => this.fail(connectFailure(this.target.hostPort, error as Error)));
    }
    return promise;
  }

  /** Closes the socket; an exchange in flight resolves as `aborted`. Idempotent. */
  destroy(): void {
    if (this.resolveHop !== undefined) {
      this.fail(requestError(ERR_ABORTED, `the request to ${this.target.hostPort} was aborted: the session closed`));
      return;
    }
    this.state = ConnState.Closed;
    this.socket?.terminate();
  }

  // ── dialing ─────────────────────────────────────────────────────────────────────────────

  private async dial(): Promise<void> {
    const target = this.target;
    const opts = this.options;
    const connectLeft = Math.min(opts.startedAt + this.connectTimeoutMs, opts.deadline) - performance.now();
    if (opts.startedAt + this.connectTimeoutMs < opts.deadline) {
      this.connectTimer = setTimeout(() => this.onConnectTimeout(), connectLeft > 0 ? connectLeft : 0);
    }
    let address = target.hostname;
    if (!target.isIp) {
      try {
        const found = await Bun.dns.lookup(target.hostname);
        const v4 = found.find((a) => a.family === 4) ?? found[0];
        if (v4 === undefined) throw new Error("no addresses");
        address = v4.address;
      } catch (error) {
        if (this.resolveHop === undefined) return;
        const why = (error as { code?: string }).code ?? (error as Error).message;
        this.fail(requestError(ERR_DNS, `could not resolve the host name of ${target.hostPort} (${why})`));
        return;
      }
      if (this.state === ConnState.Closed) return; // timed out or aborted while resolving
    }
    this.tConnect = performance.now();
    let connecting: Promise<Socket<Connection>>;
    try {
      connecting = Bun.connect<Connection>({ hostname: address, port: target.port, tls: this.tls, data: this, socket: handlers });
    } catch (error) {
      // Synchronous failures are bad options, in practice an unreadable CA or bad TLS settings.
      const code = this.tls !== undefined ? ERR_TLS : ERR_CONNECT;
      const why = `${(error as Error).message}${(error as { code?: string }).code ? ` (${(error as { code?: string }).code})` : ""}`;
      this.fail(requestError(code, `could not start a connection to ${target.hostPort}: ${why}`));
      return;
    }
    connecting.then(
      (socket) => {
        if (this.state === ConnState.Closed) socket.terminate();
        else this.socket ??= socket;
      },
      () => {}, // reported through connectError
    );
  }

  onOpen(socket: Socket<Connection>): void {
    this.socket = socket;
    if (this.state === ConnState.Closed) {
      socket.terminate();
      return;
    }
    this.tOpen = performance.now();
    if (this.tls === undefined) this.connected();
  }

  onHandshake(success: boolean, error: Error | null): void {
    if (this.state !== ConnState.Connecting) return;
    this.tSecure = performance.now();
    if (!success && this.tls?.rejectUnauthorized !== false) {
      const why = error ? `${error.message}${(error as { code?: string }).code ? ` (${(error as { code?: string }).code})` : ""}` : "handshake failed";
      this.fail(requestError(ERR_TLS, `TLS handshake with ${this.target.hostPort} failed: ${why}`));
      return;
    }
    this.connected();
  }

  private connected(): void {
    if (this.connectTimer !== undefined) {
      clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    }
    this.state = ConnState.Busy;
    this.write();
  }

  onConnectError(error: Error): void {
    if (this.resolveHop === undefined) return;
    this.fail(connectFailure(this.target.hostPort, error));
  }

  // ── writing and reading ─────────────────────────────────────────────────────────────────

  private write(): void {
    const socket = this.socket;
    if (socket === undefined) return;
    const { data, size } = this.options.request;
    this.tSendStart = performance.now();
    this.wrote = true;
    const n = socket.write(data);
    const written = n > 0 ? n : 0;
    this.bytesSent = written;
    if (written >= size) this.tSent = performance.now();
    else this.pending = remainderOf(data, written);
  }

  onDrain(): void {
    const pending = this.pending;
    if (pending === undefined || this.socket === undefined) return;
    const n = this.socket.write(pending);
    const written = n > 0 ? n : 0;
    this.bytesSent += written;
    if (written >= pending.length) {
      this.pending = undefined;
      this.tSent = performance.now();
    } else {
      this.pending = pending.subarray(written);
    }
  }

  onData(chunk: Uint8Array): void {
    if (this.state !== ConnState.Busy) {
      // Bytes nobody asked for (on an idle connection): it cannot be trusted any more.
      this.state = ConnState.Closed;
      this.socket?.terminate();
      return;
    }
    if (this.tFirstByte === 0) this.tFirstByte = performance.now();
    const parser = this.parser;
    if (!parser.feed(chunk)) return;
    if (parser.failed) {
      this.fail(requestError(ERR_MALFORMED, `${this.target.hostPort} sent a malformed HTTP response: ${parser.failure}`));
    } else {
      this.succeed();
    }
  }

  onSocketError(error: Error): void {
    this.socketError = error;
  }

  onClosed(error: Error | undefined): void {
    const previous = this.state;
    if (previous === ConnState.Closed) return;
    if (this.resolveHop === undefined) {
      this.state = ConnState.Closed;
      return;
    }
    if (previous === ConnState.Busy && this.parser.finishOnClose()) {
      this.succeed();
      return;
    }
    const cause = error ?? this.socketError;
    const detail = cause?.message ? ` (${cause.message})` : "";
    const where = this.target.hostPort;
    if (previous === ConnState.Connecting) {
      const code = this.tOpen > 0 && this.tls !== undefined ? ERR_TLS : ERR_RESET;
      this.fail(requestError(code, `${where} closed the connection during the ${code === ERR_TLS ? "TLS handshake" : "connect"}${detail}`));
    } else if (this.parser.started) {
      this.fail(requestError(ERR_RESET, `${where} closed the connection in the middle of the response${detail}`));
    } else {
      this.fail(requestError(ERR_RESET, `${where} closed the connection before sending a response${detail}`));
    }
  }

  // ── completion ──────────────────────────────────────────────────────────────────────────

  private onDeadline(): void {
    this.timer = undefined;
    const where = this.target.hostPort;
    const what =
      this.state === ConnState.Connecting
        ? `connecting to ${where} did not finish`
        : this.parser.started
          ? `the response from ${where} did not complete`
          : `${where} did not answer`;
    this.fail(requestError(ERR_TIMEOUT, `${what} within the request timeout of ${this.options.timeoutMs} ms`));
  }

  private onConnectTimeout(): void {
    this.connectTimer = undefined;
    if (this.state !== ConnState.Connecting) return;
    this.fail(
      requestError(ERR_TIMEOUT, `connecting to ${this.target.hostPort} took longer than the connect timeout of ${this.connectTimeoutMs} ms`),
    );
  }

  private onAbort(): void {
    this.listening = false;
    this.fail(requestError(ERR_ABORTED, `the request to ${this.target.hostPort} was aborted`));
  }

  /** Ends the exchange in flight as `aborted` (the session's abort signal fired). No-op when idle. */
  abort(): void {
    this.onAbort();
  }

  private succeed(): void {
    const parser = this.parser;
    // An answer before the whole request was written (e.g. 413) leaves the stream unusable.
    if (parser.closeAfter || this.pending !== undefined) {
      this.pending = undefined;
      this.state = ConnState.Closed;
      this.socket?.end();
    } else {
      this.state = ConnState.Idle;
    }
    this.settle(parser.status, parser.snapshot(), undefined);
  }

  /** Resolves the exchange with an error and closes the connection (never reused after). */
  private fail(error: RequestError): void {
    if (this.resolveHop === undefined) return;
    this.state = ConnState.Closed;
    this.socket?.terminate();
    this.settle(0, undefined, error);
  }

  private settle(status: number, response: ParsedResponse | undefined, error: RequestError | undefined): void {
    const resolve = this.resolveHop;
    if (resolve === undefined) return;
    this.resolveHop = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.connectTimer !== undefined) clearTimeout(this.connectTimer);
    this.timer = this.connectTimer = undefined;
    if (this.listening) {
      this.options.signal?.removeEventListener("abort", this.onAbortBound);
      this.listening = false;
    }
    const end = performance.now();
    const result: HopResult = {
      status,
      response,
      timings: phaseTimings(this.options.startedAt, this.tConnect, this.tOpen, this.tSecure, this.tSendStart, this.tSent, this.tFirstByte, end),
      bytesSent: this.bytesSent,
      bytesReceived: this.parser.bytesReceived,
      wrote: this.wrote,
    };
    if (error !== undefined) result.error = error;
    this.options = NO_EXCHANGE;
    resolve(result);
  }
}
