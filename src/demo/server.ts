// The built-in demo target (`loadr demo`): a small HTTP server on Bun.serve to try plans
// against, and the counting target of our own tests (`GET /_stats`). Contract, relied on by
// tests and the bench: /_stats counts every request served except /_stats itself.
import { route, json, type DemoState } from "./routes.ts";
import { RequestStats } from "./stats.ts";
import { SessionStore } from "./sessions.ts";

export interface DemoServerOptions {
  /** 0 picks a free port. Default 8080. */
  port?: number;
  /** Default 127.0.0.1. */
  hostname?: string;
}

export interface DemoServer {
  port: number;
  /** `http://host:port` (no trailing slash). */
  url: string;
  /** Stops listening, closes connections and answers pending /delay requests. Idempotent. */
  stop(): Promise<void>;
}

/** The path of a request URL (`http://h/p?q` → `/p`) without building a URL object. */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const query = url.indexOf("?", start);
  return query < 0 ? url.slice(start) : url.slice(start, query);
}

export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  const state: DemoState = { stats: new RequestStats(), sessions: new SessionStore(), delays: new Set() };
  const hostname = options.hostname ?? "127.0.0.1";
  const server = Bun.serve({
    port: options.port ?? 8080,
    hostname,
    idleTimeout: 30,
    fetch(request) {
      const path = pathOf(request.url);
      if (path === "/_stats") return json(state.stats.snapshot());
      if (path === "/_stats/reset" && request.method === "POST") {
        state.stats.reset();
        return json({ ok: true });
      }
      state.stats.count(path);
      return route(request, path, state);
    },
    error(error) {
      return json({ error: `demo target failure: ${error.message}` }, 500);
    },
  });
  const port = server.port ?? 0;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `http://${host}:${port}`,
    stop() {
      stopped ??= (async () => {
        for (const answer of [...state.delays]) answer();
        await server.stop(true);
      })();
      return stopped;
    },
  };
}
