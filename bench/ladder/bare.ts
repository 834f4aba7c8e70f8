// Rungs `bare` and `bare-async`: the floor of the ladder, no loadr code at all. One Bun.connect
// socket per connection sends one fixed GET again and again and frames each response by its
// Content-Length (enough for nginx's `return 200` and the loopback responder, which both send it);
// one performance.now() pair and one Float64Array store per request.
// - `bare`: driven from the socket callbacks alone (the next request is written in `data`);
// - `bare-async`: one async loop per connection awaiting one promise per request (a VU's shape).
// Called by rung-main.ts on the child's only thread.
import type { Socket, SocketHandler } from "bun";
import { Budget, Samples, driveLoops, type LoopTally } from "./drive.ts";
import type { RungSpec } from "./rungs.ts";

const CR = 13;
const LF = 10;
const CONTENT_LENGTH = Uint8Array.from("content-length", (c) => c.charCodeAt(0));

/** One socket's framing state and, in the async rung, the promise of the request in flight. */
class BareConn {
  socket: Socket<BareConn> | undefined;
  /** Head bytes received so far (a head split over chunks), or undefined between responses. */
  private head: Uint8Array | undefined;
  /** Body bytes still to come; -1 while the head is incomplete. */
  private bodyLeft = -1;
  status = 0;
  t0 = 0;
  /** Unwritten request bytes after a short write. */
  pending: Uint8Array | undefined;
  /** A request is in flight (its response not complete yet). */
  inFlight = false;
  /** The async rung's promise of the request in flight. */
  resolve: ((ok: boolean) => void) | undefined;
  /** The socket closed: no request can be sent on it any more. */
  closed = false;
  opened: (() => void) | undefined;
  failed: ((error: Error) => void) | undefined;

  /** Feeds one chunk; true when a whole response arrived. */
  feed(chunk: Uint8Array): boolean {
    let pos = 0;
    if (this.bodyLeft < 0) {
      let buf = chunk;
      if (this.head !== undefined) {
        buf = new Uint8Array(this.head.length + chunk.length);
        buf.set(this.head, 0);
        buf.set(chunk, this.head.length);
      }
      const end = headEnd(buf);
      if (end < 0) {
        this.head = buf.slice();
        return false;
      }
      this.head = undefined;
      this.status = (buf[9]! - 48) * 100 + (buf[10]! - 48) * 10 + (buf[11]! - 48);
      this.bodyLeft = contentLength(buf, end);
      pos = end + 4 - (buf.length - chunk.length);
    }
    const take = Math.min(this.bodyLeft, chunk.length - pos);
    this.bodyLeft -= take;
    if (this.bodyLeft > 0) return false;
    this.bodyLeft = -1;
    return true;
  }
}

function headEnd(buf: Uint8Array): number {
  for (let i = 0; i + 3 < buf.length; i++) {
    if (buf[i] === CR && buf[i + 1] === LF && buf[i + 2] === CR && buf[i + 3] === LF) return i;
  }
  return -1;
}

/** The Content-Length of a head ending at `end` (0 when absent: nginx always sends one here). */
function contentLength(buf: Uint8Array, end: number): number {
  for (let ls = 0; ls < end; ) {
    let le = ls;
    while (le < end && buf[le] !== CR) le++;
    if (le - ls > 15 && buf[ls + 14] === 58) {
      let match = true;
      for (let k = 0; k < 14 && match; k++) match = (buf[ls + k]! | 0x20) === CONTENT_LENGTH[k];
      if (match) {
        let n = 0;
        for (let i = ls + 15; i < le; i++) if (buf[i]! >= 48 && buf[i]! <= 57) n = n * 10 + buf[i]! - 48;
        return n;
      }
    }
    ls = le + 2;
  }
  return 0;
}

