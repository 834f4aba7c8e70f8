// The report's tables, built once from the results and rendered both as markdown
// (README-table.md, the end-of-run printout) and as HTML (report.html). Cells are
// "median (min–max)" over rounds; ratios are computed within each round, then spread.
import { CLUSTER_TARGETS } from "../cluster/targets.ts";
import { LADDER_HEAD, costliestLayer, ladderBody, ladderRows, methodNote } from "../../ladder/report.ts";
import { RUNGS } from "../../ladder/rungs.ts";
import { sampleOfRecord } from "../suites/ladder.ts";
import { fmt, fmtSpread } from "../stats.ts";
import { countVerdict, marginalKbPerVu, ratios, rowsOf, type Row } from "../summary.ts";
import type { BenchResults } from "../types.ts";

export interface Section {
  id: string;
  title: string;
  head: string[];
  body: string[][];
  /** A sentence under the table. */
  note?: string;
}

const failed = (r: Row): string => (r.failures.length ? ` ⚠ ${r.failures.length} failed` : "");

export function throughputSection(res: BenchResults): Section | null {
  const rows = rowsOf(res, "throughput");
  if (rows.length === 0) return null;
  const o = res.options;
  return {
    id: "throughput",
    title: `Throughput — HTTP/1.1, nginx (1 worker), ${o.connections} connections, ${o.durationSec} s`,
    head: ["tool", "req/s", "p50 ms", "p99 ms", "errors", "CPU s / 100k req", "peak RSS MB", "count vs target"],
    body: rows.map((r) => [
      `${r.tool}${failed(r)}`,
      fmtSpread(r.rps),
      fmtSpread(r.p50),
      fmtSpread(r.p99),
      fmtSpread(r.errors),
      fmtSpread(r.extra.cpuSecPer100k ?? null),
      fmtSpread(r.peakRssMb),
      `${countVerdict(r, o.connections)}${r.countDelta && (r.countDelta.min || r.countDelta.max) ? ` (Δ ${fmtSpread(r.countDelta)})` : ""}`,
    ]),
    note: "count vs target: the tool's request count against nginx's own (stub_status). “in-flight”: off by at most the connection count (requests cut at stop); “MISCOUNT”: more.",
  };
}

export function ratioSection(res: BenchResults): Section | null {
  const rs = ratios(res.runs);
  if (rs.length === 0) return null;
  return {
    id: "ratios",
    title: "Ratios loadr / peer (per round, then min/median/max)",
    head: ["ratio", "req/s", "p50", "p99", "CPU / 100k", "peak RSS"],
    body: rs.map((r) => [r.name, fmtSpread(r.rps), fmtSpread(r.p50), fmtSpread(r.p99), fmtSpread(r.cpuPer100k), fmtSpread(r.peakRssMb)]),
  };
}

export function latencySection(res: BenchResults): Section | null {
  const o = res.options;
  const rows = rowsOf(res, "latency-steady");
  if (rows.length === 0) return null;
  return {
    id: "latency",
    title: `Latency truth — target answers after ${o.delayMs} ms, ${o.latencyRate} req/s, ${o.durationSec} s`,
    head: ["tool", "how it holds the rate", "req/s", "p50 error ms", "p99 error ms", "server hold p50 / p99 ms"],
    body: rows.map((r) => [
      `${r.tool}${failed(r)}`,
      res.rateModels[r.tool] ?? "",
      fmtSpread(r.rps),
      fmtSpread(r.extra.p50Error ?? null),
      fmtSpread(r.extra.p99Error ?? null),
      `${fmt(r.extra.serverHoldP50?.median)} / ${fmt(r.extra.serverHoldP99?.median)}`,
    ]),
    note: `error = reported − ${o.delayMs} ms. The server's own measured hold times show its timer slack; a tool can not truthfully report less than the hold.`,
  };
}

export function stallSection(res: BenchResults): Section | null {
  const o = res.options;
  const rows = rowsOf(res, "latency-stall");
  if (rows.length === 0) return null;
  return {
    id: "stall",
    title: `Coordinated omission — one ${o.stallMs} ms stall half-way through, ${o.latencyRate} req/s`,
    head: ["tool", "reported p99 ms", "p99 without omission ms", "max ms", "requests", `p99 shows the stall?`],
    body: rows.map((r) => {
      const v = Object.entries(r.verdicts.showsStall ?? {}).map(([k, n]) => `${k} ×${n}`);
      return [`${r.tool}${failed(r)}`, fmtSpread(r.p99), fmt(r.extra.idealP99?.median), fmtSpread(r.max), fmtSpread(r.targetCount), v.join(", ") || "–"];
    }),
    note: `“p99 without omission”: what a client that keeps its schedule through the stall reports (stall + delay − 1% of the duration). “shows”: reported p99 ≥ delay + stall/2. Short runs (--quick) let even closed-loop tools show it: their few stalled requests then exceed 1%.`,
  };
}

export function memorySection(res: BenchResults): Section | null {
  const rows = rowsOf(res, "memory");
  if (rows.length === 0) return null;
  const marginal = marginalKbPerVu(rows);
  return {
    id: "memory",
    title: `Memory per VU — loadr, 1 request then 1 s sleep per iteration, ${res.options.memoryDurationSec} s`,
    head: ["VUs", "peak VUs reported", "peak RSS MB", "KB per VU", "req/s"],
    body: rows.map((r) => [
      `${r.label}${failed(r)}`,
      fmtSpread(r.extra.vusPeak ?? null),
      fmtSpread(r.peakRssMb),
      fmtSpread(r.extra.rssPerVuKb ?? null),
      fmtSpread(r.rps),
    ]),
    note: marginal === null ? undefined : `Marginal cost: ${fmt(marginal)} KB per VU (slope between the smallest and the largest VU count, medians).`,
  };
}

