// The end-of-run summary as plain data: built once from the aggregator after the last delta, on
// the process that owns the run (local CLI or controller). It is JSON-serializable because it
// crosses the controller→client boundary; rendering (text, k6 JSON) works from it alone.
//
// Checks: the `checks` rate is recorded with tags {check, group, scenario}, where `group` is the
// k6 group path ("::a::b", "" at the root). Checks of the same name in the same group are merged
// across scenarios.
import type { ThresholdResult } from "../thresholds/evaluator.ts";
import type { Aggregator } from "../../metrics/aggregator.ts";
import type { MetricContains, MetricType } from "../../metrics/types.ts";
import { emptyValue, k6Fields, type MetricValue } from "../../metrics/values.ts";
import { percentileOf } from "../../metrics/trend-stats.ts";
import { buildBreakdown, type SummaryBreakdown } from "./breakdown.ts";

/** A scenario of the run; the counts come from the load generators' final status (absent when they never reported). */
export interface SummaryScenario {
  name: string;
  executor: string;
  /** Iterations that ran to their end, and those cut off by a hard stop (k6's "N complete and M interrupted iterations"). */
  completed?: number;
  interrupted?: number;
  /** Arrivals not started for want of a free VU. */
  dropped?: number;
  /** The most VUs the scenario had (every segment's share added up). */
  maxVus?: number;
}

export interface SummaryMeta {
  planName: string;
  /** Elapsed run time, ms: counter rates are per second over it. */
  durationMs: number;
  scenarios: SummaryScenario[];
  /** Plain sentences for the user (generator overloaded, workers lost, …). */
  notes: string[];
  /** Set when an abortOnFail threshold stopped the run. */
  aborted?: { threshold: string; expression?: string; atMs: number };
  /** Cluster runs: the agents that took part (opaque here, passed through). */
  fleet?: unknown;
  runId?: string;
  /** The trend figures to show and export (k6's summaryTrendStats, metrics/trend-stats.ts); absent: k6's default. */
  trendStats?: readonly string[];
}

export interface SummaryThreshold {
  expression: string;
  /** The aggregation compared, as the evaluator named it: `p(95)`, `avg`, `rate` … */
  aggregation: string;
  ok: boolean;
  observed: number | null;
  /** The metric had no samples: a counter or a rate was evaluated as zero (core/thresholds/evaluator.ts). */
  noSamples: boolean;
  /** Not evaluated: the metric (a trend, a gauge) had no samples, so no value. */
  noData: boolean;
  abortOnFail: boolean;
  /** Why it could not be evaluated (it failed). */
  error?: string;
}

export interface SummaryMetric {
  /** `http_req_duration`, or for a sub-metric the threshold key as written: `http_req_duration{scenario:burst}`. */
  name: string;
  /** The parent metric's name. */
  metric: string;
  /** Tag filter of a sub-metric; absent for a whole metric. */
  filter?: Record<string, string>;
  type: MetricType;
  contains: MetricContains;
  /**
   * k6 names: trend {count, avg, min, med, max, "p(90)", "p(95)", "p(99)", plus any percentile a
   * threshold uses} in the metric's unit (ms for time); counter {count, rate}; rate {rate, passes,
   * fails}; gauge {value, min, max}. Without samples a counter reads {count: 0, rate: 0} and a
   * rate {rate: 0, passes: 0, fails: 0} (k6's zero values, as its thresholds saw them); a trend
   * or a gauge is empty.
   */
  values: Record<string, number>;
  thresholds: SummaryThreshold[];
}

export interface SummaryCheck {
  name: string;
  /** Group path + "::" + name, as k6. */
  path: string;
  passes: number;
  fails: number;
}

export interface SummaryGroup {
  name: string;
  /** "" for the root, "::a", "::a::b" below. */
  path: string;
  groups: SummaryGroup[];
  checks: SummaryCheck[];
}

