// `--summary-markdown FILE` (and GITHUB_STEP_SUMMARY): the run as GitHub-flavoured Markdown for a
// CI job's summary page: the verdict first, the thresholds table, the key figures, then checks
// that failed and the notes. Pure; table cells escape `|` and line breaks.
import type { Summary } from "../core/run/summary.ts";
import { buildReportModel } from "../report/model.ts";
import { formatPercent, formatValue } from "../ui-kit/format.ts";

export function renderSummaryMarkdown(summary: Summary, exitCode?: number): string {
  const model = buildReportModel({ source: "local run", planName: summary.planName, summary, series: [], ...(exitCode !== undefined ? { exitCode } : {}), generatedAtUnixMs: 0 });
  const v = model.verdict;
  const icon = v.state === "passed" ? "✅" : v.state === "failed" ? "❌" : "⚠️";
  const lines: string[] = [`### ${icon} loadr: ${cell(summary.planName)} — ${v.state === "passed" ? "passed" : v.state === "failed" ? "failed" : "no verdict"}`, ""];
  lines.push(`${cell(capitalize(v.headline))}${v.exitCode !== undefined ? ` (exit code ${v.exitCode})` : ""}${summary.runId ? ` · run \`${summary.runId}\`` : ""} · ${formatValue(summary.durationMs, "ms")}`);
  for (const d of v.details) lines.push(`- ${cell(d)}`);
  lines.push("");
  if (model.thresholds.length > 0) {
    lines.push("| | Metric | Threshold | Observed |", "| --- | --- | --- | ---: |");
    for (const t of model.thresholds) {
      const observed = t.noData ? "no data" : t.observed === null ? "–" : formatValue(t.observed, t.unit);
      lines.push(`| ${t.ok ? "✅" : "❌"} | \`${cell(t.metric)}\` | \`${cell(t.expression)}\` | ${observed} |`);
    }
    lines.push("");
  }
  const figures = model.figures.filter((f) => f.value !== null);
  if (figures.length > 0) {
    lines.push("| Figure | Value |", "| --- | ---: |");
    for (const f of figures) lines.push(`| ${cell(f.label)} | ${formatValue(f.value!, f.unit)} |`);
    const checks = model.checks.reduce((n, c) => ({ passes: n.passes + c.passes, fails: n.fails + c.fails }), { passes: 0, fails: 0 });
    if (checks.passes + checks.fails > 0) lines.push(`| Checks passed | ${formatPercent(checks.passes / (checks.passes + checks.fails))} (${checks.fails} failed) |`);
    lines.push("");
  }
  const failedChecks = model.checks.filter((c) => c.fails > 0);
  if (failedChecks.length > 0) {
    lines.push("| Failed check | Passes | Fails |", "| --- | ---: | ---: |");
    for (const c of failedChecks) lines.push(`| ${cell(c.group ? `${c.group}::${c.name}` : c.name)} | ${c.passes} | ${c.fails} |`);
    lines.push("");
  }
  if (summary.notes.length > 0) {
    lines.push("**Notes**", "");
    for (const n of summary.notes) lines.push(`- ${cell(n)}`);
    lines.push("");
  }
  return lines.join("\n");
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
