// Misbehaving (and scriptable) HTTP/1.1 servers on node:net, 127.0.0.1, port 0 — for any test
// that needs a target to stall, reset, lie or count connections. Each server tracks its
// sockets and `close()` destroys them all, so a test leaves nothing behind. Request bodies are
// read by Content-Length only (no chunked request bodies); requests may be pipelined.
import { createServer, type Server, type Socket } from "node:net";

export interface RawRequest {
  method: string;
  path: string;
  /** Lower-case names; last value wins. */
  headers: Record<string, string>;
  body: string;
}

export interface TestServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Complete request heads received so far. */
  readonly requests: number;
  /** Raw bytes received, across all connections (for "what did the client send" checks). */
  readonly received: string;
  /** Resolves when the server has stopped and every socket is destroyed. */
  close(): Promise<void>;
  /** Same as `close` (the Bun.serve spelling). */
  stop(): Promise<void>;
}

/**
 * What to do with one request: return the raw bytes to write (the connection stays open),
 * or act on the socket yourself (write partially, `destroy()`, `end()`, or nothing at all).
 */
export type Responder = (request: RawRequest, socket: Socket) => string | Uint8Array | void;

const MAX_BUFFERED = 1024 * 1024;

export async function scriptedServer(respond: Responder): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let requests = 0;
  let received = "";
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = "";
    socket.on("data", (chunk: Buffer) => {
      const text = chunk.toString("latin1");
      if (received.length < MAX_BUFFERED) received += text;
      buffer += text;
      // Bounded: each iteration consumes one complete request from the buffer.
      while (!socket.destroyed) {
        const headEnd = buffer.indexOf("\r\n\r\n");
        if (headEnd < 0) break;
        const lines = buffer.slice(0, headEnd).split("\r\n");
        const [method = "", path = ""] = (lines[0] ?? "").split(" ");
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(":");
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        const length = Number(headers["content-length"] ?? 0);
        if (buffer.length < headEnd + 4 + length) break;
        const body = buffer.slice(headEnd + 4, headEnd + 4 + length);
        buffer = buffer.slice(headEnd + 4 + length);
        requests++;
        const out = respond({ method, path, headers, body }, socket);
        if (out !== undefined && !socket.destroyed) socket.write(out);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  let closed: Promise<void> | undefined;
  const close = () => {
    for (const socket of sockets) socket.destroy();
    closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
    return closed;
  };
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    get received() {
      return received;
    },
    close,
    stop: close,
  };
}

/** A well-behaved keep-alive response with a Content-Length body. */
export function okResponse(body = "ok", extraHeaders = ""): string {
  return `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${extraHeaders}\r\n${body}`;
}

/** The same body sent with `Transfer-Encoding: chunked`, split into `pieces` chunks. */
export function chunkedResponse(body: string, pieces = 3): string {
  const size = Math.ceil(body.length / pieces) || 1;
  let out = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
  for (let i = 0; i < body.length; i += size) {
    const part = body.slice(i, i + size);
    out += `${Buffer.byteLength(part).toString(16)};ext=1\r\n${part}\r\n`;
  }
  return `${out}0\r\nx-trailer: yes\r\n\r\n`;
}

/** Accepts connections and reads requests but never answers. */
export function silentServer(): Promise<TestServer> {
  return scriptedServer(() => undefined);
}

/** Sends a head promising 1000 bytes, 10 of them, then destroys the connection. */
export function closeMidResponseServer(): Promise<TestServer> {
  return scriptedServer((_request, socket) => {
    socket.write("HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789", () => socket.destroy());
  });
}

/** Closes each connection as soon as a request arrives, without a byte of response. */
export function closeOnRequestServer(): Promise<TestServer> {
  return scriptedServer((_request, socket) => void socket.destroy());
}

/** Answers every request with `raw` (default: a broken status line), then keeps the connection. */
export function malformedServer(raw = "HTPP/1.1 two hundred OK\r\n\r\n"): Promise<TestServer> {
  return scriptedServer(() => raw);
}

/**
 * Answers with a keep-alive-looking response (no `Connection: close`) and then closes the
 * connection anyway, as servers do when their idle timeout is short.
 */
export function closeAfterResponseServer(body = "ok"): Promise<TestServer> {
  return scriptedServer((_request, socket) => {
    socket.end(okResponse(body));
  });
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `condition` on each macrotask turn until true; throws after `limitMs`. Not a sleep. */
export async function waitFor(condition: () => boolean, limitMs = 2000): Promise<void> {
  const until = performance.now() + limitMs;
  while (!condition()) {
    if (performance.now() > until) throw new Error(`condition not met within ${limitMs} ms`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
