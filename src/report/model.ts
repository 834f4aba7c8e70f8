// The HTML report's data: everything the page shows, as plain JSON, built by one function from
// whatever a source provides (report-input.ts adapters: a local run, a controller's stored run, a
// JSONL results file). The renderer (render-html.ts) and the page's script
// (browser/main.ts) read only this. Pure.
//
// Figures: durations in ms, rates per second, fractions 0..1 (error rates), counts as counts.
// `timeline` has one point per second of the run (the run loop's ticks, merged across agents in a
// distributed run); a value is null where that second had no samples (an average of nothing is
// not 0).
import type { Summary, SummaryScenario } from "../core/run/summary.ts";
import type { ErrorRow, LatencyRow } from "../core/run/breakdown.ts";
import type { IntervalMetrics } from "../cluster/api-types.ts";
import type { Unit } from "../ui-kit/format.ts";
import { VERSION } from "../shared/version.ts";
import { errorMeaning } from "./error-meanings.ts";
import { rateSeconds, timelineOf, type Timeline } from "./timeline.ts";
import type { ChartData, ChartFleet } from "./chart-data.ts";

export const REPORT_MODEL_VERSION = 1;

export type ReportSource = "local run" | "controller" | "jsonl results";

export interface ReportVerdict {
  state: "passed" | "failed" | "unknown";
  /** One line after the state: "all 3 thresholds passed", "1 of 2 thresholds failed". */
  headline: string;
  /** Further sentences: which threshold stopped the run, who interrupted it, why it failed. */
  details: string[];
  exitCode?: number;
}

export interface ReportThreshold {
  /** The metric or sub-metric key: `http_req_duration{scenario:burst}`. */
  metric: string;
  expression: string;
  ok: boolean;
  observed: number | null;
  /** How `observed` reads. */
  unit: Unit;
  noData: boolean;
  abortOnFail: boolean;
  error?: string;
}

export interface ReportFigure {
  label: string;
  value: number | null;
  unit: Unit;
}

export interface ReportCheck {
  /** Group path, "" at the root. */
  group: string;
  name: string;
  passes: number;
  fails: number;
}

export interface ReportError extends ErrorRow {
  /** What the code means, in words; absent for a code this version does not know. */
  meaning?: string;
}

export interface ReportAgent {
  id: string;
  name: string;
  labels: Record<string, string>;
  /** "partition 2/3" or "partition 2/3 of browse". */
  share: string;
  state: string;
  clockOffsetMs: number;
  lostAtMs?: number;
  /** For a lost agent: requests it made that never reached the controller (an estimate). */
  unreportedRequests?: number;
  error?: string;
}

export interface ReportFleet extends ChartFleet {
  agents: ReportAgent[];
  planned: number;
  lost: number;
  /** Per agent id, requests per second aligned with `timeline.t` (absent when not recorded). */
  requestsPerSecond: Record<string, (number | null)[]>;
}

export interface ReportModel extends ChartData {
  version: typeof REPORT_MODEL_VERSION;
  meta: {
    title: string;
    planName: string;
    runId?: string;
    source: ReportSource;
    /** The controller's status of the run (finished, stopped, …), or the local outcome. */
    status?: string;
    startedAtUnixMs?: number;
    durationMs: number;
    generatedAtUnixMs: number;
    loadrVersion: string;
    scenarios: SummaryScenario[];
  };
  verdict: ReportVerdict;
  thresholds: ReportThreshold[];
  /** The headline numbers: requests, req/s, failed requests, p95, iterations, VUs. */
  figures: ReportFigure[];
  timeline: Timeline;
  latencyByName: LatencyRow[];
  latencyByGroup: LatencyRow[];
  /**
   * True when the per-name/group percentiles are not exact: rebuilt from per-second points (JSONL
   * results), they are the count-weighted mean of each second's percentile.
   */
  latencyApproximate: boolean;
  /** Rows left out of the tables (the busiest are kept). */
  omitted: { byName: number; byGroup: number; errors: number };
  checks: ReportCheck[];
  errors: ReportError[];
  droppedIterations: number;
  /** Generator health warnings, lost agents, dropped data, … as plain sentences. */
  notes: string[];
  fleet?: ReportFleet;
}

/** What an adapter (report-input.ts) gathers; the summary is absent for JSONL results. */
export interface ReportInput {
  source: ReportSource;
  planName: string;
  runId?: string;
  summary?: Summary;
  /** One point per second: run time at the end of the second, that second's whole-metric figures. */
  series: Array<{ elapsedMs: number; data: IntervalMetrics }>;
  exitCode?: number;
  status?: string;
  /** Why the run failed, when it did. */
  error?: string;
  startedAtUnixMs?: number;
  /** Distributed runs: the agents as the controller's run view lists them. */
  agents?: ReadonlyArray<{ agentId: string; name: string; labels: Record<string, string>; index: number; count: number; scenarios: ReadonlyArray<{ scenario: string; index: number; count: number }>; state: string; clockOffsetMs: number; lostAtUnixMs?: number; error?: string }>;
  /** Figures a source computed itself where no summary exists (JSONL): used instead of the summary's. */
  derived?: Partial<Pick<ReportModel, "latencyByName" | "latencyByGroup" | "checks" | "errors" | "droppedIterations" | "figures">> & { durationMs?: number };
  generatedAtUnixMs: number;
}

