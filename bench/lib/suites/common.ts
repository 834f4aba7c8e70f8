// What every suite shares: the options, the run directory, the adapters, the record list, and
// `measure`, which runs one tool once against a target and records everything about it.
import { join } from "node:path";
import { fmt } from "../stats.ts";
import type { Target } from "../nginx.ts";
import type { LoadSpec, ToolAdapter } from "../tool.ts";
import { execute } from "../tool.ts";
import type { BenchOptions, RunKind, RunRecord, ToolName } from "../types.ts";

/** Extra wall time a tool may take beyond the load duration (startup, drain, report writing). */
export const TOOL_SLACK_SEC = 90;
/** Pause between two runs so sockets in TIME_WAIT and CPU caches settle a little. */
export const SETTLE_MS = 1_000;

export interface SuiteEnv {
  opts: BenchOptions;
  /** bench/results/<timestamp>/ */
  dir: string;
  cores: number;
  adapters: Map<ToolName, ToolAdapter>;
  records: RunRecord[];
  notes: string[];
}

export interface Measure {
  kind: RunKind;
  label: string;
  round: number;
  tool: ToolAdapter;
  spec: LoadSpec;
  target: Target;
  /** Runs just before the tool starts (e.g. arming the stall). */
  before?: () => Promise<void>;
  /** Adds suite-specific fields once the run is over. */
  after?: (record: RunRecord) => Promise<void>;
}

export async function measure(env: SuiteEnv, m: Measure): Promise<RunRecord> {
  const prefix = `r${m.round}-${m.kind}-${m.label.replace(/[^a-z0-9]+/gi, "_")}-${m.tool.name}`;
  const record: RunRecord = { kind: m.kind, tool: m.tool.name, round: m.round, label: m.label, ok: false };
  try {
    await m.before?.();
    const before = await m.target.counter();
    const inv = await m.tool.invocation(m.spec, { dir: env.dir, prefix, cores: env.cores, workers: env.opts.workers });
    const timeoutMs = (m.spec.durationSec + TOOL_SLACK_SEC) * 1000;
    const result = await execute(inv, timeoutMs, join(env.dir, prefix));
    const after = await m.target.counter();
    record.ok = true;
    record.metrics = result.metrics;
    record.usage = result.usage;
    record.files = result.files;
    record.targetCount = m.target.served(before, after);
    if (result.metrics.requests !== null) record.countDelta = result.metrics.requests - record.targetCount;
    if (result.metrics.details) record.extra = { ...record.extra, ...result.metrics.details };
    if (result.metrics.notes?.length) record.toolNotes = result.metrics.notes;
    const samples = result.metrics.latencySamples;
    if (samples !== undefined && record.targetCount > 0 && Math.abs(samples - record.targetCount) > 0.05 * record.targetCount) {
      record.extra = { ...record.extra, latencySamples: samples };
      const note = `${m.tool.name} (${m.kind}): its latency histogram holds ${samples} samples for ${record.targetCount} requests, so its percentiles are not per-request latencies.`;
      if (!env.notes.some((n) => n.startsWith(`${m.tool.name} (${m.kind})`))) env.notes.push(note);
    }
    await m.after?.(record);
  } catch (error) {
    record.ok = false;
    record.error = error instanceof Error ? error.message : String(error);
  }
  env.records.push(record);
  printRecord(record);
  await Bun.sleep(SETTLE_MS);
  return record;
}

export function printRecord(r: RunRecord): void {
  const head = `  [round ${r.round}] ${r.kind} ${r.label} ${r.tool.padEnd(10)}`;
  if (!r.ok) {
    process.stdout.write(`${head} FAILED: ${r.error}\n`);
    return;
  }
  const m = r.metrics;
  const parts: string[] = [];
  if (m) {
    parts.push(`${fmt(m.rps)} req/s`, `p50 ${fmt(m.p50Ms)} ms`, `p99 ${fmt(m.p99Ms)} ms`, `max ${fmt(m.maxMs)} ms`, `errors ${fmt(m.errors)}`);
  }
  if (r.usage) parts.push(`cpu ${fmt(r.usage.cpuSec)} s`, `rss ${fmt(r.usage.peakRssMb)} MB`);
  if (r.targetCount !== undefined) parts.push(`target ${r.targetCount}${r.countDelta ? ` (tool Δ ${r.countDelta > 0 ? "+" : ""}${r.countDelta})` : ""}`);
  for (const [k, v] of Object.entries(r.extra ?? {})) if (typeof v === "number") parts.push(`${k} ${fmt(v)}`);
  process.stdout.write(`${head} ${parts.join(" · ")}\n`);
  for (const note of r.toolNotes ?? []) process.stdout.write(`      ${r.tool} says: ${note}\n`);
}

/** The adapters of the selected tools, in the order the user gave. */
export function selected(env: SuiteEnv): ToolAdapter[] {
  return env.opts.tools.map((t) => env.adapters.get(t)).filter((a): a is ToolAdapter => a !== undefined);
}
