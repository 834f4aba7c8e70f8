// The controller's own CPU and memory, read from /proc (the bench's simulated agents live in
// another process, so they are not counted). Parsers are pure; readers return null when the
// process is gone.
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux port in use). */
export const CLK_TCK = 100;

/** utime + stime (ticks) from the text of /proc/<pid>/stat; the comm field may hold spaces and ")". */
export function parseStatTicks(text: string): number | null {
  const close = text.lastIndexOf(")");
  if (close < 0) return null;
  // After "pid (comm) ": state is field 3, utime field 14, stime field 15 (1-based).
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? utime + stime : null;
}

/** A "Name:   1234 kB" field of /proc/<pid>/status, in kB. */
export function parseStatusKb(text: string, field: string): number | null {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text);
  return m ? Number(m[1]) : null;
}

/** CPU share of one core over an interval: ticks / (wall seconds × CLK_TCK), in percent. */
export function cpuPercent(ticksBefore: number, ticksAfter: number, wallSec: number): number {
  return wallSec > 0 ? ((ticksAfter - ticksBefore) / CLK_TCK / wallSec) * 100 : 0;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null;
  }
}

/** Summed utime + stime of the given processes (ticks), or null if none could be read. */
export function cpuTicks(pids: number[]): number | null {
  let sum = 0;
  let any = false;
  for (const pid of pids) {
    const t = read(`/proc/${pid}/stat`);
    const ticks = t === null ? null : parseStatTicks(t);
    if (ticks !== null) {
      sum += ticks;
      any = true;
    }
  }
  return any ? sum : null;
}

/** Summed status field (VmRSS, VmHWM) of the given processes, in kB. */
export function statusKb(pids: number[], field: "VmRSS" | "VmHWM"): number {
  let sum = 0;
  for (const pid of pids) {
    const t = read(`/proc/${pid}/status`);
    sum += (t === null ? null : parseStatusKb(t, field)) ?? 0;
  }
  return sum;
}
