// The demo's HTTP/2 listener (`loadr demo --h2-port N`): h2c by prior knowledge (no TLS), the
// same endpoints as the HTTP/1.1 server (../routes.ts, without the WebSocket routes), each
// request counted on arrival under its path and `byProtocol.h2`. Logins are its own: a token
// from the HTTP/1.1 port is unknown here. Bounded: request bodies of at most MAX_BODY_BYTES
// (larger ones are answered 413), connections idle for IDLE_TIMEOUT_MS are closed.
import { createServer, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";
import { route, type DemoState } from "../routes.ts";
import { SessionStore } from "../sessions.ts";
import type { DemoListener } from "./types.ts";

const NAME = "h2";
const MAX_BODY_BYTES = 1024 * 1024;
const IDLE_TIMEOUT_MS = 30_000;

export const h2Listener: DemoListener = {
  name: NAME,
  flag: "--h2-port",
  start(port, stats, { hostname }) {
    const state: DemoState = { stats, sessions: new SessionStore(), delays: new Set(), routes: {} };
    const sessions = new Set<Http2Session>();
    const server = createServer();
    server.setTimeout(IDLE_TIMEOUT_MS);
    server.on("session", (session) => {
      sessions.add(session);
      session.on("close", () => sessions.delete(session));
      session.on("error", () => {});
    });
    server.on("stream", (stream, headers) => void serve(stream, headers, state, hostname));
    const { promise, resolve, reject } = Promise.withResolvers<Awaited<ReturnType<DemoListener["start"]>>>();
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      const bound = (server.address() as AddressInfo).port;
      const host = hostname.includes(":") ? `[${hostname}]` : hostname;
      resolve({
        port: bound,
        address: `http://${host}:${bound}`,
        async stop() {
          for (const resolveDelay of state.delays) resolveDelay();
          for (const session of sessions) session.destroy();
          sessions.clear();
          await new Promise<void>((done) => server.close(() => done()));
        },
      });
    });
    return promise;
  },
};

async function serve(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, state: DemoState, hostname: string): Promise<void> {
  stream.on("error", () => {});
  const rawPath = String(headers[":path"] ?? "/");
  const query = rawPath.indexOf("?");
  const path = query < 0 ? rawPath : rawPath.slice(0, query);
  state.stats.count(path, NAME);
  const method = String(headers[":method"] ?? "GET");
  const body = method === "GET" || method === "HEAD" ? undefined : await readBody(stream);
  if (body === "too large") return respond(stream, new Response(`request bodies are limited to ${MAX_BODY_BYTES} bytes\n`, { status: 413 }));
  const requestHeaders = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(":") || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [String(value)]) requestHeaders.append(name, v);
  }
  const authority = String(headers[":authority"] ?? hostname);
  const request = new Request(`http://${authority}${rawPath}`, { method, headers: requestHeaders, ...(body ? { body } : {}) });
  try {
    const response = await route(request, path, { state, upgrade: () => false });
    await respond(stream, response ?? new Response("not found\n", { status: 404 }));
  } catch (error) {
    await respond(stream, new Response(`demo target failure: ${(error as Error).message}\n`, { status: 500 }));
  }
}

function readBody(stream: ServerHttp2Stream): Promise<Buffer | "too large"> {
  const { promise, resolve } = Promise.withResolvers<Buffer | "too large">();
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return resolve("too large");
    chunks.push(chunk);
  });
  stream.on("end", () => resolve(Buffer.concat(chunks)));
  stream.on("close", () => resolve(Buffer.concat(chunks)));
  return promise;
}

async function respond(stream: ServerHttp2Stream, response: Response): Promise<void> {
  if (stream.destroyed || stream.closed) return;
  const out: Record<string, string | string[]> = { ":status": String(response.status) };
  for (const [name, value] of response.headers) {
    if (name === "connection" || name === "transfer-encoding" || name === "keep-alive") continue;
    const existing = out[name];
    out[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (stream.destroyed || stream.closed) return;
  stream.respond(out);
  stream.end(bytes);
}

