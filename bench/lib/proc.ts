// Child processes of the bench. Every process is started here, bounded in time, measured
// (CPU seconds from the kernel's rusage, peak RSS of the whole process tree by /proc sampling)
// and stopped by PID: on its own timeout, when its owner stops it, and on Ctrl-C / errors /
// exit through `installCleanup`. Nothing is ever killed by name.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { Subprocess } from "bun";

const SAMPLE_MS = 200;
const KILL_GRACE_MS = 3_000;

export interface JobOptions {
  name: string;
  cmd: string[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Hard limit: the tree is stopped (SIGTERM, then SIGKILL) after this. */
  timeoutMs: number;
  /** Keep stdout/stderr in memory (tools). Otherwise they go to these files (servers). */
  capture?: boolean;
  stdoutPath?: string;
  stderrPath?: string;
}

export interface JobResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  wallSec: number;
  /** user + system CPU of the process and the descendants it reaped. */
  cpuSec: number;
  /** The user and system parts of `cpuSec`. */
  userSec: number;
  sysSec: number;
  /** Peak summed RSS of the process tree (MB), sampled from /proc. */
  peakRssMb: number;
}

export interface Job {
  readonly name: string;
  readonly pid: number;
  readonly done: Promise<JobResult>;
  /** Stops the process tree by PID: SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<JobResult>;
}

const live = new Set<Job>();
/** pid → starttime of every process seen in a live job's tree, so kills never hit a reused PID. */
const seen = new Map<number, Map<number, string>>();

export function startJob(opts: JobOptions): Job {
  const env = { ...process.env, ...opts.env } as Record<string, string>;
  const started = performance.now();
  const proc: Subprocess<"ignore", "pipe", "pipe"> | Subprocess = Bun.spawn(opts.cmd, {
    cwd: opts.cwd,
    env,
    stdin: "ignore",
    stdout: opts.capture ? "pipe" : opts.stdoutPath ? Bun.file(opts.stdoutPath) : "ignore",
    stderr: opts.capture ? "pipe" : opts.stderrPath ? Bun.file(opts.stderrPath) : "ignore",
  });
  const pid = proc.pid;
  const tree = new Map<number, string>();
  seen.set(pid, tree);
  let peakKb = 0;
  const sample = (): void => {
    let sum = 0;
    for (const p of treePids(pid)) {
      const st = readStat(p);
      if (!st) continue;
      if (!tree.has(p)) tree.set(p, st.start);
      sum += rssKb(p);
    }
    if (sum > peakKb) peakKb = sum;
  };
  sample();
  const sampler = setInterval(sample, SAMPLE_MS);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void killTree(pid, tree, proc);
  }, opts.timeoutMs);

  const out = opts.capture && proc.stdout instanceof ReadableStream ? new Response(proc.stdout).text() : Promise.resolve("");
  const err = opts.capture && proc.stderr instanceof ReadableStream ? new Response(proc.stderr).text() : Promise.resolve("");

  // eslint-disable-next-line prefer-const
  let job: Job | undefined;
  const done = (async (): Promise<JobResult> => {
    await proc.exited;
    clearInterval(sampler);
    clearTimeout(timer);
    // Nothing of a tool may outlive it: stop descendants it left behind (by PID, verified).
    tree.delete(pid);
    signalTree(-1, tree, "SIGKILL");
    const [stdout, stderr] = await Promise.all([out, err]);
    const usage = proc.resourceUsage();
    const userSec = usage ? Number(usage.cpuTime.user) / 1e6 : 0;
    const sysSec = usage ? Number(usage.cpuTime.system) / 1e6 : 0;
    if (job) live.delete(job);
    seen.delete(pid);
    return {
      exitCode: proc.exitCode,
      signal: proc.signalCode === null || proc.signalCode === undefined ? null : String(proc.signalCode),
      timedOut,
      stdout,
      stderr,
      wallSec: (performance.now() - started) / 1000,
      cpuSec: userSec + sysSec,
      userSec,
      sysSec,
      // /proc sampling only: the rusage maxRSS Bun reports for a child is the largest of all
      // children so far (RUSAGE_CHILDREN semantics), which made later tools inherit earlier peaks.
      peakRssMb: (peakKb * 1024) / 1e6,
    };
  })();

  job = {
    name: opts.name,
    pid,
    done,
    async stop() {
      await killTree(pid, tree, proc);
      return done;
    },
  };
  live.add(job);
  return job;
}

/** Runs a command to completion (bounded) and returns its result. */
export async function runJob(opts: JobOptions): Promise<JobResult> {
  return startJob({ capture: true, ...opts }).done;
}

async function killTree(pid: number, tree: Map<number, string>, proc: Subprocess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode) return;
  signalTree(pid, tree, "SIGTERM");
  const deadline = performance.now() + KILL_GRACE_MS;
  while (performance.now() < deadline && proc.exitCode === null && !proc.signalCode) await Bun.sleep(50);
  signalTree(pid, tree, "SIGKILL");
}

/** Signals the root and every descendant we saw, verifying each PID is still the same process. */
function signalTree(pid: number, tree: Map<number, string>, signal: NodeJS.Signals): void {
  for (const p of pid > 0 ? treePids(pid) : []) {
    const st = readStat(p);
    if (st && !tree.has(p)) tree.set(p, st.start);
  }
  for (const [p, start] of tree) {
    if (readStat(p)?.start !== start) continue;
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

/** The process and all its descendants, from /proc/<pid>/task/<tid>/children. */
export function treePids(root: number): number[] {
  const out: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    out.push(p);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      let text = "";
      try {
        text = readFileSync(`/proc/${p}/task/${t}/children`, "utf8");
      } catch {
        continue;
      }
      for (const c of text.split(" ")) if (c.trim()) stack.push(Number(c));
    }
  }
  return out;
}

function readStat(pid: number): { start: string; ppid: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    if (rest[0] === "Z") return null;
    return { ppid: Number(rest[1]), start: rest[19] ?? "" };
  } catch {
    return null;
  }
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Stops every live job (servers and tools). Safe to call more than once. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((j) => j.stop().catch(() => undefined)));
}

let installed = false;
let onInterrupt: (() => void) | undefined;
/**
 * Ctrl-C, SIGTERM, uncaught errors and exit all stop every process this bench started.
 * `interrupted` (synchronous) runs after the processes are stopped on Ctrl-C / SIGTERM.
 */
export function installCleanup(interrupted?: () => void): void {
  if (interrupted) onInterrupt = interrupted;
  if (installed) return;
  installed = true;
  let stopping = false;
  const onSignal = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\nbench: ${signal}, stopping ${live.size} process(es)…\n`);
    void stopAll()
      .then(() => onInterrupt?.())
      .finally(() => process.exit(130));
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("exit", () => {
    for (const [root, tree] of seen) {
      tree.set(root, tree.get(root) ?? readStat(root)?.start ?? "");
      for (const [p, start] of tree) {
        if (readStat(p)?.start !== start) continue;
        try {
          process.kill(p, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
  });
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = server.port;
  server.stop(true);
  return port;
}

/** Polls `probe` until it resolves true, or throws after `timeoutMs`. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await Bun.sleep(50);
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

export function which(cmd: string): string | null {
  if (cmd.startsWith("/")) return existsSync(cmd) ? cmd : null;
  return Bun.which(cmd);
}