export interface Summary {
  version: 1;
  planName: string;
  runId?: string;
  durationMs: number;
  scenarios: SummaryScenario[];
  /** Caller's notes plus derived ones (abort, dropped iterations, thresholds without data, requests without a response). */
  notes: string[];
  aborted?: { threshold: string; expression?: string; atMs: number };
  fleet?: unknown;
  /** The trend figures to show and export, when not k6's default (each is in every trend's `values`). */
  trendStats?: string[];
  /** Whole metrics sorted by name, each followed by its sub-metrics. */
  metrics: SummaryMetric[];
  rootGroup: SummaryGroup;
  thresholds: ThresholdResult[];
  /** False when any threshold failed. */
  thresholdsOk: boolean;
  droppedIterations: number;
  /** Latency by request name and by group, errors by tag (core/run/breakdown.ts). */
  breakdown?: SummaryBreakdown;
}

export function buildSummary(aggregator: Aggregator, thresholdResults: readonly ThresholdResult[], meta: SummaryMeta): Summary {
  const elapsed = meta.durationMs;
  const byKey = new Map<string, ThresholdResult[]>();
  for (const r of thresholdResults) {
    const list = byKey.get(r.key) ?? [];
    list.push(r);
    byKey.set(r.key, list);
  }

  const metrics: SummaryMetric[] = [];
  const percentiles = (meta.trendStats ?? []).map(percentileOf).filter((p): p is number => p !== undefined);
  const names = new Set([...aggregator.metricNames(), ...thresholdResults.map((r) => r.metric)]);
  for (const name of [...names].sort()) {
    const def = aggregator.definition(name);
    if (!def) continue;
    const whole = byKey.get(name) ?? [];
    const valueOf = (filter: Record<string, string>) => aggregator.query(name, filter, elapsed) ?? emptyValue(def, elapsed);
    metrics.push(metricEntry(name, name, undefined, def.type, def.contains, valueOf({}), whole, percentiles));
    const subKeys = [...byKey.keys()].filter((k) => k !== name && byKey.get(k)![0]!.metric === name).sort();
    for (const key of subKeys) {
      const results = byKey.get(key)!;
      const filter = results[0]!.filter;
      metrics.push(metricEntry(key, name, filter, def.type, def.contains, valueOf(filter), results, percentiles));
    }
  }

  const dropped = aggregator.query("dropped_iterations", {}, elapsed);
  const droppedIterations = dropped?.type === "counter" ? dropped.count : 0;
  const notes = [...meta.notes];
  const addNote = (note: string) => {
    if (!notes.includes(note)) notes.push(note);
  };
  if (meta.aborted) {
    const what = meta.aborted.expression ? `${meta.aborted.threshold}: ${meta.aborted.expression}` : meta.aborted.threshold;
    addNote(`The run was stopped early at ${(meta.aborted.atMs / 1000).toFixed(1)}s because threshold ${what} failed (abortOnFail).`);
  }
  if (droppedIterations > 0) {
    addNote(
      `${droppedIterations} iterations were dropped: an arrival-rate scenario ran out of VUs (raise maxVUs) ` +
        `or the load generator could not keep up.`,
    );
  }
  for (const r of thresholdResults) {
    if (r.noData) addNote(`Threshold ${r.key}: ${r.expression} was not evaluated: the metric had no samples.`);
  }
  const errors = requestErrorsNote(aggregator, elapsed);
  if (errors) addNote(errors);

  return {
    version: 1,
    planName: meta.planName,
    ...(meta.runId !== undefined ? { runId: meta.runId } : {}),
    durationMs: meta.durationMs,
    scenarios: meta.scenarios.map((s) => ({ ...s })),
    notes,
    ...(meta.aborted ? { aborted: { ...meta.aborted } } : {}),
    ...(meta.fleet !== undefined ? { fleet: meta.fleet } : {}),
    ...(meta.trendStats ? { trendStats: [...meta.trendStats] } : {}),
    metrics,
    rootGroup: buildGroups(aggregator),
    thresholds: thresholdResults.map((r) => ({ ...r, filter: { ...r.filter } })),
    thresholdsOk: thresholdResults.every((r) => r.ok),
    droppedIterations,
    breakdown: buildBreakdown(aggregator, elapsed),
  };
}