export function buildReportModel(input: ReportInput): ReportModel {
  const summary = input.summary;
  const timeline = timelineOf(input.series);
  const thresholds = summary ? thresholdsOf(summary) : [];
  const breakdown = summary?.breakdown;
  const durationMs = summary?.durationMs ?? input.derived?.durationMs ?? (input.series.at(-1)?.elapsedMs ?? 0);
  const model: ReportModel = {
    version: REPORT_MODEL_VERSION,
    meta: {
      title: `${input.planName} — load test report`,
      planName: input.planName,
      ...(input.runId !== undefined ? { runId: input.runId } : {}),
      source: input.source,
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.startedAtUnixMs !== undefined ? { startedAtUnixMs: input.startedAtUnixMs } : {}),
      durationMs,
      generatedAtUnixMs: input.generatedAtUnixMs,
      loadrVersion: VERSION,
      scenarios: summary?.scenarios ?? [],
    },
    verdict: verdictOf(input, thresholds),
    thresholds,
    figures: input.derived?.figures ?? (summary ? figuresOf(summary) : []),
    timeline,
    latencyByName: input.derived?.latencyByName ?? breakdown?.byName ?? [],
    latencyByGroup: input.derived?.latencyByGroup ?? breakdown?.byGroup ?? [],
    latencyApproximate: input.derived?.latencyByName !== undefined,
    omitted: breakdown?.omitted ?? { byName: 0, byGroup: 0, errors: 0 },
    checks: input.derived?.checks ?? (summary ? checksOf(summary) : []),
    errors: (input.derived?.errors ?? breakdown?.errors ?? []).map((e) => {
      const meaning = errorMeaning(e.error);
      return meaning ? { ...e, meaning } : { ...e };
    }),
    droppedIterations: input.derived?.droppedIterations ?? summary?.droppedIterations ?? 0,
    notes: [...(summary?.notes ?? []), ...(input.error && !(summary?.notes ?? []).includes(input.error) ? [input.error] : [])],
  };
  const fleet = fleetOf(input, summary);
  if (fleet) model.fleet = fleet;
  return model;
}

function verdictOf(input: ReportInput, thresholds: readonly ReportThreshold[]): ReportVerdict {
  const summary = input.summary;
  const failed = thresholds.filter((t) => !t.ok);
  const details: string[] = [];
  const exit = input.exitCode;
  if (summary?.aborted) {
    const what = summary.aborted.expression ? `${summary.aborted.threshold}: ${summary.aborted.expression}` : summary.aborted.threshold;
    details.push(`The run was stopped at ${(summary.aborted.atMs / 1000).toFixed(1)} s because threshold ${what} failed (abortOnFail).`);
  }
  const interruption = summary?.notes.find((n) => n.startsWith("the run was interrupted"));
  if (interruption) details.push(capitalize(interruption) + ".");
  if (input.error) details.push(input.error);
  const withCode = (v: Omit<ReportVerdict, "exitCode">): ReportVerdict => (exit !== undefined ? { ...v, exitCode: exit } : v);
  const thresholdText = thresholds.length === 0 ? "no thresholds were set" : failed.length === 0 ? `all ${thresholds.length} threshold${thresholds.length === 1 ? "" : "s"} passed` : `${failed.length} of ${thresholds.length} thresholds failed`;
  if (!summary && input.source === "controller" && exit === undefined) {
    return { state: "unknown", headline: `the run has not ended (${input.status ?? "no status"}): no summary yet`, details };
  }
  if (!summary) {
    return withCode({ state: exit === undefined ? "unknown" : exit === 0 ? "passed" : "failed", headline: exit === undefined ? "these results carry no thresholds and no exit code" : `exit code ${exit}`, details });
  }
  if (exit === 105) return withCode({ state: "failed", headline: `interrupted before the plan's end; ${thresholdText}`, details });
  if (exit === 107 || exit === 108) return withCode({ state: "failed", headline: exit === 107 ? "a script threw an exception" : "a script aborted the test", details });
  if (exit !== undefined && exit !== 0 && exit !== 99) return withCode({ state: "failed", headline: `the run failed; ${thresholdText}`, details });
  if (failed.length > 0 || exit === 99) return withCode({ state: "failed", headline: thresholdText, details });
  return withCode({ state: "passed", headline: thresholdText, details });
}

function thresholdsOf(summary: Summary): ReportThreshold[] {
  const out: ReportThreshold[] = [];
  for (const m of summary.metrics) {
    for (const t of m.thresholds) {
      out.push({
        metric: m.name,
        expression: t.expression,
        ok: t.ok,
        observed: t.observed,
        unit: unitOf(m.type, m.contains, t.aggregation),
        noData: t.noData,
        abortOnFail: t.abortOnFail,
        ...(t.error !== undefined ? { error: t.error } : {}),
      });
    }
  }
  return out;
}

