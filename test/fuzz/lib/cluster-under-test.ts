// The system the coordination and HTTP API properties attack: a REAL `loadr controller` process
// on loopback (port 0, temp data dir; started and stopped by PID through bench/lib/proc.ts), one
// real `loadr agent` process beside it, and the counting demo target in this process. Between
// inputs, `assertHealthy` checks the controller is still running and answering /healthz; after
// the noise, `realRunExact` runs a plan on the real agent and compares the merged count with the
// target's own count, which must be equal.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startControllerProc, type ControllerProc } from "../../../bench/lib/cluster/controller-proc.ts";
import { statusKb } from "../../../bench/lib/cluster/procstat.ts";
import { startJob, type Job } from "../../../bench/lib/proc.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";

/** A controller that does not answer /healthz within this is frozen (a property failure). */
export const HEALTH_TIMEOUT_MS = 5_000;
/** Bounds on the whole system's life and on one real run. */
const LIFETIME_MS = 30 * 60_000;
const REAL_RUN_TIMEOUT_MS = 60_000;
const AGENT_READY_MS = 30_000;

/** How loadr is started: the source through this Bun (default) or a compiled binary. */
function loadrArgv(binary?: string): string[] {
  return binary ? [binary] : [process.execPath, join(import.meta.dir, "../../../src/main.ts")];
}

export interface ClusterUnderTest {
  http: string;
  grpc: string;
  dataDir: string;
  controllerPid: number;
  /** The label value that selects the real agent (no noise agent carries it). */
  realSelector: Record<string, string>;
  /** The real agent's id (noise must not take it, except where a property says so). */
  realAgentId: string;
  /** Throws with the controller's last log lines when it exited or does not answer in time. */
  assertHealthy(after: string): Promise<void>;
  /** The controller's resident memory now (MB). */
  controllerRssMb(): number;
  /** The controller's peak resident memory so far (MB, the kernel's VmHWM). */
  controllerPeakMb(): number;
  /** A plan on the real agent: throws unless its merged http_reqs equals the target's count. */
  realRunExact(iterations: number): Promise<{ reported: number; target: number }>;
  stop(): Promise<void>;
}

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
  return { status: res.status, body: (await res.json()) as T };
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000} s`);
    await Bun.sleep(50);
  }
}

/** `agent: false` leaves the real agent out (properties that never run load). */
export async function startClusterUnderTest(options: { binary?: string; agent?: boolean } = {}): Promise<ClusterUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), "loadr-fuzz-"));
  const dataDir = join(dir, "data");
  const argv = loadrArgv(options.binary);
  let ctrl: ControllerProc | undefined;
  let agent: Job | undefined;
  let demo: DemoServer | undefined;
  const stop = async () => {
    await agent?.stop();
    await ctrl?.job.stop();
    await demo?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    ctrl = await startControllerProc(argv, dataDir, join(dir, "controller"), LIFETIME_MS);
    demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
    const realSelector = { "fuzz-real": crypto.randomUUID() };
    const realAgentId = `fuzz-real-${crypto.randomUUID().slice(0, 8)}`;
    if (options.agent !== false) agent = startJob({
      name: "loadr agent",
      cmd: [...argv, "agent", "--join", ctrl.grpc, "--name", "fuzz-real", "--agent-id", realAgentId, "--workers", "1", "--labels", `fuzz-real=${realSelector["fuzz-real"]}`],
      env: { NO_COLOR: "1" },
      timeoutMs: LIFETIME_MS,
      stdoutPath: join(dir, "agent.stdout.txt"),
      stderrPath: join(dir, "agent.stderr.txt"),
    });
    const c = ctrl;
    const d = demo;
    if (agent) await until("the real agent registering", AGENT_READY_MS, async () => {
      const { body } = await json<{ agents: Array<{ id: string; state: string }> }>(`${c.http}/api/agents`);
      return body.agents.some((a) => a.id === realAgentId && a.state === "idle") || undefined;
    });
    const logTail = () => {
      try {
        return readFileSync(join(dir, "controller.stderr.txt"), "utf8").trim().split("\n").slice(-8).join("\n    ");
      } catch {
        return "(no log)";
      }
    };
    let exited: string | undefined;
    void c.job.done.then((r) => (exited = `exit code ${r.exitCode}${r.signal ? `, signal ${r.signal}` : ""}`));
    return {
      http: c.http,
      grpc: c.grpc,
      dataDir,
      controllerPid: c.job.pid,
      realSelector,
      realAgentId,
      async assertHealthy(after) {
        if (exited) throw new Error(`the controller died (${exited}) after ${after}; its log:\n    ${logTail()}`);
        const t0 = performance.now();
        try {
          const { status } = await json(`${c.http}/healthz`);
          if (status !== 200) throw new Error(`HTTP ${status}`);
        } catch (error) {
          await Bun.sleep(50);
          if (exited) throw new Error(`the controller died (${exited}) after ${after}; its log:\n    ${logTail()}`);
          throw new Error(`the controller did not answer /healthz within ${HEALTH_TIMEOUT_MS} ms after ${after} (${(error as Error).message}, ${Math.round(performance.now() - t0)} ms); its log:\n    ${logTail()}`);
        }
      },
      controllerRssMb: () => (statusKb(c.pids(), "VmRSS") * 1024) / 1e6,
      controllerPeakMb: () => (statusKb(c.pids(), "VmHWM") * 1024) / 1e6,
      async realRunExact(iterations) {
        if (!agent) throw new Error("this cluster under test has no real agent");
        const before = (await json<{ total: number }>(`${d.url}/_stats`)).body.total;
        const plan = `name: fuzz-real-run
baseUrl: ${d.url}
scenarios:
  real:
    executor: shared-iterations
    vus: 2
    iterations: ${iterations}
    maxDuration: 30s
    flow:
      - request: { name: home, url: / }
cluster:
  agents: 1
  wait: 20s
  selector: { fuzz-real: "${realSelector["fuzz-real"]}" }
`;
        const submitted = await json<{ id?: string; error?: string }>(`${c.http}/api/runs`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ plan, planFile: "fuzz-real.yaml" }),
        });
        if (submitted.status !== 202 || !submitted.body.id) throw new Error(`the real run was refused: ${submitted.status} ${submitted.body.error}`);
        const id = submitted.body.id;
        type View = { status: string; error?: string; summary?: { metrics: Array<{ name: string; values: Record<string, number> }> } };
        const view = await until(`the real run ${id} ending`, REAL_RUN_TIMEOUT_MS, async () => {
          const v = (await json<View>(`${c.http}/api/runs/${id}`)).body;
          return v.summary || ["failed", "aborted", "interrupted", "stopped"].includes(v.status) ? v : undefined;
        });
        const reported = view.summary?.metrics.find((m) => m.name === "http_reqs")?.values.count ?? 0;
        const target = (await json<{ total: number }>(`${d.url}/_stats`)).body.total - before;
        if (view.status !== "finished" || reported !== iterations || target !== iterations) {
          throw new Error(`the real run beside the noise ended ${view.status}${view.error ? ` (${view.error})` : ""}: reported ${reported}, the target counted ${target}, the plan has ${iterations}`);
        }
        return { reported, target };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
