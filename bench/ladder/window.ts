// The ladder's steady-state window (duration budgets), measured from outside the rung's child:
// the harness polls the target's counter until the load starts moving, waits a warm-up, then reads
// the child's CPU (utime and stime of /proc/<pid>/stat, which the kernel sums over every thread of
// the process, live and exited: JSC's JIT workers, a loadr Worker thread), the target's count and
// the wall clock; and reads them again shortly before the load's end. Per request is ΔCPU ÷ Δcount,
// so process start, module loading, JIT warm-up and the drain at the end are not billed to
// requests. Called by ladder.ts on the harness's thread while the child runs; it only reads
// /proc and the target, never signals the child.
import { readFileSync } from "node:fs";
import type { Target } from "../lib/nginx.ts";

/** Default warm-up after the load started moving, before the window opens. */
export const DEFAULT_WARMUP_MS = 2000;
/** The window closes this long before the load's planned end (the child's deadline). */
export const END_MARGIN_MS = 500;
/** How often the target's counter is polled until the load starts. */
const POLL_MS = 50;
/** The shortest window that is measured at all. */
const MIN_WINDOW_MS = 250;

/** Where the window lies, in ms after the load started. */
export interface WindowBounds {
  fromMs: number;
  toMs: number;
}

/**
 * The window of a `durationMs` load: from the warm-up (clamped to a third of the duration) to
 * END_MARGIN_MS before the end. Throws when that leaves less than MIN_WINDOW_MS.
 */
export function windowBounds(durationMs: number, warmupMs: number): WindowBounds {
  const fromMs = Math.min(Math.max(0, warmupMs), durationMs / 3);
  const toMs = durationMs - END_MARGIN_MS;
  if (toMs - fromMs < MIN_WINDOW_MS) {
    throw new Error(`a ${durationMs / 1000} s load leaves no steady-state window after a ${fromMs / 1000} s warm-up and the last ${END_MARGIN_MS / 1000} s (use a longer --duration)`);
  }
  return { fromMs, toMs };
}

/** What the window measured: the target's requests in it and the child's CPU over it. */
export interface WindowFigures {
  /** Requests the target served between the two readings. */
  requests: number;
  wallSec: number;
  userSec: number;
  sysSec: number;
  /** Where the window opened and closed, seconds after the load was seen to start. */
  fromSec: number;
  toSec: number;
  /** The CPU readings' resolution (1 / CLK_TCK): each of ΔuserSec, ΔsysSec is off by less than this. */
  tickSec: number;
}

let ticks: number | undefined;
/** Clock ticks per second of /proc's CPU times (`getconf CLK_TCK`; 100 when it cannot be asked). */
export function clockTicks(): number {
  if (ticks === undefined) {
    const out = Bun.spawnSync(["getconf", "CLK_TCK"], { stdout: "pipe", stderr: "ignore" });
    const n = Number(out.stdout.toString().trim());
    ticks = out.exitCode === 0 && Number.isInteger(n) && n > 0 ? n : 100;
  }
  return ticks;
}

/** The fields after "comm" in a /proc/<pid>/stat line (comm may hold spaces and parentheses). */
function statFields(text: string): string[] {
  return text.slice(text.lastIndexOf(")") + 2).trim().split(" ");
}

/**
 * utime and stime (fields 14 and 15 of proc(5), in clock ticks) of a /proc/<pid>/stat line, as
 * seconds; null for a zombie (it has finished: its times are no longer the load's).
 */
export function parseProcCpu(text: string, tickHz: number): { userSec: number; sysSec: number } | null {
  const rest = statFields(text); // rest[0] is field 3 (state), so field n is rest[n - 3]
  if (rest[0] === "Z" || rest[0] === "X") return null;
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unexpected /proc stat line: ${text}`);
  return { userSec: utime / tickHz, sysSec: stime / tickHz };
}

/** The CPU of every thread of process `pid` so far, or null when it has exited. */
export function readProcCpu(pid: number): { userSec: number; sysSec: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  return parseProcCpu(text, clockTicks());
}

/**
 * Reads a target's counter again and again and adds up what it served between consecutive
 * readings (`Target.served` excludes each reading's own request, as nginx's stub_status counts
 * it), so polling the target never shows up in a rung's count.
 */
export class CountChain {
  private last: number;
  /** Requests served since the first reading, the reading requests excluded. */
  served = 0;

  private constructor(
    private readonly target: Target,
    first: number,
  ) {
    this.last = first;
  }

  static async start(target: Target): Promise<CountChain> {
    return new CountChain(target, await target.counter());
  }

  /** Reads the counter once; returns `served` after it. */
  async read(): Promise<number> {
    const now = await this.target.counter();
    this.served += this.target.served(this.last, now);
    this.last = now;
    return this.served;
  }
}

interface Reading {
  served: number;
  userSec: number;
  sysSec: number;
  at: number;
}

/** What the window needs to know about the running child. */
export interface WindowChild {
  pid: number;
  /** True once the child has exited (its /proc entry is then gone or a zombie). */
  exited(): boolean;
}

/**
 * Measures the steady-state window of a child that loads `chain`'s target for `durationMs`.
 * Resolves with the window's figures; throws when the load never starts within `startTimeoutMs`,
 * or the child exits before the window closes. Every wait is bounded by those two.
 */
export async function measureWindow(child: WindowChild, chain: CountChain, durationMs: number, warmupMs: number, startTimeoutMs: number): Promise<WindowFigures> {
  const bounds = windowBounds(durationMs, warmupMs);
  const deadline = performance.now() + startTimeoutMs;
  const startServed = chain.served;
  let loadStart = 0;
  for (;;) {
    if ((await chain.read()) > startServed) {
      loadStart = performance.now();
      break;
    }
    if (child.exited()) throw new Error("the rung exited before its load started");
    if (performance.now() >= deadline) throw new Error(`the rung's load did not start within ${startTimeoutMs / 1000} s`);
    await Bun.sleep(POLL_MS);
  }
  const readAt = async (offsetMs: number): Promise<Reading> => {
    const wait = loadStart + offsetMs - performance.now();
    if (wait > 0) await Bun.sleep(wait);
    const cpu = child.exited() ? null : readProcCpu(child.pid);
    if (cpu === null) throw new Error(`the rung exited before its window closed (${(offsetMs / 1000).toFixed(2)} s into a ${durationMs / 1000} s load)`);
    const served = await chain.read();
    return { ...cpu, served, at: performance.now() };
  };
  const open = await readAt(bounds.fromMs);
  const close = await readAt(bounds.toMs);
  return windowFigures(open, close, loadStart, 1 / clockTicks());
}

/** The window between two readings (pure). */
export function windowFigures(open: Reading, close: Reading, loadStart: number, tickSec: number): WindowFigures {
  return {
    requests: close.served - open.served,
    wallSec: (close.at - open.at) / 1000,
    userSec: close.userSec - open.userSec,
    sysSec: close.sysSec - open.sysSec,
    fromSec: (open.at - loadStart) / 1000,
    toSec: (close.at - loadStart) / 1000,
    tickSec,
  };
}