/** How a metric's figure reads: time trends in ms, data in bytes, rates as percent, counter rates per second. */
export function unitOf(type: string, contains: string, aggregation: string): Unit {
  if (type === "rate") return "percent";
  if (type === "counter") return aggregation === "rate" ? "persec" : contains === "data" ? "bytes" : "count";
  if (contains === "time" && aggregation !== "count") return "ms";
  if (contains === "data" && aggregation !== "count") return "bytes";
  return "count";
}

function figuresOf(summary: Summary): ReportFigure[] {
  const values = (name: string) => summary.metrics.find((m) => m.name === name)?.values;
  const requests = summary.metrics.filter((m) => /^[a-z0-9]+_reqs$/.test(m.name) && m.type === "counter");
  const count = requests.reduce((n, m) => n + (m.values.count ?? 0), 0);
  const failed = summary.metrics.filter((m) => /^[a-z0-9]+_req_failed$/.test(m.name) && m.type === "rate");
  // A failed request is a pass of the `<p>_req_failed` rate (value 1), as k6.
  const fails = failed.reduce((n, m) => n + (m.values.passes ?? 0), 0);
  const judged = failed.reduce((n, m) => n + (m.values.passes ?? 0) + (m.values.fails ?? 0), 0);
  const duration = values("http_req_duration") ?? summary.metrics.find((m) => /_req_duration$/.test(m.name) && m.type === "trend")?.values;
  const seconds = summary.durationMs / 1000;
  const figures: ReportFigure[] = [
    { label: "Requests", value: count, unit: "count" },
    { label: "Requests per second", value: seconds > 0 ? count / seconds : null, unit: "reqps" },
    { label: "Failed requests", value: judged > 0 ? fails / judged : null, unit: "percent" },
    { label: "Median latency", value: duration?.med ?? null, unit: "ms" },
    { label: "p95 latency", value: duration?.["p(95)"] ?? null, unit: "ms" },
    { label: "p99 latency", value: duration?.["p(99)"] ?? null, unit: "ms" },
    { label: "Iterations", value: values("iterations")?.count ?? null, unit: "count" },
    { label: "Most VUs", value: values("vus_max")?.value ?? values("vus_max")?.max ?? null, unit: "vus" },
  ];
  const received = values("data_received")?.count;
  if (received !== undefined) figures.push({ label: "Data received", value: received, unit: "bytes" });
  const sent = values("data_sent")?.count;
  if (sent !== undefined) figures.push({ label: "Data sent", value: sent, unit: "bytes" });
  return figures;
}

function checksOf(summary: Summary): ReportCheck[] {
  const out: ReportCheck[] = [];
  const walk = (group: Summary["rootGroup"]) => {
    for (const c of group.checks) out.push({ group: group.path, name: c.name, passes: c.passes, fails: c.fails });
    for (const g of group.groups) walk(g);
  };
  walk(summary.rootGroup);
  return out;
}

interface FleetAgentFacts {
  id?: unknown;
  lostAtMs?: unknown;
  unreportedEstimate?: { requests?: unknown };
}

/** Requests per second of each agent align with `timeline.t`: both have one entry per series point. */
function fleetOf(input: ReportInput, summary: Summary | undefined): ReportFleet | undefined {
  const fleetAgents = (summary?.fleet as { agents?: FleetAgentFacts[] } | undefined)?.agents ?? [];
  if (!input.agents || input.agents.length === 0) return undefined;
  const agents: ReportAgent[] = input.agents.map((a) => {
    const facts = fleetAgents.find((f) => f.id === a.agentId);
    const lostAtMs = typeof facts?.lostAtMs === "number" ? facts.lostAtMs : undefined;
    const unreported = facts?.unreportedEstimate?.requests;
    const scenarios = a.scenarios.map((s) => `${s.scenario} ${s.index + 1}/${s.count}`);
    return {
      id: a.agentId,
      name: a.name,
      labels: { ...a.labels },
      share: `partition ${a.index + 1}/${a.count}${scenarios.length > 0 ? ` (${scenarios.join(", ")})` : ""}`,
      state: a.state,
      clockOffsetMs: a.clockOffsetMs,
      ...(lostAtMs !== undefined ? { lostAtMs } : {}),
      ...(typeof unreported === "number" ? { unreportedRequests: unreported } : {}),
      ...(a.error ? { error: a.error } : {}),
    };
  });
  const requestsPerSecond: Record<string, (number | null)[]> = {};
  for (const agent of agents) {
    const key = `agent_reqs{agent:${agent.id}}`;
    if (!input.series.some((p) => p.data[key] !== undefined)) continue;
    requestsPerSecond[agent.id] = input.series.map((p, i) => {
      const count = p.data[key]?.count;
      return count === undefined ? null : Math.round((count / rateSeconds(input.series, i)) * 1000) / 1000;
    });
  }
  return { agents, planned: agents.length, lost: agents.filter((a) => a.state === "lost").length, requestsPerSecond };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
