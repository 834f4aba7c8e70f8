// The k6-style summary export (`--summary-json FILE`), from a Summary. Pure.
//
// Contract (k6's summary export): `metrics.<name>` holds {count, rate} for
// counters, {rate, passes, fails} (plus k6's legacy `value`) for rates, {avg, min, med, max,
// "p(90)", "p(95)", "p(99)"} in ms for time trends (exactly the summary's trendStats when set, as
// k6's summaryTrendStats), {value, min, max} for gauges; thresholds sit under each metric as
// `thresholds: {"p(95)<500": {ok: true}}`, with `noData: true` added to one that was not evaluated
// (a trend or gauge without samples; a counter or rate without samples is evaluated as zero and
// reads {count: 0, rate: 0} or {rate: 0, passes: 0, fails: 0}); sub-metrics with thresholds appear
// as `metrics["http_req_duration{scenario:burst}"]`; `root_group` holds the checks by group.
// Extra fields: plan, run_id, scenarios (with their final iteration counts and vus_max when the
// load generators reported them), notes, aborted, thresholds (with observed values),
// dropped_iterations, fleet.
import type { Summary, SummaryGroup, SummaryMetric, SummaryScenario } from "../core/run/summary.ts";
import { trendStatKey } from "../metrics/trend-stats.ts";

export interface K6Check {
  name: string;
  path: string;
  passes: number;
  fails: number;
}

export interface K6Group {
  name: string;
  path: string;
  groups: Record<string, K6Group>;
  checks: Record<string, K6Check>;
}

export interface SummaryJsonScenario {
  name: string;
  executor: string;
  /** k6's "N complete and M interrupted iterations". */
  iterations_complete?: number;
  iterations_interrupted?: number;
  dropped_iterations?: number;
  vus_max?: number;
}

export type K6MetricJson = Record<string, number | Record<string, { ok: boolean; noData?: true }>>;

export interface SummaryJson {
  root_group: K6Group;
  metrics: Record<string, K6MetricJson>;
  state: { testRunDurationMs: number };
  plan: string;
  run_id?: string;
  scenarios: SummaryJsonScenario[];
  notes: string[];
  aborted?: { threshold: string; expression?: string; atMs: number };
  thresholds: Array<{ metric: string; expression: string; ok: boolean; observed: number | null; no_samples: boolean; no_data: boolean; abort_on_fail: boolean; error?: string }>;
  thresholds_ok: boolean;
  dropped_iterations: number;
  fleet?: unknown;
}

export function summaryToJson(summary: Summary): SummaryJson {
  const metrics: Record<string, K6MetricJson> = {};
  for (const m of summary.metrics) metrics[m.name] = metricJson(m, summary.trendStats);
  return {
    root_group: groupJson(summary.rootGroup),
    metrics,
    state: { testRunDurationMs: summary.durationMs },
    plan: summary.planName,
    ...(summary.runId !== undefined ? { run_id: summary.runId } : {}),
    scenarios: summary.scenarios.map(scenarioJson),
    notes: summary.notes,
    ...(summary.aborted ? { aborted: summary.aborted } : {}),
    thresholds: summary.thresholds.map((t) => ({
      metric: t.key,
      expression: t.expression,
      ok: t.ok,
      observed: t.observed,
      no_samples: t.noSamples,
      no_data: t.noData,
      abort_on_fail: t.abortOnFail,
      ...(t.error !== undefined ? { error: t.error } : {}),
    })),
    thresholds_ok: summary.thresholdsOk,
    dropped_iterations: summary.droppedIterations,
    ...(summary.fleet !== undefined ? { fleet: summary.fleet } : {}),
  };
}

function scenarioJson(s: SummaryScenario): SummaryJsonScenario {
  return {
    name: s.name,
    executor: s.executor,
    ...(s.completed !== undefined ? { iterations_complete: s.completed } : {}),
    ...(s.interrupted !== undefined ? { iterations_interrupted: s.interrupted } : {}),
    ...(s.dropped !== undefined ? { dropped_iterations: s.dropped } : {}),
    ...(s.maxVus !== undefined ? { vus_max: s.maxVus } : {}),
  };
}

/** `trendStats` (--summary-trend-stats): a trend's fields are exactly those, in that order. */
function metricJson(m: SummaryMetric, trendStats: readonly string[] | undefined): K6MetricJson {
  const out: K6MetricJson = {};
  const v = m.values;
  switch (m.type) {
    case "trend":
      if (trendStats) {
        for (const stat of trendStats) if (v[trendStatKey(stat)] !== undefined) out[stat] = v[trendStatKey(stat)]!;
        break;
      }
      for (const [k, n] of Object.entries(v)) if (k !== "count") out[k] = n;
      if (v.count !== undefined) out.count = v.count;
      break;
    case "rate":
      if (v.rate !== undefined) Object.assign(out, { rate: v.rate, passes: v.passes!, fails: v.fails!, value: v.rate });
      break;
    default:
      Object.assign(out, v);
  }
  if (m.thresholds.length > 0) {
    const thresholds: Record<string, { ok: boolean; noData?: true }> = {};
    for (const t of m.thresholds) thresholds[t.expression] = t.noData ? { ok: t.ok, noData: true } : { ok: t.ok };
    out.thresholds = thresholds;
  }
  return out;
}

function groupJson(g: SummaryGroup): K6Group {
  const groups: Record<string, K6Group> = {};
  for (const child of g.groups) groups[child.name] = groupJson(child);
  const checks: Record<string, K6Check> = {};
  for (const c of g.checks) checks[c.name] = { name: c.name, path: c.path, passes: c.passes, fails: c.fails };
  return { name: g.name, path: g.path, groups, checks };
}
