// The controller's HTTP API (JSON, Bun.serve); every response's shape is in docs/api.md:
//   GET  /healthz                     liveness (no token needed)
//   GET  /metrics                     Prometheus text: agents by state, runs by status, …
//   GET  /api/agents                  the fleet
//   GET  /api/runs                    run history, newest first (live and persisted)
//   POST /api/runs                    submit (SubmitRequest) → 202 {id, run}
//   GET  /api/runs/:id                one run, with its summary once finished
//   GET  /api/runs/:id/series         its per-second series
//   GET  /api/runs/:id/report         its HTML report (src/report/), one self-contained page
//   POST /api/runs/:id/control        {action: stop|kill|pause|resume|scale, scenario?, vus?}:
//                                     400 a request that can never work, 409 the run's state refuses it
//   GET  /api/runs/:id/events         Server-Sent Events: past status events, then live ones
//   POST /api/plans/validate          the checks of a submission (SubmitRequest) without a run
//   GET  /api/runs/:id/plan           the plan's YAML as submitted
//   GET  /api/ui                      {mode: "controller"}: which host serves the web UI
//   GET  /api/agents/events           Server-Sent Events: the fleet once a second (webui/fleet-feed.ts)
//   GET  /, /assets/*                 the web UI (webui/serve.ts): its shell needs no token, its data does
// Every answer carries the web UI's security headers, and a state-changing request from another
// origin's page is refused with 403 (webui/http-guard.ts).
// With an API token every other route needs `Authorization: Bearer <token>` (401 otherwise).
// Request bodies are bounded (413 with the limit), at most MAX_CONCURRENT_SUBMISSIONS submissions
// are read at once (429 beyond), malformed requests get a 400 in plain words, and an unexpected
// failure a generic 500 whose error id points to the details in the controller's log.
import { randomUUID, timingSafeEqual } from "node:crypto";
import { MAX_PLAN_BYTES } from "../config/yaml-structure.ts";
import { exitCodeOf } from "../core/run/outcome.ts";
import { LoadrError } from "../shared/errors.ts";
import type { RunEventView, SeriesPoint } from "./api-types.ts";
import { prometheusText } from "./controller/prometheus.ts";
import type { AgentRegistry } from "./controller/registry.ts";
import { CONTROL_ACTIONS, isRunControl } from "./controller/run-controls.ts";
import type { RunManager } from "./controller/runs.ts";
import { SubmissionError } from "./controller/submission.ts";
import { MAX_TOTAL_BYTES } from "./files.ts";
import { readJsonBody } from "./http-body.ts";
import type { ControllerStore } from "./store.ts";
import { runQueryOf } from "./run-query.ts";
import { fleetEvents } from "../webui/fleet-feed.ts";
import { crossSiteProblem, withSecurityHeaders } from "../webui/http-guard.ts";
import { serveWebui } from "../webui/serve.ts";

/**
 * A submission: the plan (JSON-escaped, up to twice its size) and its data files in base64 (4/3 of
 * their size), plus room for the rest of the JSON.
 */
export const MAX_SUBMISSION_BYTES = 2 * MAX_PLAN_BYTES + Math.ceil((MAX_TOTAL_BYTES * 4) / 3) + 1024 * 1024;
const SUBMISSION_LIMIT_TEXT = `a submission (a plan of at most ${MAX_PLAN_BYTES / 2 ** 20} MiB, data files of at most ${MAX_TOTAL_BYTES / 2 ** 20} MiB in total)`;
/** Submissions read at once; each may buffer MAX_SUBMISSION_BYTES. */
export const MAX_CONCURRENT_SUBMISSIONS = 2;
/** Any other request body (a control). */
const MAX_CONTROL_BYTES = 64 * 1024;
/** Bun's own cap sits above ours, so that the 413 a client sees is ours, with the limit in it. */
const SERVER_BODY_CAP = 2 * MAX_SUBMISSION_BYTES;
/** SSE comment lines keep proxies from closing an idle stream. */
const SSE_KEEPALIVE_MS = 15_000;

export interface HttpApiOptions {
  hostname: string;
  port: number;
  apiToken?: string;
  registry: AgentRegistry;
  runs: RunManager;
  store: ControllerStore;
  controllerId: string;
  log(line: string): void;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::ffff:127.0.0.1";
}

