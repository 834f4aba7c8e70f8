// `loadr controller` as a child process of the bench (so /proc measures it alone): started with
// port 0 for gRPC and HTTP, ready when it prints where agents join; stopped by PID through
// lib/proc.ts. Plus the two HTTP API calls the suite needs (submit, read a run).
import { existsSync, readFileSync } from "node:fs";
import { startJob, treePids, type Job } from "../proc.ts";

const READY_TIMEOUT_MS = 20_000;

export interface ControllerProc {
  job: Job;
  /** "127.0.0.1:PORT" agents join. */
  grpc: string;
  /** "http://127.0.0.1:PORT". */
  http: string;
  /** The controller's process tree now. */
  pids(): number[];
}

/** Parses the controller's ready line: "loadr controller ID: agents join HOST:PORT; HTTP API URL". */
export function parseReadyLine(text: string): { grpc: string; http: string } | null {
  const m = /agents join ([\d.]+:\d+); HTTP API (http:\/\/[\d.]+:\d+)/.exec(text);
  return m ? { grpc: m[1]!, http: m[2]! } : null;
}

export async function startControllerProc(argv: string[], dataDir: string, logPrefix: string, timeoutMs: number): Promise<ControllerProc> {
  const stdoutPath = `${logPrefix}.stdout.txt`;
  const stderrPath = `${logPrefix}.stderr.txt`;
  const job = startJob({
    name: "loadr controller",
    cmd: [...argv, "controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", dataDir],
    env: { NO_COLOR: "1" },
    timeoutMs,
    stdoutPath,
    stderrPath,
  });
  let exited = false;
  void job.done.then(() => (exited = true));
  let ready: { grpc: string; http: string } | null = null;
  const deadline = performance.now() + READY_TIMEOUT_MS;
  while (!ready && !exited && performance.now() < deadline) {
    await Bun.sleep(50);
    ready = existsSync(stdoutPath) ? parseReadyLine(readFileSync(stdoutPath, "utf8")) : null;
  }
  if (!ready) {
    await job.stop();
    const err = existsSync(stderrPath) ? readFileSync(stderrPath, "utf8").trim().split("\n").slice(-5).join(" | ") : "";
    throw new Error(`the loadr controller ${exited ? "exited" : `was not ready within ${READY_TIMEOUT_MS / 1000} s`}${err ? `: ${err}` : ""}`);
  }
  const r: { grpc: string; http: string } = ready;
  return { job, grpc: r.grpc, http: r.http, pids: () => treePids(job.pid) };
}

async function api<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${res.status} ${body.error ?? ""}`);
  return body;
}

export async function submitPlan(http: string, plan: string): Promise<string> {
  const body = await api<{ id: string }>(`${http}/api/runs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ plan, planFile: "bench-cluster.yaml" }),
  });
  return body.id;
}

export interface RunInfo {
  status: string;
  error?: string;
  summary?: { metrics: Array<{ name: string; values: Record<string, number> }> };
}

export function getRun(http: string, id: string): Promise<RunInfo> {
  return api<RunInfo>(`${http}/api/runs/${id}`);
}

/** A whole metric's value from a run summary (e.g. http_reqs count). */
export function summaryValue(run: RunInfo, metric: string, field: string): number | null {
  const m = run.summary?.metrics.find((x) => x.name === metric);
  return m?.values[field] ?? null;
}
