// `loadr run PLAN --dashboard[=HOST:PORT]`: the web UI's run page for a local run, served by the
// run's own process (k6's web dashboard, with loadr's run page). It answers the controller's run
// routes (docs/api.md) for its one run, id "local", so the page is the same code:
//   GET  /api/ui                   {mode: "dashboard", runId: "local"}
//   GET  /api/runs/local           RunView (summary and detail once the run ended)
//   GET  /api/runs/local/series    SeriesResponse: every second so far
//   GET  /api/runs/local/events    SSE: status events, a progress event a second, finished
//   POST /api/runs/local/control   {action: pause | resume | stop | scale, scenario?, vus?}
//   GET  /, /assets/*              the page (webui/serve.ts)
// Same security headers and cross-site guard as the controller (webui/http-guard.ts); no token,
// so it binds to loopback unless told otherwise (the caller warns).
//
// Contract: `consumer` is added to the run's loop (core/run/run-loop.ts): onTick records the
// second and emits progress; onFinish records the summary and the outcome and emits `finished`.
// Single-threaded; nothing blocks the loop. `stop()` ends the server and every open stream.
import type { RunConsumer, RunResult, RunSnapshot } from "../core/run/run-loop.ts";
import type { LocalRun } from "../core/run/types.ts";
import { readScaleRequest } from "../core/run/scale-request.ts";
import type { Aggregator } from "../metrics/aggregator.ts";
import type { RunEventView, RunStatus, RunView, SeriesPoint } from "../cluster/api-types.ts";
import { intervalMetrics } from "../cluster/controller/metric-fields.ts";
import { EventFeed } from "../cluster/controller/run-events.ts";
import { readJsonBody } from "../cluster/http-body.ts";
import type { LocalLoopStatus } from "../cli/run/live-view.ts";
import { crossSiteProblem, withSecurityHeaders } from "./http-guard.ts";
import { runDetail, type RunDetail } from "./run-detail.ts";
import { serveWebui, webuiAssets } from "./serve.ts";
import { sseResponse } from "./sse.ts";

export const DASHBOARD_RUN_ID = "local";
export const DEFAULT_DASHBOARD_ADDRESS = "127.0.0.1:5665";
const MAX_CONTROL_BYTES = 64 * 1024;
/** Seconds of series kept (a day); older points are dropped from the page's history. */
const MAX_POINTS = 86_400;

export interface DashboardOptions {
  hostname: string;
  port: number;
  planName: string;
  planFile: string;
  run: LocalRun;
  aggregator: Aggregator;
  /** Scenarios that accept `scale` (core/run/scale-request.ts). */
  scalable: readonly string[];
  /** A graceful stop through the same path as Ctrl-C. */
  stop(): void;
  now?: () => number;
}

export interface Dashboard {
  url: string;
  consumer: RunConsumer<LocalLoopStatus>;
  stop(): Promise<void>;
}

const json = (status: number, body: unknown) => Response.json(body, { status });

const statusOfOutcome = (kind: string): RunStatus => (kind === "interrupted" ? "stopped" : kind === "failed" ? "failed" : kind === "aborted-by-threshold" ? "aborted" : "finished");

