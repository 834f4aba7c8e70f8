// The end-of-run summary as text for a terminal or a log, k6-like: notes first (in plain words),
// then each scenario's iterations (k6's "N complete and M interrupted iterations"), thresholds with
// their observed values, checks by group, then every metric on one line. Pure: Summary in, string out.
import type { Summary, SummaryGroup, SummaryMetric, SummaryScenario, SummaryThreshold } from "../core/run/summary.ts";
import { formatDuration, formatNumber, formatPercent, formatPerSecond, formatValue } from "./format.ts";
import { DEFAULT_TREND_STATS, trendStatKey } from "../metrics/trend-stats.ts";

export interface TextOptions {
  /** ANSI colors (✓ green, ✗ red, notes yellow, dots dim). */
  color: boolean;
}


interface Paint {
  ok(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

function paint(color: boolean): Paint {
  const wrap = (code: string) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { ok: wrap("32"), bad: wrap("31"), warn: wrap("33"), dim: wrap("2"), bold: wrap("1") };
}

export function renderSummaryText(summary: Summary, options: TextOptions): string {
  const c = paint(options.color);
  const out: string[] = [];
  const scenarios = summary.scenarios.map((s) => `${s.name} (${s.executor})`).join(", ");
  out.push("");
  out.push(`  ${c.bold("loadr")}  plan "${summary.planName}"  ·  ran ${formatDuration(summary.durationMs)}${scenarios ? `  ·  ${scenarios}` : ""}`);

  if (summary.notes.length > 0) {
    out.push("", `  ${c.bold("NOTES")}`);
    for (const note of summary.notes) out.push(`  ${c.warn("!")} ${note}`);
  }

  const scenarioLines = renderScenarios(summary.scenarios);
  if (scenarioLines.length > 0) out.push("", `  ${c.bold("SCENARIOS")}`, ...scenarioLines);

  const withThresholds = summary.metrics.filter((m) => m.thresholds.length > 0);
  if (withThresholds.length > 0) {
    out.push("", `  ${c.bold("THRESHOLDS")}${summary.thresholdsOk ? "" : "  " + c.bad("(some failed)")}`);
    for (const m of withThresholds) {
      out.push(`    ${m.name}`);
      for (const t of m.thresholds) out.push(`    ${mark(t.ok, c)} ${t.expression.padEnd(16)} ${observedText(t, m)}`);
    }
  }

  const checks = renderGroup(summary.rootGroup, "    ", c);
  if (checks.length > 0) out.push("", `  ${c.bold("CHECKS")}`, ...checks);

  if (summary.metrics.length > 0) {
    out.push("", `  ${c.bold("METRICS")}`);
    const labels = summary.metrics.map(label);
    const width = Math.max(...labels.map((l) => l.length)) + 3;
    summary.metrics.forEach((m, i) => {
      const prefix = m.thresholds.length === 0 ? " " : mark(m.thresholds.every((t) => t.ok), c);
      const name = labels[i]!;
      out.push(`  ${prefix} ${name}${c.dim(".".repeat(width - name.length))}: ${metricText(m, c, summary.trendStats)}`);
    });
  }
  out.push("");
  return out.join("\n");
}

/** `browse  constant-vus  max 5 VUs  92 complete and 0 interrupted iterations, 3 dropped`, for scenarios with counts. */
function renderScenarios(scenarios: readonly SummaryScenario[]): string[] {
  const counted = scenarios.filter((s) => s.completed !== undefined);
  const nameWidth = Math.max(0, ...counted.map((s) => s.name.length));
  const executorWidth = Math.max(0, ...counted.map((s) => s.executor.length));
  const vus = counted.map((s) => (s.maxVus !== undefined ? `max ${s.maxVus} VU${s.maxVus === 1 ? "" : "s"}` : ""));
  const vusWidth = Math.max(0, ...vus.map((v) => v.length));
  return counted.map((s, i) => {
    const dropped = s.dropped ? `, ${s.dropped} dropped` : "";
    const iterations = `${s.completed} complete and ${s.interrupted ?? 0} interrupted iterations${dropped}`;
    return `    ${s.name.padEnd(nameWidth)}  ${s.executor.padEnd(executorWidth)}  ${vus[i]!.padEnd(vusWidth)}  ${iterations}`;
  });
}

function mark(ok: boolean, c: Paint): string {
  return ok ? c.ok("✓") : c.bad("✗");
}

function label(m: SummaryMetric): string {
  if (!m.filter) return m.name;
  const tags = Object.entries(m.filter)
    .map(([k, v]) => `${k}:${v}`)
    .join(", ");
  return `  { ${tags} }`;
}

/** "p(95)=123.45ms", "count=0 (no samples)", or "no data (not evaluated)". */
function observedText(t: SummaryThreshold, m: SummaryMetric): string {
  if (t.error !== undefined) return `not evaluated: ${t.error}`;
  if (t.observed === null) return "no data (not evaluated)";
  const text = valueText(t.aggregation, t.observed, m);
  return t.noSamples ? `${text} (no samples)` : text;
}

function valueText(agg: string, observed: number, m: SummaryMetric): string {
  let value: string;
  if (m.type === "rate") value = formatPercent(observed);
  else if (m.type === "trend" && agg !== "count") value = formatValue(observed, m.contains);
  else if (m.type === "counter" && agg === "rate") value = formatPerSecond(observed, m.contains);
  else value = formatValue(observed, m.contains === "time" ? "default" : m.contains);
  return `${agg}=${value}`;
}

/** `trendStats`: the trend columns asked for (--summary-trend-stats); else k6's and any threshold percentile. */
function metricText(m: SummaryMetric, c: Paint, trendStats: readonly string[] | undefined): string {
  const v = m.values;
  if (Object.keys(v).length === 0) return c.dim("no data");
  switch (m.type) {
    case "trend": {
      if (trendStats) return trendStats.map((stat) => `${stat}=${formatTrendStat(v[trendStatKey(stat)], stat, m)}`).join(" ");
      const extra = Object.keys(v).filter((k) => k.startsWith("p(") && !DEFAULT_TREND_STATS.includes(k));
      return [...DEFAULT_TREND_STATS, ...extra].map((k) => `${k}=${formatValue(v[k]!, m.contains)}`).join(" ");
    }
    case "counter":
      return `${formatValue(v.count!, m.contains).padEnd(8)} ${formatPerSecond(v.rate!, m.contains)}`;
    case "rate": {
      const total = v.passes! + v.fails!;
      if (m.metric === "checks") return `${formatPercent(v.rate!).padEnd(8)} ${c.ok("✓")} ${v.passes}  ${c.bad("✗")} ${v.fails}`;
      return `${formatPercent(v.rate!).padEnd(8)} ${v.passes} out of ${total}`;
    }
    case "gauge":
      return `${formatNumber(v.value!).padEnd(8)} min=${formatNumber(v.min!)} max=${formatNumber(v.max!)}`;
  }
}

/** A trend stat's value: a count is a plain number whatever the trend's unit. */
function formatTrendStat(value: number | undefined, stat: string, m: SummaryMetric): string {
  if (value === undefined) return "n/a";
  return stat === "count" ? formatNumber(value) : formatValue(value, m.contains);
}

function renderGroup(group: SummaryGroup, indent: string, c: Paint): string[] {
  const lines: string[] = [];
  for (const check of group.checks) {
    const total = check.passes + check.fails;
    const ok = check.fails === 0;
    const counts = ok
      ? `${check.passes} passed`
      : `${check.passes} passed, ${check.fails} failed (${formatPercent(total > 0 ? check.passes / total : 0)} ok)`;
    lines.push(`${indent}${mark(ok, c)} ${check.name}  ${c.dim("·")} ${counts}`);
  }
  for (const child of group.groups) {
    lines.push(`${indent}█ ${child.name}`);
    lines.push(...renderGroup(child, indent + "  ", c));
  }
  return lines;
}