/** Splits "host:port" (IPv6 in brackets). */
export function splitHostPort(text: string, defaultPort: number): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]*)(?::(\d+))?$/.exec(text);
  if (!m) throw new LoadrError(`"${text}" is not host:port`);
  const port = m[2] === undefined ? defaultPort : Number(m[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new LoadrError(`"${text}" has an invalid port`);
  return { host: m[1] || "0.0.0.0", port };
}

/** The rule: an HTTP API that accepts plans must not be open beyond loopback without a token. */
export function checkApiExposure(hostname: string, apiToken: string | undefined): void {
  if (!isLoopbackHost(hostname) && !apiToken) {
    throw new LoadrError(`refusing to serve the HTTP API on ${hostname} without --api-token: anyone who can reach it could submit plans`, {
      hint: "pass --api-token TOKEN (clients send it as a bearer token), or bind --http to 127.0.0.1",
    });
  }
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });

function authorized(request: Request, token: string): boolean {
  const header = request.headers.get("authorization") ?? "";
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!m) return false;
  const a = Buffer.from(m[1]!);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A 500 without internals: a generic sentence and an error id; the details go to the log. */
function internalError(request: Request | undefined, error: unknown, log: (line: string) => void): Response {
  const id = randomUUID().slice(0, 8);
  const what = request ? `${request.method} ${new URL(request.url).pathname}` : "a request";
  log(`error ${id} answering ${what}: ${(error as Error)?.stack ?? String(error)}`);
  return json(500, { error: `the controller could not answer this request (error ${id}; its log has the details)` });
}

/** Counts submissions being read and checked. */
interface Gate {
  submissions: number;
}

export function startHttpApi(o: HttpApiOptions): { url: string; port: number; stop(): Promise<void> } {
  checkApiExposure(o.hostname, o.apiToken);
  const gate: Gate = { submissions: 0 };
  const server = Bun.serve({
    hostname: o.hostname,
    port: o.port,
    maxRequestBodySize: SERVER_BODY_CAP,
    idleTimeout: 0,
    fetch: (request) => route(request, o, gate).catch((error: unknown) => internalError(request, error, o.log)).then(withSecurityHeaders),
    error: (error) => withSecurityHeaders(internalError(undefined, error, o.log)),
  });
  const host = o.hostname.includes(":") ? `[${o.hostname}]` : o.hostname;
  return { url: `http://${host}:${server.port}`, port: server.port ?? 0, stop: () => server.stop(true) };
}

async function route(request: Request, o: HttpApiOptions, gate: Gate): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = request.method;
  if (path === "/healthz") return json(200, { ok: true, controllerId: o.controllerId });
  const crossSite = crossSiteProblem(request);
  if (crossSite) return json(403, { error: crossSite });
  const page = await serveWebui(request, path);
  if (page) return page;
  if (o.apiToken && !authorized(request, o.apiToken)) {
    return new Response(JSON.stringify({ error: "missing or wrong bearer token (Authorization: Bearer <--api-token>)" }), {
      status: 401,
      headers: { "content-type": "application/json", "www-authenticate": 'Bearer realm="loadr"' },
    });
  }
  if (path === "/metrics" && method === "GET") {
    return new Response(prometheusText(o.registry, o.runs, o.store), { headers: { "content-type": "text/plain; version=0.0.4" } });
  }
  const fleet = () => ({ agents: o.registry.all().map((a) => o.registry.view(a)), livenessMs: o.registry.livenessMs, nowUnixMs: Date.now() });
  if (path === "/api/ui" && method === "GET") return json(200, { mode: "controller" });
  if (path === "/api/agents" && method === "GET") return json(200, fleet());
  if (path === "/api/agents/events" && method === "GET") return fleetEvents(request.signal, fleet);
  if (path === "/api/runs" && method === "GET") {
    const query = runQueryOf(url.searchParams);
    return "error" in query ? json(400, { error: query.error }) : json(200, o.runs.page(query));
  }
  if (path === "/api/runs" && method === "POST") return submit(request, o, gate, (body) => o.runs.submit(body).then((run) => json(202, { id: run.id, run: run.view() })));
  if (path === "/api/plans/validate" && method === "POST") return submit(request, o, gate, async (body) => json(200, { ok: true, ...(await o.runs.validate(body)) }));
  const m = /^\/api\/runs\/([A-Za-z0-9_-]+)(\/(?:control|events|series|plan|report))?$/.exec(path);
  if (m) {
    const id = m[1]!;
    const sub = m[2];
    if (!sub && method === "GET") {
      const view = o.runs.get(id);
      return view ? json(200, view) : json(404, { error: `no run ${id}` });
    }
    if (sub === "/series" && method === "GET") {
      // docs/api.md SeriesResponse: one point per second, each metric in its type's one shape.
      return o.runs.get(id) ? json(200, { runId: id, series: o.store.series(id) }) : json(404, { error: `no run ${id}` });
    }
    if (sub === "/plan" && method === "GET") {
      const yaml = o.store.planYaml(id);
      return yaml === undefined ? json(404, { error: `no run ${id}` }) : new Response(yaml, { headers: { "content-type": "text/yaml; charset=utf-8" } });
    }
    if (sub === "/report" && method === "GET") return report(id, o);
    if (sub === "/control" && method === "POST") {
      const read = await readJsonBody(request, MAX_CONTROL_BYTES, "a control");
      if (!read.ok) return json(read.status, { error: read.error });
      if (typeof read.value !== "object" || read.value === null || Array.isArray(read.value)) {
        return json(400, { error: `a control must be a JSON object such as {"action": "stop"}` });
      }
      const body = read.value as { action?: unknown };
      const run = o.runs.live(id);
      if (!run) {
        const stored = o.runs.get(id);
        return stored ? json(409, { error: `run ${id} is already ${stored.status}` }) : json(404, { error: `no run ${id}` });
      }
      const action = body.action;
      if (!isRunControl(action)) {
        return json(400, { error: `action must be one of ${CONTROL_ACTIONS.join(", ")} (got ${JSON.stringify(action ?? null)})` });
      }
      const problem = run.control(action, body);
      return problem ? json(problem.status, { error: problem.error }) : json(200, { ok: true, run: run.view() });
    }
    if (sub === "/events" && method === "GET") return events(id, o, request.signal);
  }
  return json(404, { error: `no route ${method} ${path}` });
}