export function startDashboard(o: DashboardOptions): Dashboard {
  const now = o.now ?? Date.now;
  const feed = new EventFeed();
  const points: SeriesPoint[] = [];
  const submittedAtUnixMs = now();
  let startAtUnixMs: number | undefined;
  let detail: RunDetail | undefined;
  let ended: { status: RunStatus; exitCode: number; summary: unknown; error?: string; atUnixMs: number } | undefined;
  let lastStatus: RunStatus | undefined;

  const status = (): RunStatus => ended?.status ?? (o.run.status().state as RunStatus);
  const view = (): RunView => ({
    id: DASHBOARD_RUN_ID, planName: o.planName, planFile: o.planFile, status: status(), submittedAtUnixMs,
    ...(startAtUnixMs !== undefined ? { startAtUnixMs } : {}),
    ...(ended ? { endedAtUnixMs: ended.atUnixMs, exitCode: ended.exitCode, summary: ended.summary, ...(ended.error ? { error: ended.error } : {}) } : {}),
    onAgentLoss: "continue", agents: [], notes: [],
    ...(detail ? { detail } : {}),
  });
  const emitStatus = (message?: string) => {
    const s = status();
    if (s === lastStatus && message === undefined) return;
    lastStatus = s;
    feed.emit({ type: "status", runId: DASHBOARD_RUN_ID, status: s, message: message ?? s, atUnixMs: now() });
  };

  const consumer: RunConsumer<LocalLoopStatus> = {
    name: "dashboard",
    onTick(s: RunSnapshot<LocalLoopStatus>) {
      startAtUnixMs ??= s.interval.startUnixMs;
      const metrics = intervalMetrics(s.interval.metrics);
      points.push({ elapsedMs: s.status.elapsedMs, data: metrics });
      if (points.length > MAX_POINTS) points.splice(0, points.length - MAX_POINTS);
      detail = runDetail(o.aggregator, s.thresholds);
      emitStatus();
      const { elapsedMs, activeVus, maxVus, reporting, scenarios } = s.status;
      feed.emit({
        type: "progress", runId: DASHBOARD_RUN_ID, elapsedMs, reporting, final: s.final, activeVus, maxVus,
        fleet: { agents: 0, healthy: 0, done: 0, failed: 0, lost: 0 }, scenarios, metrics, detail, agentRates: [], atUnixMs: now(),
      });
    },
    onFinish(result: RunResult<LocalLoopStatus>) {
      ended = {
        status: statusOfOutcome(result.outcome.kind), exitCode: result.exitCode, summary: result.summary, atUnixMs: now(),
        ...(result.outcome.kind === "failed" ? { error: result.outcome.reason } : {}),
      };
      emitStatus(ended.status);
      feed.emit({ type: "finished", runId: DASHBOARD_RUN_ID, status: ended.status, exitCode: ended.exitCode, summary: ended.summary, atUnixMs: ended.atUnixMs });
      feed.close();
    },
  };
  emitStatus("started");

  const control = async (request: Request): Promise<Response> => {
    const read = await readJsonBody(request, MAX_CONTROL_BYTES, "a control");
    if (!read.ok) return json(read.status, { error: read.error });
    const body = (typeof read.value === "object" && read.value !== null ? read.value : {}) as { action?: unknown };
    if (ended) return json(409, { error: `the run is already ${ended.status}` });
    switch (body.action) {
      case "pause":
        o.run.pause();
        break;
      case "resume":
        o.run.resume();
        break;
      case "stop":
      case "kill":
        o.stop();
        break;
      case "scale": {
        const scale = readScaleRequest(body, o.scalable);
        if ("error" in scale) return json(400, { error: scale.error });
        o.run.scale(scale.scenario, scale.vus);
        break;
      }
      default:
        return json(400, { error: `action must be one of pause, resume, stop, kill, scale (got ${JSON.stringify(body.action ?? null)?.slice(0, 40)})` });
    }
    emitStatus(`${body.action} from the dashboard`);
    return json(200, { ok: true, run: view() });
  };

  const route = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname.replace(/\/+$/, "") || "/";
    const crossSite = crossSiteProblem(request);
    if (crossSite) return json(403, { error: crossSite });
    const page = await serveWebui(request, path);
    if (page) return page;
    const base = `/api/runs/${DASHBOARD_RUN_ID}`;
    if (request.method === "GET") {
      if (path === "/api/ui") return json(200, { mode: "dashboard", runId: DASHBOARD_RUN_ID });
      if (path === base) return json(200, view());
      if (path === `${base}/series`) return json(200, { runId: DASHBOARD_RUN_ID, series: points });
      if (path === `${base}/events`) {
        return sseResponse(request.signal, (source) => {
          const send = (e: RunEventView) => {
            source.send(e.type, e);
            if (e.type === "finished") queueMicrotask(() => source.close());
          };
          const sub = feed.subscribe(send);
          for (const e of sub.past) send(e);
          return sub.unsubscribe;
        });
      }
    }
    if (request.method === "POST" && path === `${base}/control`) return control(request);
    return json(404, { error: `no route ${request.method} ${path} (this is the dashboard of one local run)` });
  };

  // Built (from source) or unpacked (the binary) now, so the first page view does not wait for it.
  void webuiAssets();
  const server = Bun.serve({
    hostname: o.hostname,
    port: o.port,
    idleTimeout: 0,
    fetch: (request) => route(request).then(withSecurityHeaders, () => withSecurityHeaders(json(500, { error: "the dashboard could not answer this request" }))),
  });
  const host = o.hostname.includes(":") ? `[${o.hostname}]` : o.hostname;
  return { url: `http://${host}:${server.port}`, consumer, stop: () => server.stop(true) };
}
