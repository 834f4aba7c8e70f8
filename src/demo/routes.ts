// The demo target's endpoints (`loadr demo`). Pure request → response handlers over the shared
// state; `server.ts` does the counting and the listening. Every endpoint is cheap so the demo
// stays out of the way of the load generator on the same machine. A path of `state.routes` (the
// protocol endpoints of protocol-routes.ts) is answered by that route, before the built-in ones.
import type { DemoRoute, RouteContext } from "./protocol-routes.ts";
import type { RequestStats } from "./stats.ts";
import type { SessionStore } from "./sessions.ts";

/** Upper bounds on what a URL can ask for. */
export const MAX_DELAY_MS = 60_000;
export const MAX_BYTES = 10 * 1024 * 1024;
export const MAX_REDIRECTS = 100;

export interface DemoState {
  stats: RequestStats;
  sessions: SessionStore;
  /** Pending /delay responses, answered 503 when the server stops. */
  delays: Set<() => void>;
  /** Protocol endpoints by exact path (protocol-routes.ts `DEMO_ROUTES` unless a test gives others). */
  routes: Readonly<Record<string, DemoRoute>>;
}

const BUILT_IN_ENDPOINTS = "/json, /delay/:ms, /status/:code, /echo, POST /login, /me, /bytes/:n, /redirect/:n";

function indexPage(routes: Readonly<Record<string, DemoRoute>>): string {
  const endpoints = [BUILT_IN_ENDPOINTS, ...Object.keys(routes), "/_stats"].join(", ");
  return `<!doctype html>
<html><head><title>loadr demo target</title></head>
<body><h1>loadr demo target</h1>
<p>Endpoints: ${endpoints}</p>
</body></html>
`;
}

const JSON_DOC = JSON.stringify({
  service: "loadr-demo",
  version: 1,
  items: Array.from({ length: 10 }, (_, i) => ({
    id: i + 1,
    name: `item-${i + 1}`,
    price: Math.round((i + 1) * 9.99 * 100) / 100,
    tags: i % 2 === 0 ? ["even", "demo"] : ["odd", "demo"],
  })),
  meta: { count: 10, page: 1 },
});

const textHeaders = { "content-type": "text/plain; charset=utf-8" };
const jsonHeaders = { "content-type": "application/json" };

export function json(value: unknown, status = 200, extra?: Record<string, string>): Response {
  return new Response(JSON.stringify(value), { status, headers: extra ? { ...jsonHeaders, ...extra } : jsonHeaders });
}

function text(body: string, status = 200): Response {
  return new Response(body, { status, headers: textHeaders });
}

/** Parses the non-negative integer in `/prefix/<n>`; undefined when absent or not a number. */
function numberAfter(path: string, prefixLength: number): number | undefined {
  const raw = path.slice(prefixLength);
  return /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

/** The answer to `request` (undefined once a protocol route has upgraded it to a WebSocket). */
export function route(request: Request, path: string, ctx: RouteContext): Response | undefined | Promise<Response | undefined> {
  const protocolRoute = Object.hasOwn(ctx.state.routes, path) ? ctx.state.routes[path] : undefined;
  return protocolRoute ? protocolRoute(request, ctx) : builtIn(request, path, ctx.state);
}

async function builtIn(request: Request, path: string, state: DemoState): Promise<Response> {
  const method = request.method;
  if (path === "/") return new Response(indexPage(state.routes), { headers: { "content-type": "text/html; charset=utf-8" } });
  if (path === "/json") return new Response(JSON_DOC, { headers: jsonHeaders });
  if (path === "/echo") return echo(request, path);
  if (path === "/login") return method === "POST" ? login(request, state) : text("use POST /login\n", 405);
  if (path === "/me") {
    const user = state.sessions.userOf(request);
    return user === undefined ? json({ error: "not logged in: send a bearer token or the session cookie" }, 401) : json({ user });
  }
  if (path.startsWith("/delay/")) {
    const ms = numberAfter(path, 7);
    if (ms === undefined) return text("usage: /delay/<ms>\n", 400);
    return delay(Math.min(ms, MAX_DELAY_MS), request, state);
  }
  if (path.startsWith("/status/")) {
    const code = numberAfter(path, 8);
    if (code === undefined || code < 200 || code > 599) return text("usage: /status/<200-599>\n", 400);
    const empty = code === 204 || code === 304;
    return new Response(empty ? null : `status ${code}\n`, { status: code, headers: textHeaders });
  }
  if (path.startsWith("/bytes/")) {
    const n = numberAfter(path, 7);
    if (n === undefined) return text("usage: /bytes/<n>\n", 400);
    return new Response(new Uint8Array(Math.min(n, MAX_BYTES)).fill(120), {
      headers: { "content-type": "application/octet-stream" },
    });
  }
  if (path.startsWith("/redirect/")) {
    const n = numberAfter(path, 10);
    if (n === undefined) return text("usage: /redirect/<n>\n", 400);
    const left = Math.min(n, MAX_REDIRECTS) - 1;
    return new Response(null, { status: 302, headers: { location: left > 0 ? `/redirect/${left}` : "/" } });
  }
  return text(`not found: ${path}\n`, 404);
}

async function echo(request: Request, path: string): Promise<Response> {
  const url = new URL(request.url);
  return json({
    method: request.method,
    path,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(request.headers),
    body: await request.text(),
  });
}

async function login(request: Request, state: DemoState): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json({ error: 'the body must be JSON: {"user": "...", "password": "..."}' }, 400);
  }
  const { user, password } = (body ?? {}) as { user?: unknown; password?: unknown };
  if (typeof user !== "string" || user === "" || typeof password !== "string" || password === "") {
    return json({ error: "user and password must be non-empty strings" }, 400);
  }
  const token = state.sessions.create(user);
  return json({ token }, 200, { "set-cookie": `session=${token}; Path=/; HttpOnly` });
}

function delay(ms: number, request: Request, state: DemoState): Promise<Response> {
  return new Promise((resolve) => {
    const finish = (response: Response) => {
      clearTimeout(timer);
      state.delays.delete(stop);
      request.signal.removeEventListener("abort", gone);
      resolve(response);
    };
    const stop = () => finish(text("the demo target is stopping\n", 503));
    const gone = () => finish(text("client went away\n", 499));
    const timer = setTimeout(() => finish(json({ delayed: ms })), ms);
    state.delays.add(stop);
    request.signal.addEventListener("abort", gone, { once: true });
  });
}
