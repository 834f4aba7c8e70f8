// One keep-alive HTTP/1.1 connection on Bun.connect, one exchange at a time, owned by one
// session's pool; `exchange` is called only when the connection is new or `idle`. Every exchange ends exactly once — on a full
// response, a failure, its deadline or an abort — by one call of its owner's `onExchange`, from
// a socket callback, the deadline timer, `abort`/`destroy`, or (for a request that fails before
// any I/O, e.g. a synchronous connect error) from within `exchange` itself. Requests are never
// retried: a connection the server closed while idle is noticed (state `closed`) before any
// byte is written, and the pool dials a fresh one instead.
//
// No promise, timer or closure per exchange: the owner is called back directly (and may start
// the next exchange from that call); the deadline is a node of deadline-queue.ts, one per connection.
//
// TLS gotcha: bytes written in `open` can be lost on a TLS socket, so a TLS request is written
// after `handshake`, and every short `write()` is finished on `drain`.
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
import { DeadlineNode, deadlineQueue } from "./deadline-queue.ts";
import { ResponseParser } from "./response-parser.ts";
import { remainderOf, type SerializedRequest } from "./request-writer.ts";
import { Http1Response } from "./response-view.ts";
import type { Target } from "./target.ts";
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

/** Receives the end of each exchange (the session). Called exactly once per `exchange`. */
export interface ExchangeOwner {
  onExchange(connection: Connection, result: Http1Response): void;
}

/** Read by the connection until it calls `onExchange`, never after: the owner may then refill it for its next exchange. */
export interface ExchangeOptions {
  /** The hop's URL, for the response's `url`. */
  url: string;
  request: SerializedRequest;
  /** HEAD: the response has no body whatever its headers say. */
  isHead: boolean;
  /** performance.now() when the VU started this send (start of "blocked"). */
  startedAt: number;
  /** performance.now() by which the response must be complete. */
  deadline: number;
  /** For messages: the whole-request timeout in ms (also the deadline's lane, deadline-queue.ts). */
  timeoutMs: number;
}

/** Placeholder between exchanges, so an idle connection does not keep the last request alive. */
const NO_EXCHANGE: ExchangeOptions = {
  url: "",
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

  // The exchange in flight: `owner` is set from `exchange` until the exchange ends.
  private owner: ExchangeOwner | undefined;
  private options: ExchangeOptions = NO_EXCHANGE;
  private pending: Uint8Array | undefined;
  private bytesSent = 0;
  private wrote = false;
  private readonly deadline = new DeadlineNode(this);
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
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
   * Sends one request; `owner.onExchange` receives the response or the failure. On a new
   * connection this dials first (DNS, TCP, TLS); on an idle one it writes at once.
   */
  exchange(options: ExchangeOptions, owner: ExchangeOwner): void {
    this.options = options;
    this.owner = owner;
    this.parser.reset(options.isHead);
    this.pending = undefined;
    this.bytesSent = 0;
    this.wrote = false;
    this.tConnect = this.tOpen = this.tSecure = this.tSendStart = this.tSent = this.tFirstByte = 0;
    deadlineQueue.schedule(this.deadline, options.deadline, options.timeoutMs);
    if (this.state === ConnState.Idle) {
      this.state = ConnState.Busy;
      this.write(options.startedAt); // idle at hand: blocked is 0
    } else {
      this.dial().catch((error: unknown) => this.fail(connectFailure(this.target.hostPort, error as Error)));
    }
  }

  /** Closes the socket; an exchange in flight ends as `aborted`. Idempotent. */
  destroy(): void {
    if (this.owner !== undefined) {
      this.fail(requestError(ERR_ABORTED, `the request to ${this.target.hostPort} was aborted: the session closed`));
      return;
    }
    this.state = ConnState.Closed;
    this.socket?.terminate();
  }

  // ── dialing ──

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
        if (this.owner === undefined) return;
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
    this.write(performance.now());
  }

  onConnectError(error: Error): void {
    if (this.owner === undefined) return;
    this.fail(connectFailure(this.target.hostPort, error));
  }

  // ── writing and reading ──

  /** Writes the request; sending began at `startedAt`. */
  private write(startedAt: number): void {
    const socket = this.socket;
    if (socket === undefined) return;
    const { data, size } = this.options.request;
    this.tSendStart = startedAt;
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
    // The first byte's instant, and the end if this chunk completes the response (not after parsing).
    const arrived = performance.now();
    if (this.tFirstByte === 0) this.tFirstByte = arrived;
    const parser = this.parser;
    if (!parser.feed(chunk)) return;
    if (parser.failed) {
      this.fail(requestError(ERR_MALFORMED, `${this.target.hostPort} sent a malformed HTTP response: ${parser.failure}`));
    } else {
      this.succeed(arrived);
    }
  }

  onSocketError(error: Error): void {
    this.socketError = error;
  }

  onClosed(error: Error | undefined): void {
    const previous = this.state;
    if (previous === ConnState.Closed) return;
    if (this.owner === undefined) {
      this.state = ConnState.Closed;
      return;
    }
    if (previous === ConnState.Busy && this.parser.finishOnClose()) {
      this.succeed(performance.now());
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

  // ── completion ──

  /** The exchange's deadline passed (called by the deadline queue). */
  onDeadline(): void {
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

  /** Ends the exchange in flight as `aborted` (the session's abort signal fired). No-op when idle. */
  abort(): void {
    this.fail(requestError(ERR_ABORTED, `the request to ${this.target.hostPort} was aborted`));
  }

  /** The response is complete; its last byte (or the close ending it) arrived at `end`. */
  private succeed(end: number): void {
    const parser = this.parser;
    // An answer before the whole request was written (e.g. 413) leaves the stream unusable.
    if (parser.closeAfter || this.pending !== undefined) {
      this.pending = undefined;
      this.state = ConnState.Closed;
      this.socket?.end();
    } else {
      this.state = ConnState.Idle;
    }
    this.settle(parser, undefined, end);
  }

  /** Ends the exchange with an error and closes the connection (never reused after). */
  private fail(error: RequestError): void {
    if (this.owner === undefined) return;
    this.state = ConnState.Closed;
    this.socket?.terminate();
    this.settle(undefined, error, performance.now());
  }

  /** Ends the exchange at `end`: with the parsed response (`parser`), or with `error`. */
  private settle(parser: ResponseParser | undefined, error: RequestError | undefined, end: number): void {
    const owner = this.owner;
    if (owner === undefined) return;
    this.owner = undefined;
    deadlineQueue.cancel(this.deadline);
    if (this.connectTimer !== undefined) {
      clearTimeout(this.connectTimer);
      this.connectTimer = undefined;
    }
    const options = this.options;
    this.options = NO_EXCHANGE;
    const timings = phaseTimings(options.startedAt, this.tConnect, this.tOpen, this.tSecure, this.tSendStart, this.tSent, this.tFirstByte, end);
    const result = parser !== undefined ? parser.response(options.url, timings) : Http1Response.failed(options.url, timings, error!);
    result.bytesSent = this.bytesSent;
    result.bytesReceived = this.parser.bytesReceived;
    result.wrote = this.wrote;
    owner.onExchange(this, result);
  }
}