function metricEntry(
  name: string,
  metric: string,
  filter: Record<string, string> | undefined,
  type: MetricType,
  contains: MetricContains,
  value: MetricValue | undefined,
  results: readonly ThresholdResult[],
  percentiles: readonly number[],
): SummaryMetric {
  const entry: SummaryMetric = {
    name,
    metric,
    type,
    contains,
    values: value ? valuesOf(value, results, percentiles) : {},
    thresholds: results.map((r) => ({
      expression: r.expression,
      aggregation: r.aggregation,
      ok: r.ok,
      observed: r.observed,
      noSamples: r.noSamples,
      noData: r.noData,
      abortOnFail: r.abortOnFail,
      ...(r.error !== undefined ? { error: r.error } : {}),
    })),
  };
  if (filter) entry.filter = { ...filter };
  return entry;
}

/** k6's fields, plus any percentile a threshold on this metric or the trend stats ask about. */
function valuesOf(value: MetricValue, results: readonly ThresholdResult[], percentiles: readonly number[]): Record<string, number> {
  const v = k6Fields(value);
  if (value.type !== "trend") return v;
  for (const r of results) {
    if (r.percentile !== undefined && !(r.aggregation in v)) v[r.aggregation] = value.percentile(r.percentile);
  }
  for (const p of percentiles) if (!(`p(${p})` in v)) v[`p(${p})`] = value.percentile(p);
  return v;
}

/** "requests that failed without a valid response: 2 × ECONNREFUSED (refused); 2 × timeout (stalled)", or undefined. */
function requestErrorsNote(aggregator: Aggregator, elapsedMs: number): string | undefined {
  const byError = new Map<string, Map<string, number>>();
  for (const series of aggregator.seriesOf("http_reqs")) {
    const error = series.tags.error;
    if (!error) continue;
    const value = aggregator.query("http_reqs", series.tags, elapsedMs);
    const count = value?.type === "counter" ? value.count : 0;
    const names = byError.get(error) ?? new Map<string, number>();
    const name = series.tags.name ?? "?";
    names.set(name, (names.get(name) ?? 0) + count);
    byError.set(error, names);
  }
  if (byError.size === 0) return undefined;
  const parts = [...byError].map(([error, names]) => {
    const total = [...names.values()].reduce((a, b) => a + b, 0);
    return `${total} × ${error} (${[...names.keys()].join(", ")})`;
  });
  return `requests that failed without a valid response: ${parts.join("; ")}`;
}

/** The group tree with its checks, from the series of the `checks` rate. */
function buildGroups(aggregator: Aggregator): SummaryGroup {
  const root: SummaryGroup = { name: "", path: "", groups: [], checks: [] };
  const seen = new Set<string>();
  for (const { tags } of aggregator.seriesOf("checks")) {
    const check = tags.check ?? "";
    const path = tags.group ?? "";
    const id = `${path}\u0000${check}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const value = aggregator.query("checks", { check, group: path });
    if (value?.type !== "rate") continue;
    groupAt(root, path).checks.push({ name: check, path: `${path}::${check}`, passes: value.passes, fails: value.fails });
  }
  return root;
}

function groupAt(root: SummaryGroup, path: string): SummaryGroup {
  let node = root;
  if (path === "") return node;
  const names = path.split("::").slice(1); // "::a::b" → ["a", "b"]
  let current = "";
  for (const name of names) {
    current += `::${name}`;
    let child = node.groups.find((g) => g.name === name);
    if (!child) {
      child = { name, path: current, groups: [], checks: [] };
      node.groups.push(child);
    }
    node = child;
  }
  return node;
}
