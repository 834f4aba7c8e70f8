// Real loadr processes from source for the cluster tests: `loadr controller`, `loadr agent`,
// `loadr run`, each spawned on loopback and killed by PID by `killAll` (call it in afterEach).
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { waitFor } from "./helpers.ts";

const MAIN = join(import.meta.dir, "../../../src/main.ts");
const children: ChildProcess[] = [];

export type Loadr = ChildProcess & {
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process ended. */
  exited: Promise<number | string>;
};

export function loadr(args: string[], env: Record<string, string> = {}): Loadr {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", ...env } });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? "?")));
  return Object.assign(child, { output: () => output, exited });
}

/** Kills (SIGCONT first, for a stopped one, then SIGKILL) every process still running. */
export function killAll(): void {
  for (const c of children.splice(0)) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    c.kill("SIGCONT");
    c.kill("SIGKILL");
  }
}

export async function startController(dataDir: string, bind = "127.0.0.1:0") {
  const c = loadr(["controller", "--bind", bind, "--http", "127.0.0.1:0", "--data-dir", dataDir]);
  const m: RegExpExecArray = await waitFor("controller ready", () => /agents join ([\d.]+:\d+); HTTP API (http:\/\/[\d.:]+)/.exec(c.output()) ?? undefined, 15_000);
  return { process: c, grpc: m[1]!, http: m[2]! };
}

export async function agentsOf(http: string): Promise<Array<{ name: string; state: string }>> {
  return ((await (await fetch(`${http}/api/agents`)).json()) as { agents: Array<{ name: string; state: string }> }).agents;
}

/** Starts one `loadr agent --workers 1` per name and waits until all are idle. */
export async function startAgents(ctrl: { grpc: string; http: string }, names: string[]): Promise<Map<string, Loadr>> {
  const agents = new Map(names.map((name) => [name, loadr(["agent", "--join", ctrl.grpc, "--name", name, "--workers", "1"])] as const));
  await waitFor(`${names.length} idle agents`, async () => (await agentsOf(ctrl.http)).filter((x) => x.state === "idle").length === names.length, 20_000);
  return agents;
}