export function startupSection(res: BenchResults): Section | null {
  const rows = rowsOf(res, "startup");
  if (rows.length === 0) return null;
  return {
    id: "startup",
    title: "Startup — wall time",
    head: ["command", "wall ms", "runs"],
    body: rows.map((r) => [`loadr ${r.label}${failed(r)}`, fmtSpread(r.extra.wallMs ?? null), String(r.runs - r.failures.length)]),
  };
}

/** "pass ×3" / "FAIL ×1, pass ×2": a text verdict of `extra` over rounds. */
const verdictText = (r: Row, key: string): string => Object.entries(r.verdicts[key] ?? {}).map(([k, n]) => `${k} ×${n}`).join(", ") || "–";

export function clusterSection(res: BenchResults): Section | null {
  const rows = rowsOf(res, "cluster");
  if (rows.length === 0) return null;
  const t = CLUSTER_TARGETS;
  return {
    id: "cluster",
    title: `Cluster — controller merge cost, simulated agents each sending 1 MetricsBatch/s, ${res.options.durationSec} s window`,
    head: ["agents", `controller CPU % of one core (< ${fmt(t.cpuPct)} per ${t.agents} agents)`, "peak RSS MB", `bytes / agent / s (< ${fmt(t.wireBytes)})`, "MetricsBatch bytes", "samples / batch", "merged = sent", "CPU target", "wire target"],
    body: rows.map((r) => [
      `${r.label}${failed(r)}`,
      fmtSpread(r.extra.cpuPctOfCore ?? null),
      fmtSpread(r.peakRssMb),
      fmtSpread(r.extra.bytesPerAgentSec ?? null),
      `${fmtSpread(r.extra.batchBytesMean ?? null)} (max ${fmt(r.extra.batchBytesMax?.max)})`,
      fmtSpread(r.extra.samplesPerBatch ?? null),
      countVerdict(r, 0),
      verdictText(r, "cpuTarget"),
      verdictText(r, "wireTarget"),
    ]),
    note:
      "loadr controller runs as its own process: CPU is its utime + stime over the window (/proc), RSS its peak over the whole run (VmHWM or sampled). " +
      "Agents are in-process gRPC clients of the real protocol sending pre-generated realistic deltas (the quickstart flow, 5 request names, k6 metrics and tags, HDR trends). " +
      "Bytes: each message as grpc-js serializes it, gzipped as the coordination channel sends it, plus the 5-byte gRPC frame prefix (batches + heartbeats every 2 s; HTTP/2 and TCP framing not counted). " +
      "“merged = sent”: the finished run's http_reqs and http_req_duration counts equal what the fleet sent.",
  };
}

export function ladderSection(res: BenchResults): Section | null {
  const samples = res.runs.filter((r) => r.kind === "ladder").map(sampleOfRecord);
  if (samples.length === 0) return null;
  const rows = ladderRows(samples, RUNGS);
  const o = res.options;
  return {
    id: "ladder",
    title: `HTTP/1.1 cost ladder — nginx (1 worker), ${o.connections} connections, ${o.durationSec} s per rung`,
    head: LADDER_HEAD,
    body: ladderBody(rows),
    note:
      `CPU per request, by method — ${methodNote(rows)}. ` +
      "Δ: this rung's CPU per request minus the rung below it, per round. " +
      `${costliestLayer(rows) ?? ""} Rungs: ${rows.map((r) => `${r.rung} = ${r.adds}`).join("; ")}.`,
  };
}

export function sections(res: BenchResults): Section[] {
  return [throughputSection(res), ratioSection(res), latencySection(res), stallSection(res), memorySection(res), startupSection(res), clusterSection(res), ladderSection(res)].filter(
    (s): s is Section => s !== null,
  );
}

/** What the tools said about their own runs (e.g. loadr: "the load generator was saturated"). */
export function toolWarnings(res: BenchResults): string[] {
  return res.runs.flatMap((r) => (r.toolNotes ?? []).map((n) => `${r.tool}, ${r.kind} ${r.label}, round ${r.round}: ${n}`));
}

export function markdownTable(s: Section): string {
  const line = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
  const rows = [line(s.head), line(s.head.map(() => "---")), ...s.body.map(line)].join("\n");
  return `**${s.title}**\n\n${rows}${s.note ? `\n\n${s.note}` : ""}`;
}

export function markdownReport(res: BenchResults): string {
  const o = res.options;
  const header = `loadr bench ${res.startedAt} · ${o.rounds} round(s) · ${res.host.cpus} CPUs · load average at start ${res.host.loadAvgStart.map((l) => l.toFixed(2)).join(" ")}`;
  const parts = sections(res).map(markdownTable);
  const warnings = toolWarnings(res);
  if (warnings.length) parts.push(`**Tool warnings**\n\n${warnings.map((w) => `- ${w}`).join("\n")}`);
  return `${header}\n\nCells: median (min–max) over rounds. Compare ratios within one run, never absolute numbers across runs.\n\n${parts.join("\n\n")}\n`;
}
