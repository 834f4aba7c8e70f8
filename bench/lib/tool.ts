// The contract every load generator adapter implements, and how the suites run one invocation.
import { basename } from "node:path";
import type { JobResult } from "./proc.ts";
import { startJob } from "./proc.ts";
import type { ProcUsage, ToolMetrics, ToolName } from "./types.ts";

/** The same load, described once, for every tool. */
export interface LoadSpec {
  /** Full URL of the target path, e.g. http://127.0.0.1:PORT/ */
  url: string;
  /** Concurrent connections / VUs / users (closed model), or the in-flight cap under a rate. */
  connections: number;
  durationSec: number;
  /** Fixed arrival rate in req/s (latency suite); only passed to tools with `fixedRate`. */
  rate?: number;
}

export interface ToolContext {
  /** Directory for this run's files (plans, reports, logs). */
  dir: string;
  /** File-name prefix unique to this run, e.g. "r1-throughput-wrk". */
  prefix: string;
  cores: number;
  /** Generator threads asked for with --workers (null: the tool's default). */
  workers: number | null;
}

export interface ProcSpec {
  name: string;
  cmd: string[];
  env?: Record<string, string>;
  /** The run ends when the main process exits; the others are helpers (Locust workers). */
  main: boolean;
}

export interface Invocation {
  procs: ProcSpec[];
  /** Files written for or by this run, relative to ctx.dir (kept in the results). */
  files: string[];
  /** Exit codes that mean "ran" (default [0]); loadr also exits 99 when a threshold fails. */
  okExitCodes?: number[];
  parse(main: JobResult): Promise<ToolMetrics> | ToolMetrics;
}

export interface ToolAdapter {
  readonly name: ToolName;
  /** How the tool holds a fixed arrival rate, for the latency suite's notes. */
  readonly rateModel: string;
  /** True when the tool can hold a fixed request rate itself. */
  readonly fixedRate: boolean;
  /** null when the tool can run; otherwise what is missing and how to fix it. */
  missing(): string | null;
  version(): Promise<string>;
  invocation(spec: LoadSpec, ctx: ToolContext): Promise<Invocation>;
}

export interface Execution {
  metrics: ToolMetrics;
  usage: ProcUsage;
  files: string[];
}

const HELPER_EXIT_GRACE_MS = 5_000;

/**
 * Runs one invocation: the main process under a hard time limit, helpers alongside it; sums CPU
 * and peak RSS over all of them. Throws with the tool's own stderr tail when it fails.
 */
export async function execute(inv: Invocation, timeoutMs: number, logPrefix?: string): Promise<Execution & { main: JobResult }> {
  const mainSpec = inv.procs.find((p) => p.main);
  if (!mainSpec) throw new Error("invocation without a main process");
  const mainJob = startJob({ name: mainSpec.name, cmd: mainSpec.cmd, env: mainSpec.env, timeoutMs, capture: true });
  const helpers = inv.procs
    .filter((p) => !p.main)
    .map((p) => startJob({ name: p.name, cmd: p.cmd, env: p.env, timeoutMs: timeoutMs + HELPER_EXIT_GRACE_MS, capture: true }));
  const main = await mainJob.done;
  const helperResults = await Promise.all(
    helpers.map(async (h) => {
      const quit = await Promise.race([h.done, Bun.sleep(HELPER_EXIT_GRACE_MS).then(() => null)]);
      return quit ?? h.stop();
    }),
  );
  const logs: string[] = [];
  if (logPrefix) {
    for (const [i, r] of [main, ...helperResults].entries()) {
      const name = `${logPrefix}-${i === 0 ? mainSpec.name : (helpers[i - 1]?.name ?? i)}`;
      await Bun.write(`${name}.stdout.log`, r.stdout);
      await Bun.write(`${name}.stderr.log`, r.stderr);
      logs.push(`${basename(name)}.stdout.log`, `${basename(name)}.stderr.log`);
    }
  }
  if (main.timedOut) throw new Error(`${mainSpec.name} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`);
  if (main.exitCode === null || !(inv.okExitCodes ?? [0]).includes(main.exitCode)) {
    const tail = (main.stderr.trim() || main.stdout.trim()).split("\n").slice(-8).join("\n");
    throw new Error(`${mainSpec.name} exited with ${main.exitCode ?? main.signal}: ${tail}`);
  }
  const all = [main, ...helperResults];
  const usage: ProcUsage = {
    wallSec: main.wallSec,
    cpuSec: all.reduce((s, r) => s + r.cpuSec, 0),
    // Per-process peaks summed: an upper bound of the tree's peak when there are helpers.
    peakRssMb: all.reduce((s, r) => s + r.peakRssMb, 0),
  };
  const metrics = await inv.parse(main);
  return { metrics, usage, files: [...inv.files, ...logs], main };
}

/** Parses "441.00us", "1.27ms", "2.00s", "1.5m" (wrk's units) into milliseconds. */
export function durationToMs(text: string): number | null {
  const m = /^([\d.]+)\s*(us|ms|s|m|h)$/.exec(text.trim());
  if (!m) return null;
  const v = Number(m[1]);
  const unit = m[2];
  return unit === "us" ? v / 1000 : unit === "ms" ? v : unit === "s" ? v * 1000 : unit === "m" ? v * 60_000 : v * 3_600_000;
}

/** Parses "67.44k" / "1.2M" / "123" counts. */
export function countValue(text: string): number | null {
  const m = /^([\d.]+)([kMG]?)$/.exec(text.trim());
  if (!m) return null;
  const mult = m[2] === "k" ? 1e3 : m[2] === "M" ? 1e6 : m[2] === "G" ? 1e9 : 1;
  return Number(m[1]) * mult;
}

export async function commandOutput(cmd: string[]): Promise<string> {
  try {
    const p = Bun.spawn(cmd, { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
    const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()]);
    await p.exited;
    return (out.trim() || err.trim()).split("\n")[0] ?? "";
  } catch {
    return "";
  }
}

/** Version of a Debian package, or "". */
export async function debVersion(pkg: string): Promise<string> {
  const v = await commandOutput(["dpkg-query", "-W", "-f", "${Version}", pkg]);
  return v ? `${pkg} ${v} (Debian)` : "";
}