/** The run's HTML report from its view and stored series (the renderer is loaded on first use). */
async function report(id: string, o: HttpApiOptions): Promise<Response> {
  const view = o.runs.get(id);
  if (!view) return json(404, { error: `no run ${id}` });
  const [{ renderReport }, { controllerRunInput }] = await Promise.all([import("../report/render.ts"), import("../report/sources.ts")]);
  const html = await renderReport(controllerRunInput(view, o.store.series(id) as SeriesPoint[], Date.now()));
  return new Response(html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      // The page is self-contained: it may run its inline script and nothing else.
      "content-security-policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:",
      "x-content-type-options": "nosniff",
    },
  });
}

/** Reads a SubmitRequest within the submission gate and hands it to `accept` (submit or validate). */
async function submit(request: Request, o: HttpApiOptions, gate: Gate, accept: (body: unknown) => Promise<Response>): Promise<Response> {
  if (gate.submissions >= MAX_CONCURRENT_SUBMISSIONS) {
    return new Response(JSON.stringify({ error: `${gate.submissions} submissions are being received already (at most ${MAX_CONCURRENT_SUBMISSIONS} at once); retry in a moment` }), {
      status: 429,
      headers: { "content-type": "application/json; charset=utf-8", "retry-after": "1" },
    });
  }
  gate.submissions++;
  try {
    const read = await readJsonBody(request, MAX_SUBMISSION_BYTES, SUBMISSION_LIMIT_TEXT);
    if (!read.ok) return json(read.status, { error: read.error });
    return await accept(read.value);
  } catch (error) {
    if (error instanceof SubmissionError) return json(error.status, { error: error.message, hint: error.hint, exitCode: error.exitCode });
    if (error instanceof LoadrError) {
      return json(error.exitCode === exitCodeOf("invalid-config") ? 422 : 400, { error: error.message, hint: error.hint, exitCode: error.exitCode });
    }
    throw error;
  } finally {
    gate.submissions--;
  }
}

function events(id: string, o: HttpApiOptions, signal: AbortSignal): Response {
  const run = o.runs.live(id);
  const stored = run ? undefined : o.runs.get(id);
  if (!run && !stored) return json(404, { error: `no run ${id}` });
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (event: RunEventView) => {
        if (!open) return;
        controller.enqueue(encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
        if (event.type === "finished") close();
      };
      const keepalive = setInterval(() => open && controller.enqueue(encoder.encode(": keepalive\n\n")), SSE_KEEPALIVE_MS);
      let unsubscribe = () => {};
      const close = () => {
        if (!open) return;
        open = false;
        clearInterval(keepalive);
        unsubscribe();
        try {
          controller.close();
        } catch {}
      };
      cleanup = close;
      signal.addEventListener("abort", close);
      if (run) {
        // Past events first: a run that already ended has its `finished` event among them.
        const sub = run.subscribe(send);
        unsubscribe = sub.unsubscribe;
        for (const e of sub.past) send(e);
        return;
      }
      const view = stored!;
      send({
        type: "finished", runId: view.id, status: view.status, exitCode: view.exitCode ?? exitCodeOf("failed"), summary: view.summary,
        ...(view.error ? { error: view.error } : {}), atUnixMs: view.endedAtUnixMs ?? Date.now(),
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" } });
}