function requestBytes(url: URL): Uint8Array {
  return Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\nuser-agent: loadr-ladder\r\n\r\n`);
}

function write(conn: BareConn, bytes: Uint8Array): void {
  const n = conn.socket!.write(bytes);
  conn.pending = n < bytes.length ? bytes.subarray(Math.max(0, n)) : undefined;
}

function connect(url: URL, conn: BareConn, handlers: SocketHandler<BareConn>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    conn.opened = resolve;
    conn.failed = reject;
    Bun.connect<BareConn>({ hostname: url.hostname, port: Number(url.port || 80), data: conn, socket: handlers }).catch(reject);
  });
}

/** Handlers of both bare rungs; `onResponse` decides what follows a complete response. */
function bareHandlers(onResponse: (socket: Socket<BareConn>) => void, onLost: (conn: BareConn) => void): SocketHandler<BareConn> {
  return {
    binaryType: "uint8array",
    open(socket) {
      socket.data.socket = socket;
      socket.data.opened?.();
    },
    data(socket, chunk) {
      if (socket.data.feed(chunk)) onResponse(socket);
    },
    drain(socket) {
      const conn = socket.data;
      if (conn.pending !== undefined) write(conn, conn.pending);
    },
    close(socket) {
      socket.data.closed = true;
      onLost(socket.data);
    },
    connectError(socket, error) {
      socket.data.failed?.(error);
    },
  };
}

/** `bare`: the next request is written from the data callback; no promise per request. */
export async function runBare(spec: RungSpec): Promise<LoopTally> {
  const url = new URL(spec.url);
  const request = requestBytes(url);
  const samples = new Samples();
  const tally: LoopTally = { requests: 0, errors: 0, loadSec: 0 };
  let budget: Budget;
  let finished = 0;
  let allDone!: () => void;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const next = (conn: BareConn): void => {
    if (budget.take()) {
      conn.t0 = performance.now();
      conn.inFlight = true;
      write(conn, request);
      return;
    }
    conn.inFlight = false;
    conn.socket!.end();
    if (++finished === spec.connections) allDone();
  };
  const handlers = bareHandlers(
    (socket) => {
      const conn = socket.data;
      samples.push(performance.now() - conn.t0);
      tally.requests++;
      if (conn.status !== 200) tally.errors++;
      next(conn);
    },
    (conn) => {
      if (!conn.inFlight) return;
      // Lost mid-request: counted as a failed request, and this connection stops.
      conn.inFlight = false;
      tally.requests++;
      tally.errors++;
      if (++finished === spec.connections) allDone();
    },
  );
  const conns = Array.from({ length: spec.connections }, () => new BareConn());
  await Promise.all(conns.map((conn) => connect(url, conn, handlers)));
  budget = new Budget(spec.budget);
  const started = performance.now();
  for (const conn of conns) next(conn);
  await done;
  tally.loadSec = (performance.now() - started) / 1000;
  return tally;
}

/** `bare-async`: one async loop per connection, awaiting one promise per request. */
export async function runBareAsync(spec: RungSpec): Promise<LoopTally> {
  const url = new URL(spec.url);
  const request = requestBytes(url);
  const samples = new Samples();
  const handlers = bareHandlers(
    (socket) => {
      const conn = socket.data;
      samples.push(performance.now() - conn.t0);
      const resolve = conn.resolve!;
      conn.resolve = undefined;
      resolve(conn.status === 200);
    },
    (conn) => {
      const resolve = conn.resolve;
      conn.resolve = undefined;
      resolve?.(false);
    },
  );
  const conns = Array.from({ length: spec.connections }, () => new BareConn());
  await Promise.all(conns.map((conn) => connect(url, conn, handlers)));
  const roundTrip = (vu: number): Promise<boolean> => {
    const conn = conns[vu]!;
    if (conn.closed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      conn.resolve = resolve;
      conn.t0 = performance.now();
      write(conn, request);
    });
  };
  const tally = await driveLoops(spec.connections, new Budget(spec.budget), roundTrip, (_vu, ok) => ok);
  for (const conn of conns) conn.socket?.end();
  return tally;
}
