// report.html: one self-contained page (inline CSS and SVG, no scripts, no external assets)
// with the run's context, every table of sections.ts and a chart per headline figure.
import { rowsOf, type Row } from "../summary.ts";
import type { BenchResults, RunKind } from "../types.ts";
import { CLUSTER_TARGETS, cpuTargetPct } from "../cluster/targets.ts";
import { sections, toolWarnings, type Section } from "./sections.ts";
import { barChart, esc, SVG_CSS, type BarChart } from "./svg.ts";
import type { Spread } from "../stats.ts";

function table(s: Section): string {
  const head = s.head.map((h) => `<th>${esc(h)}</th>`).join("");
  const body = s.body.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${s.note ? `<p class="note">${esc(s.note)}</p>` : ""}`;
}

function chart(res: BenchResults, kind: RunKind, title: string, unit: string, pick: (r: Row) => Spread | null, labelOf?: (r: Row) => string): string {
  const rows = rowsOf(res, kind);
  if (rows.length === 0) return "";
  const c: BarChart = { title, unit, items: rows.map((r) => ({ label: labelOf ? labelOf(r) : r.tool, value: pick(r), highlight: r.tool === "loadr" })) };
  return barChart(c);
}

function targetChart(res: BenchResults, title: string, unit: string, pick: (r: Row) => Spread | null, target: number): string {
  const rows = rowsOf(res, "cluster");
  if (rows.length === 0) return "";
  return barChart({ title, unit, items: rows.map((r) => ({ label: r.label, value: pick(r), highlight: true })), reference: { value: target, label: "target" } });
}

function charts(res: BenchResults, id: string): string {
  const o = res.options;
  switch (id) {
    case "throughput":
      return [
        chart(res, "throughput", "Requests per second", "req/s", (r) => r.rps),
        chart(res, "throughput", "p99 latency", "ms", (r) => r.p99),
        chart(res, "throughput", "CPU per 100k requests", "CPU s", (r) => r.extra.cpuSecPer100k ?? null),
        chart(res, "throughput", "Peak RSS of the load generator", "MB", (r) => r.peakRssMb),
      ].join("");
    case "latency":
      return [
        chart(res, "latency-steady", `p50 error vs ${o.delayMs} ms`, "ms", (r) => r.extra.p50Error ?? null),
        chart(res, "latency-steady", `p99 error vs ${o.delayMs} ms`, "ms", (r) => r.extra.p99Error ?? null),
      ].join("");
    case "stall": {
      const rows = rowsOf(res, "latency-stall");
      const ideal = rows.find((r) => r.extra.idealP99)?.extra.idealP99?.median;
      const c: BarChart = {
        title: `Reported p99 with a ${o.stallMs} ms stall`,
        unit: "ms",
        items: rows.map((r) => ({ label: r.tool, value: r.p99, highlight: r.tool === "loadr" })),
        reference: ideal ? { value: ideal, label: "without omission" } : undefined,
      };
      return barChart(c);
    }
    case "memory":
      return chart(res, "memory", "Peak RSS per VU", "KB", (r) => r.extra.rssPerVuKb ?? null, (r) => r.label);
    case "startup":
      return chart(res, "startup", "Wall time", "ms", (r) => r.extra.wallMs ?? null, (r) => r.label);
    case "cluster":
      return [
        targetChart(res, "Controller CPU", "% of one core", (r) => r.extra.cpuPctOfCore ?? null, cpuTargetPct(o.clusterAgents ?? CLUSTER_TARGETS.agents)),
        targetChart(res, "Bytes per agent per second", "bytes", (r) => r.extra.bytesPerAgentSec ?? null, CLUSTER_TARGETS.wireBytes),
      ].join("");
    default:
      return "";
  }
}

export function htmlReport(res: BenchResults): string {
  const o = res.options;
  const failures = res.runs.filter((r) => !r.ok);
  const body = sections(res)
    .map((s) => `<section id="${s.id}"><h2>${esc(s.title)}</h2>${table(s)}<div class="charts">${charts(res, s.id)}</div></section>`)
    .join("\n");
  const versions = Object.entries(res.versions)
    .map(([k, v]) => `<li><b>${esc(k)}</b>: ${esc(v || "unknown")}</li>`)
    .join("");
  const notes = res.notes.map((n) => `<li>${esc(n)}</li>`).join("");
  const warnings = toolWarnings(res).map((w) => `<li>${esc(w)}</li>`).join("");
  const fails = failures.map((r) => `<li>round ${r.round} ${esc(r.kind)} ${esc(r.label)} <b>${esc(r.tool)}</b>: <code>${esc(r.error ?? "")}</code></li>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>loadr bench ${esc(res.startedAt)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:24px auto;padding:0 16px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;font-size:13px}
th{background:#f4f6f9}td{font-variant-numeric:tabular-nums}.note{color:#555;font-size:12.5px}
.charts{display:flex;flex-wrap:wrap;gap:12px}.warn{color:#a04000}code{font-size:12px}
${SVG_CSS}
</style></head><body>
<h1>loadr bench — ${esc(res.startedAt)}</h1>
<p>${o.rounds} round(s), ${o.durationSec} s per run, tools interleaved within a round (order rotated per round).
Host: ${res.host.cpus} × ${esc(res.host.cpuModel)}, ${res.host.memGB} GB, Linux ${esc(res.host.kernel)};
load average ${res.host.loadAvgStart.map((l) => l.toFixed(2)).join(" ")} at start, ${res.host.loadAvgEnd.map((l) => l.toFixed(2)).join(" ")} at end.
Every cell is <b>median (min–max)</b> over rounds. <b>Compare ratios within this run, never absolute numbers across runs.</b></p>
${fails ? `<p class="warn">Failed runs:</p><ul class="warn">${fails}</ul>` : ""}
${body}
${warnings ? `<h2>Tool warnings</h2><ul>${warnings}</ul>` : ""}
<h2>Versions</h2><ul>${versions}</ul>
<h2>Notes</h2><ul>${notes}</ul>
<p class="note">Raw records: the JSON file next to this directory. Plans, tool reports and logs: this directory.</p>
</body></html>
`;
}
