// One TCP (optionally TLS) connection on Bun.connect, owned by one VU's session (session.ts) and
// used by one exchange at a time. Bytes that arrive are buffered (at most MAX_BUFFERED_BYTES)
// until a read takes them: a read ends at a delimiter, after a byte count, or at the first bytes
// when it names neither. `connect` and `read` resolve exactly once (a result or a tagged error)
// and never reject; a read that fails (timeout, reset, overflow, abort) leaves the connection
// closed, since what follows on the stream can no longer be told apart.
//
// TLS gotcha (as in src/protocols/http1/connection.ts): bytes written in `open` can be lost on a TLS socket, so a TLS
// connection counts as open at `handshake`, and a short `write()` is finished on `drain`.
import type { Socket, TLSOptions } from "bun";
import { ERR_ABORTED, ERR_MALFORMED, ERR_RESET, ERR_TIMEOUT, ERR_TLS, connectFailure, requestError, type RequestError } from "../http1/errors.ts";
import type { HostPort } from "./payload.ts";

/** Bytes buffered before a read that finds no delimiter fails as malformed. */
export const MAX_BUFFERED_BYTES = 1 << 20;

/** How a read decides its message is complete. */
export interface ReadUntil {
  /** Ends after the first occurrence of these bytes (included in the message). */
  until?: Uint8Array;
  /** Ends after exactly this many bytes. */
  length?: number;
}

export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; error: RequestError };

export class TcpConnection {
  private socket: Socket<undefined> | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private pendingWrite: Uint8Array | undefined;
  /** Called whenever bytes arrive or the connection ends, while a read waits. */
  private wake: (() => void) | undefined;
  private ended: RequestError | undefined;
  /** Bytes received since the last `takeReceived()`. */
  private received = 0;

  private constructor(readonly label: string) {}

  get isOpen(): boolean {
    return this.socket !== undefined && this.ended === undefined;
  }

  /** Connects within `timeoutMs`; resolves with the open connection or the reason it failed. */
  static connect(target: HostPort, tls: TLSOptions | undefined, timeoutMs: number, signal: AbortSignal | undefined): Promise<TcpConnection | RequestError> {
    const label = `${target.hostname}:${target.port}`;
    const conn = new TcpConnection(label);
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: TcpConnection | RequestError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (result !== conn) conn.close();
        resolve(result);
      };
      const onAbort = () => finish(requestError(ERR_ABORTED, `connecting to ${label} was aborted (the run is stopping)`));
      const timer = setTimeout(() => finish(requestError(ERR_TIMEOUT, `connecting to ${label} took longer than ${timeoutMs} ms`)), timeoutMs);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      Bun.connect<undefined>({
        hostname: target.hostname,
        port: target.port,
        tls,
        socket: {
          open(socket) {
            conn.socket = socket;
            if (!tls) finish(conn);
          },
          handshake(socket, success, authorizationError) {
            if (success || (tls && tls.rejectUnauthorized === false)) return finish(conn);
            finish(requestError(ERR_TLS, `TLS handshake with ${label} failed: ${authorizationError?.message ?? "certificate rejected"}`));
            socket.end();
          },
          data(_socket, data) {
            conn.onData(data);
          },
          drain(socket) {
            const rest = conn.pendingWrite;
            if (!rest) return;
            const written = socket.write(rest);
            conn.pendingWrite = written < rest.length ? rest.subarray(written) : undefined;
          },
          end() {
            conn.onEnd(requestError(ERR_RESET, `${label} closed the connection`));
          },
          close() {
            conn.onEnd(requestError(ERR_RESET, `${label} closed the connection`));
          },
          error(_socket, error) {
            conn.onEnd(requestError(ERR_RESET, `connection to ${label} failed: ${error.message}`));
          },
          connectError(_socket, error) {
            finish(connectFailure(label, error));
          },
        },
      }).catch((error: Error) => finish(connectFailure(label, error)));
    });
  }

  /** Hands `bytes` to the socket (the rest on `drain`); returns how many bytes it will send. */
  write(bytes: Uint8Array): number {
    if (!this.socket || this.ended) return 0;
    if (this.pendingWrite) {
      this.pendingWrite = Buffer.concat([this.pendingWrite, bytes]);
      return bytes.length;
    }
    const written = this.socket.write(bytes);
    if (written < bytes.length) this.pendingWrite = bytes.subarray(Math.max(0, written));
    return bytes.length;
  }

  /** The next message per `until`, by `deadline` (performance.now()); never rejects. */
  read(until: ReadUntil, deadline: number, signal: AbortSignal | undefined): Promise<ReadResult> {
    const ready = this.take(until);
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const finish = (result: ReadResult) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.wake = undefined;
        if (!result.ok) this.close();
        resolve(result);
      };
      const onAbort = () => finish({ ok: false, error: requestError(ERR_ABORTED, `waiting for ${this.label} was aborted (the run is stopping)`) });
      const wait = Math.max(0, deadline - performance.now());
      const timer = setTimeout(() => {
        const seen = this.buffer.length;
        finish({ ok: false, error: requestError(ERR_TIMEOUT, `${this.label} sent no complete reply within ${Math.round(wait)} ms (${seen} bytes received${describeUntil(until)})`) });
      }, wait);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.wake = () => {
        const done = this.take(until);
        if (done) finish(done);
      };
    });
  }

  /** Bytes received since the previous call (for `data_received`). */
  takeReceived(): number {
    const n = this.received;
    this.received = 0;
    return n;
  }

  /** Closes the socket; idempotent. */
  close(): void {
    this.ended ??= requestError(ERR_RESET, `connection to ${this.label} was closed`);
    const socket = this.socket;
    this.socket = undefined;
    socket?.terminate();
  }

  private onData(data: Buffer): void {
    this.received += data.length;
    this.buffer = this.buffer.length === 0 ? Buffer.from(data) : Buffer.concat([this.buffer, data]);
    this.wake?.();
  }

  private onEnd(reason: RequestError): void {
    this.ended ??= reason;
    this.wake?.();
  }

  /** A complete message (removed from the buffer), a failure, or undefined to keep waiting. */
  private take(until: ReadUntil): ReadResult | undefined {
    const buffer = this.buffer;
    let end = -1;
    if (until.length !== undefined) end = buffer.length >= until.length ? until.length : -1;
    else if (until.until !== undefined) {
      const at = buffer.indexOf(until.until);
      end = at < 0 ? -1 : at + until.until.length;
    } else end = buffer.length > 0 ? buffer.length : -1;
    if (end >= 0) {
      this.buffer = buffer.subarray(end);
      return { ok: true, bytes: buffer.subarray(0, end) };
    }
    if (buffer.length > MAX_BUFFERED_BYTES) {
      return { ok: false, error: requestError(ERR_MALFORMED, `${this.label} sent ${buffer.length} bytes without completing a reply${describeUntil(until)}`) };
    }
    if (this.ended) {
      const code = this.ended.code;
      return { ok: false, error: requestError(code, `${this.ended.message} after ${buffer.length} bytes of a reply${describeUntil(until)}`) };
    }
    return undefined;
  }
}

function describeUntil(until: ReadUntil): string {
  if (until.length !== undefined) return `; expected ${until.length} bytes`;
  if (until.until !== undefined) return `; expected the delimiter ${JSON.stringify(Buffer.from(until.until).toString())}`;
  return "";
}
