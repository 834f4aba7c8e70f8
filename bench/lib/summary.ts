// Turns the raw run records into rows of min/median/max per (kind, case, tool), the within-round
// ratios loadr/peer, and the count and stall verdicts. Pure; the reports only format this.
import { spread, type Spread } from "./stats.ts";
import type { BenchResults, RunKind, RunRecord } from "./types.ts";

export interface Row {
  kind: RunKind;
  label: string;
  tool: string;
  runs: number;
  failures: string[];
  rps: Spread | null;
  p50: Spread | null;
  p99: Spread | null;
  max: Spread | null;
  errors: Spread | null;
  cpuSec: Spread | null;
  peakRssMb: Spread | null;
  wallSec: Spread | null;
  targetCount: Spread | null;
  countDelta: Spread | null;
  extra: Record<string, Spread | null>;
  /** Text fields of `extra`, with how many rounds gave each value, e.g. {"hides": 3}. */
  verdicts: Record<string, Record<string, number>>;
}

export interface Ratio {
  name: string;
  kind: RunKind;
  /** Per-round ratio loadr/peer, then min/median/max over the rounds that have both. */
  rps: Spread | null;
  p50: Spread | null;
  p99: Spread | null;
  cpuPer100k: Spread | null;
  peakRssMb: Spread | null;
}

export function summarize(records: RunRecord[]): Row[] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = `${r.kind}\u0000${r.label}\u0000${r.tool}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows: Row[] = [];
  for (const list of groups.values()) {
    const ok = list.filter((r) => r.ok);
    const first = list[0]!;
    const extra: Record<string, Spread | null> = {};
    const verdicts: Record<string, Record<string, number>> = {};
    for (const r of ok) {
      for (const [k, v] of Object.entries(r.extra ?? {})) {
        if (typeof v === "string") {
          verdicts[k] ??= {};
          verdicts[k]![v] = (verdicts[k]![v] ?? 0) + 1;
        } else extra[k] = null;
      }
    }
    for (const k of Object.keys(extra)) extra[k] = spread(ok.map((r) => r.extra?.[k] as number | null));
    rows.push({
      kind: first.kind,
      label: first.label,
      tool: first.tool,
      runs: list.length,
      failures: list.filter((r) => !r.ok).map((r) => `round ${r.round}: ${r.error ?? "failed"}`),
      rps: spread(ok.map((r) => r.metrics?.rps)),
      p50: spread(ok.map((r) => r.metrics?.p50Ms)),
      p99: spread(ok.map((r) => r.metrics?.p99Ms)),
      max: spread(ok.map((r) => r.metrics?.maxMs)),
      errors: spread(ok.map((r) => r.metrics?.errors)),
      cpuSec: spread(ok.map((r) => r.usage?.cpuSec)),
      peakRssMb: spread(ok.map((r) => r.usage?.peakRssMb)),
      wallSec: spread(ok.map((r) => r.usage?.wallSec)),
      targetCount: spread(ok.map((r) => r.targetCount)),
      countDelta: spread(ok.map((r) => r.countDelta)),
      extra,
      verdicts,
    });
  }
  return rows;
}

export const RATIO_PEERS = ["wrk", "autocannon", "hey"];

/** loadr/peer per round for the throughput suite, then spread over rounds. */
export function ratios(records: RunRecord[], kind: RunKind = "throughput", base = "loadr", peers = RATIO_PEERS): Ratio[] {
  const out: Ratio[] = [];
  const ok = records.filter((r) => r.ok && r.kind === kind);
  for (const peer of peers) {
    const per = (pick: (r: RunRecord) => number | null | undefined): Spread | null => {
      const values: number[] = [];
      for (const a of ok.filter((r) => r.tool === base)) {
        const b = ok.find((r) => r.tool === peer && r.round === a.round && r.label === a.label);
        const x = pick(a);
        const y = b ? pick(b) : null;
        if (typeof x === "number" && typeof y === "number" && y !== 0) values.push(x / y);
      }
      return spread(values);
    };
    const ratio: Ratio = {
      name: `${base}/${peer}`,
      kind,
      rps: per((r) => r.metrics?.rps),
      p50: per((r) => r.metrics?.p50Ms),
      p99: per((r) => r.metrics?.p99Ms),
      cpuPer100k: per((r) => r.extra?.cpuSecPer100k as number | undefined),
      peakRssMb: per((r) => r.usage?.peakRssMb),
    };
    if (ratio.rps || ratio.p99) out.push(ratio);
  }
  return out;
}

/**
 * Count check against the target's own counter: "=" when every round matched exactly;
 * "in-flight" when the tool was off by no more than its connections (requests cut at stop);
 * "MISCOUNT" beyond that.
 */
export function countVerdict(row: Row, connections: number): string {
  const d = row.countDelta;
  if (!d) return row.targetCount ? "tool gives no count" : "–";
  const worst = Math.max(Math.abs(d.min), Math.abs(d.max));
  if (worst === 0) return "=";
  return worst <= connections ? "in-flight" : "MISCOUNT";
}

/** The marginal memory per VU between the smallest and largest VU counts (KB), from medians. */
export function marginalKbPerVu(rows: Row[]): number | null {
  const mem = rows
    .filter((r) => r.kind === "memory" && r.peakRssMb && r.extra.vus)
    .map((r) => ({ vus: r.extra.vus!.median, mb: r.peakRssMb!.median }))
    .sort((a, b) => a.vus - b.vus);
  if (mem.length < 2) return null;
  const lo = mem[0]!;
  const hi = mem[mem.length - 1]!;
  return hi.vus === lo.vus ? null : ((hi.mb - lo.mb) * 1000) / (hi.vus - lo.vus);
}

export function rowsOf(results: BenchResults, kind: RunKind): Row[] {
  const order = results.options.tools as string[];
  const runs = results.runs.filter((r) => r.kind === kind);
  const labels = [...new Set(runs.map((r) => r.label))];
  return summarize(runs).sort((a, b) => labels.indexOf(a.label) - labels.indexOf(b.label) || order.indexOf(a.tool) - order.indexOf(b.tool));
}
