// The processes of the chaos and soak scripts, all on loopback and all started, signalled and
// stopped by PID through bench/lib/proc.ts: the counting demo target (`loadr demo`, whose
// /_stats counts every request it served), a controller on fixed ports (so it can be killed and
// started again where its agents reconnect), agents with stable ids, and a local `loadr run`.
// Plus the HTTP API calls the scripts make. Every wait is bounded.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseReadyLine } from "../../bench/lib/cluster/controller-proc.ts";
import { statusKb } from "../../bench/lib/cluster/procstat.ts";
import { freePort, startJob, treePids, type Job } from "../../bench/lib/proc.ts";

const READY_MS = 30_000;

/** How loadr is started: `source` (this Bun on src/main.ts), `auto` (the compiled binary when built, else the source), or a path. */
export function loadrCommand(which: string): string[] {
  const root = join(import.meta.dir, "../..");
  const binary = join(root, "dist", `loadr-${process.platform}-${process.arch}`);
  if (which === "source" || (which === "auto" && !existsSync(binary))) return [process.execPath, join(root, "src/main.ts")];
  const path = which === "auto" ? binary : which;
  if (!existsSync(path)) throw new Error(`no loadr at ${path} (npm run build makes ${binary})`);
  return [path];
}

export async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined | false> | T | undefined | false, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await Promise.resolve().then(probe).catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${Math.round(ms / 1000)} s`);
    await Bun.sleep(everyMs);
  }
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: HTTP ${res.status} ${body.error ?? ""}`);
  return body;
}

/** Resident memory of a process and its threads/children, MB. */
export function rssMb(pid: number): number {
  return (statusKb(treePids(pid), "VmRSS") * 1024) / 1e6;
}

/** A process whose stdout/stderr go to files in `logDir`, with what it printed so far. */
export interface Proc {
  job: Job;
  name: string;
  /** Resolves when it exits; `exitedAt` is then set (Date.now()). */
  exitedAt?: number;
  exitCode?: number | null;
  signal?: string | null;
  output(): string;
  alive(): boolean;
}

export function spawnLoadr(cmd: string[], args: string[], name: string, logDir: string, timeoutMs: number): Proc {
  const base = join(logDir, name.replace(/\W+/g, "-"));
  const stdoutPath = `${base}.${Date.now()}.stdout.txt`;
  const stderrPath = `${base}.${Date.now()}.stderr.txt`;
  const job = startJob({ name, cmd: [...cmd, ...args], env: { NO_COLOR: "1" }, timeoutMs, stdoutPath, stderrPath });
  const proc: Proc = {
    job,
    name,
    output: () => [stdoutPath, stderrPath].map((p) => (existsSync(p) ? readFileSync(p, "utf8") : "")).join(""),
    alive: () => proc.exitedAt === undefined,
  };
  void job.done.then((r) => {
    proc.exitedAt = Date.now();
    proc.exitCode = r.exitCode;
    proc.signal = r.signal;
  });
  return proc;
}

export interface Demo {
  proc: Proc;
  url: string;
  total(): Promise<number>;
  reset(): Promise<void>;
  /** The total once it has not moved for `quietMs` (load has stopped), within `ms`. */
  settled(quietMs: number, ms: number): Promise<number>;
}

export async function startDemo(cmd: string[], logDir: string, timeoutMs: number): Promise<Demo> {
  const proc = spawnLoadr(cmd, ["demo", "--port", "0"], "demo", logDir, timeoutMs);
  const url = await until("the demo target listening", READY_MS, () => /listening on (http:\/\/[\d.]+:\d+)/.exec(proc.output())?.[1] ?? (proc.alive() ? undefined : Promise.reject(new Error("exited"))));
  const total = async () => (await getJson<{ total: number }>(`${url}/_stats`)).total;
  return {
    proc,
    url,
    total,
    reset: async () => void (await getJson(`${url}/_stats/reset`, { method: "POST" })),
    async settled(quietMs, ms) {
      const deadline = Date.now() + ms;
      let last = await total();
      let since = Date.now();
      while (Date.now() - since < quietMs) {
        if (Date.now() > deadline) throw new Error(`the target's count was still moving ${Math.round(ms / 1000)} s later (at ${last})`);
        await Bun.sleep(100);
        const now = await total();
        if (now !== last) {
          last = now;
          since = Date.now();
        }
      }
      return last;
    },
  };
}

export interface ControllerProc {
  proc: Proc;
  grpc: string;
  http: string;
}

/** Ports for a controller that is restarted in place (its agents reconnect to the same address). */
export async function controllerPorts(): Promise<{ grpcPort: number; httpPort: number }> {
  return { grpcPort: await freePort(), httpPort: await freePort() };
}

export async function startControllerAt(cmd: string[], ports: { grpcPort: number; httpPort: number }, dataDir: string, logDir: string, timeoutMs: number): Promise<ControllerProc> {
  const proc = spawnLoadr(cmd, ["controller", "--bind", `127.0.0.1:${ports.grpcPort}`, "--http", `127.0.0.1:${ports.httpPort}`, "--data-dir", dataDir], "controller", logDir, timeoutMs);
  const ready = await until("the controller ready", READY_MS, () => parseReadyLine(proc.output()) ?? (proc.alive() ? undefined : Promise.reject(new Error(`exited: ${proc.output().slice(-400)}`))));
  return { proc, grpc: ready.grpc, http: ready.http };
}

export function startAgentProc(cmd: string[], join_: string, name: string, logDir: string, timeoutMs: number): Proc {
  return spawnLoadr(cmd, ["agent", "--join", join_, "--name", name, "--agent-id", `${name}-id`, "--workers", "1"], name, logDir, timeoutMs);
}

export interface AgentInfo {
  id: string;
  name: string;
  state: string;
}

export const agentsOf = (http: string) => getJson<{ agents: AgentInfo[] }>(`${http}/api/agents`).then((r) => r.agents);

export interface RunInfo {
  id: string;
  status: string;
  startAtUnixMs?: number;
  error?: string;
  notes?: string[];
  summary?: {
    notes: string[];
    metrics: Array<{ name: string; values: Record<string, number> }>;
    fleet?: { agents?: Array<{ name: string; state: string; unreportedEstimate?: { windowMs: number; requests: number; iterations: number } }> };
  };
}

export async function submit(http: string, plan: string): Promise<string> {
  const r = await getJson<{ id: string }>(`${http}/api/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ plan, planFile: "chaos.yaml" }) });
  return r.id;
}

export const runOf = (http: string, id: string) => getJson<RunInfo>(`${http}/api/runs/${id}`);

export const FINAL = ["finished", "stopped", "failed", "aborted", "interrupted"];

/** A summary metric's value (0 when the metric has no samples). */
export function metricValue(run: RunInfo, name: string, field: string): number {
  return run.summary?.metrics.find((m) => m.name === name)?.values[field] ?? 0;
}
