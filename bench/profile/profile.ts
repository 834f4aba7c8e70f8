// Where the CPU of a sampled process goes, from `perf script -F ip,dso` (one line per sample:
// the leaf address and its object) and the process's JIT dump (jitdump.ts): the share of each
// kind of code (the kernel, Bun's own native code, JIT-compiled JavaScript, libc, the vDSO's
// clock) and the JavaScript functions by share, named with their JIT tier. Bun's own
// --cpu-prof bills kernel time of a syscall to the JS frame that made it ("write"); perf does
// not, so the JavaScript shares here are what the JS itself costs.
import type { JitSymbols } from "./jitdump.ts";

export type CodeKind = "kernel" | "bun" | "jit" | "libc" | "vdso" | "other";

export interface PerfSample {
  ip: bigint;
  dso: string;
}

/** The samples of `perf script -F ip,dso` output (lines that are not samples are skipped). */
export function parsePerfScript(text: string): PerfSample[] {
  const samples: PerfSample[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*([0-9a-f]+)\s+\((.*)\)\s*$/.exec(line);
    if (m) samples.push({ ip: BigInt(`0x${m[1]}`), dso: m[2]! });
  }
  return samples;
}

export function kindOf(dso: string): CodeKind {
  if (dso.includes("kernel")) return "kernel";
  if (/perf-\d+\.map$/.test(dso)) return "jit"; // perf names JIT code after its map file, perf-<pid>.map
  if (/\bbun(\.exe)?$|\/loadr-[^/]+$/.test(dso)) return "bun";
  if (dso.includes("libc.so")) return "libc";
  if (dso.includes("vdso")) return "vdso";
  return "other";
}

export interface ProfileSummary {
  samples: number;
  /** Share (0–1) of the samples in each kind of code. */
  kinds: Record<CodeKind, number>;
  /** JIT functions by share (0–1 of all samples), largest first; tiers of one function apart. */
  functions: Array<{ name: string; share: number }>;
}

export function summarize(samples: readonly PerfSample[], symbols: JitSymbols): ProfileSummary {
  const kinds: Record<CodeKind, number> = { kernel: 0, bun: 0, jit: 0, libc: 0, vdso: 0, other: 0 };
  const byName = new Map<string, number>();
  for (const s of samples) {
    const kind = kindOf(s.dso);
    kinds[kind]++;
    if (kind !== "jit") continue;
    const name = tidy(symbols.nameOf(s.ip) ?? "(unnamed JIT code)");
    byName.set(name, (byName.get(name) ?? 0) + 1);
  }
  const n = samples.length || 1;
  for (const k of Object.keys(kinds) as CodeKind[]) kinds[k] /= n;
  const functions = [...byName].map(([name, count]) => ({ name, share: count / n })).sort((a, b) => b.share - a.share);
  return { samples: samples.length, kinds, functions };
}

/** "JSC-FTL: parseHead#DFl5xJ" → "FTL parseHead" (the hash tells versions apart, not functions). */
function tidy(name: string): string {
  const m = /^JSC-([A-Za-z]+):\s*(.*?)(#\w+)?$/.exec(name);
  if (!m) return name;
  return `${m[1]} ${m[2] || "(anonymous)"}`;
}

export function formatSummary(summary: ProfileSummary, top: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)} %`;
  const lines = [`${summary.samples} samples`];
  for (const [kind, share] of Object.entries(summary.kinds)) if (share > 0) lines.push(`${pct(share)}  ${kind}`);
  lines.push("", "JavaScript (JIT) functions, share of all samples:");
  for (const f of summary.functions.slice(0, top)) lines.push(`${pct(f.share)}  ${f.name}`);
  return lines.join("\n");
}
