// The built-in demo target (`loadr demo`): a small HTTP server on Bun.serve to try plans
// against, and the counting target of our own tests (`GET /_stats`), plus the protocol endpoints
// registered for it: routes on its HTTP port (protocol-routes.ts) and listeners on ports of their
// own (listeners/index.ts). Contract, relied on by tests and the bench: /_stats counts every
// request served except /_stats itself (stats.ts; `byProtocol` splits the count by protocol).
import { route, json, type DemoState } from "./routes.ts";
import { DEMO_LISTENERS } from "./listeners/index.ts";
import type { DemoListener, DemoListenerHandle } from "./listeners/types.ts";
import { DEMO_ROUTES, type DemoRoute, type DemoSocketHandler, type RouteContext } from "./protocol-routes.ts";
import { HTTP, RequestStats } from "./stats.ts";
import { SessionStore } from "./sessions.ts";

/** Largest WebSocket message a protocol route receives; larger ones close the socket (1009). */
export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;
/** Seconds an idle HTTP connection or WebSocket is kept. */
const IDLE_TIMEOUT_S = 30;

export interface DemoServerOptions {
  /** 0 picks a free port. Default 8080. */
  port?: number;
  /** Default 127.0.0.1. */
  hostname?: string;
  /** The listeners on ports of their own, by name; default every registered one (listeners/index.ts). */
  listeners?: Readonly<Record<string, DemoListener>>;
  /** The port of each listener by name; 0 or absent picks a free one. */
  listenerPorts?: Readonly<Record<string, number>>;
  /** Protocol endpoints on the HTTP port, by exact path; default protocol-routes.ts `DEMO_ROUTES`. */
  routes?: Readonly<Record<string, DemoRoute>>;
}

/** One address the demo serves: the HTTP server (`http`, first) or a listener. */
export interface DemoEndpoint {
  readonly name: string;
  readonly port: number;
  /** See listeners/types.ts `DemoListenerHandle.address`; the HTTP server's is its `url`. */
  readonly address: string;
}

export interface DemoServer {
  port: number;
  /** `http://host:port` (no trailing slash). */
  url: string;
  /** The HTTP server, then every listener in registry order. */
  endpoints: readonly DemoEndpoint[];
  /** Stops listening, closes connections and answers pending /delay requests. Idempotent. */
  stop(): Promise<void>;
}

/** A listener could not start; everything the demo had started is stopped again. */
export class DemoListenError extends Error {
  constructor(
    readonly listener: DemoListener,
    readonly hostname: string,
    readonly port: number,
    why: string,
  ) {
    super(`the demo's ${listener.name} listener could not listen on ${hostname}:${port}: ${why}`);
  }
}

/** The path of a request URL (`http://h/p?q` → `/p`) without building a URL object. */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const query = url.indexOf("?", start);
  return query < 0 ? url.slice(start) : url.slice(start, query);
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const listeners = options.listeners ?? DEMO_LISTENERS;
  const ports = options.listenerPorts ?? {};
  for (const name of Object.keys(ports)) if (!Object.hasOwn(listeners, name)) throw new Error(`no demo listener "${name}"`);
  const state: DemoState = { stats: new RequestStats(), sessions: new SessionStore(), delays: new Set(), routes: options.routes ?? DEMO_ROUTES };
  const hostname = options.hostname ?? "127.0.0.1";
  const server = Bun.serve({
    port: options.port ?? 8080,
    hostname,
    idleTimeout: IDLE_TIMEOUT_S,
    fetch(request, server) {
      const path = pathOf(request.url);
      if (path === "/_stats") return json(state.stats.snapshot());
      if (path === "/_stats/reset" && request.method === "POST") {
        state.stats.reset();
        return json({ ok: true });
      }
      state.stats.count(path);
      const ctx: RouteContext = { state, upgrade: (req, handler) => server.upgrade(req, { data: handler }) };
      return route(request, path, ctx);
    },
    // One dispatcher for every WebSocket route: each socket carries the handler its route chose.
    websocket: {
      data: {} as DemoSocketHandler,
      maxPayloadLength: MAX_WS_MESSAGE_BYTES,
      idleTimeout: IDLE_TIMEOUT_S,
      open: (ws) => ws.data.open?.(ws),
      message: (ws, message) => ws.data.message(ws, message),
      close: (ws, code, reason) => ws.data.close?.(ws, code, reason),
    },
    error(error) {
      return json({ error: `demo target failure: ${error.message}` }, 500);
    },
  });
  const port = server.port ?? 0;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  const url = `http://${host}:${port}`;
  const started: DemoListenerHandle[] = [];
  const stopAll = async () => {
    for (const answer of [...state.delays]) answer();
    await Promise.all([server.stop(true), ...started.map((handle) => handle.stop())]);
  };
  const endpoints: DemoEndpoint[] = [{ name: HTTP, port, address: url }];
  for (const [name, listener] of Object.entries(listeners)) {
    const wanted = ports[name] ?? 0;
    try {
      const handle = await listener.start(wanted, state.stats, { hostname });
      started.push(handle);
      endpoints.push({ name: listener.name, port: handle.port, address: handle.address });
    } catch (error) {
      await stopAll();
      throw new DemoListenError(listener, hostname, wanted, error instanceof Error ? error.message : String(error));
    }
  }
  let stopped: Promise<void> | undefined;
  return {
    port,
    url,
    endpoints,
    stop() {
      stopped ??= stopAll();
      return stopped;
    },
  };
}
