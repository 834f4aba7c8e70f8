// The run's figures broken down by request name, by group and by error, from the merged
// aggregator at the end of the run (exact: percentiles of merged histograms). Part of the Summary
// (`breakdown`), so every host that builds one (local run, controller) has it, and a stored run
// keeps it for its report (src/report/). Pure reads of the aggregator.
//
// Request metrics follow k6's naming per protocol: `<p>_reqs` (counter), `<p>_req_duration`
// (trend of time), `<p>_req_failed` (rate). Rows are bounded (MAX_ROWS per table, the busiest
// first) so that a plan with an id in its request names cannot blow up the summary.
import type { Aggregator } from "../../metrics/aggregator.ts";
import { k6Fields } from "../../metrics/values.ts";

/** Rows kept per table; the rest are counted in `omitted`. */
export const MAX_ROWS = 200;
/** Request names listed per error. */
const MAX_NAMES_PER_ERROR = 10;

export interface LatencyRow {
  /** The request metric's protocol prefix: `http`, `grpc`, … */
  protocol: string;
  /** The request name (tag `name`), or the group path (tag `group`, "" at the root). */
  key: string;
  requests: number;
  /** Fraction of requests that failed (`<p>_req_failed`); absent without that rate. */
  failedRate?: number;
  /** k6's trend fields of `<p>_req_duration` in ms: count, avg, min, med, max, p(90), p(95), p(99). */
  duration: Record<string, number>;
}

export interface ErrorRow {
  protocol: string;
  /** The `error` tag's value: a code such as ECONNREFUSED or timeout. */
  error: string;
  count: number;
  /** Request names that failed with it, busiest first. */
  names: string[];
}

export interface SummaryBreakdown {
  byName: LatencyRow[];
  byGroup: LatencyRow[];
  errors: ErrorRow[];
  /** Rows left out past MAX_ROWS, per table. */
  omitted: { byName: number; byGroup: number; errors: number };
}

export function buildBreakdown(aggregator: Aggregator, elapsedMs: number): SummaryBreakdown {
  const byName: LatencyRow[] = [];
  const byGroup: LatencyRow[] = [];
  const errors: ErrorRow[] = [];
  for (const metric of aggregator.metricNames()) {
    const m = /^(.+)_req_duration$/.exec(metric);
    if (!m || aggregator.definition(metric)?.type !== "trend") continue;
    const protocol = m[1]!;
    byName.push(...rows(aggregator, protocol, "name", elapsedMs));
    byGroup.push(...rows(aggregator, protocol, "group", elapsedMs));
  }
  for (const metric of aggregator.metricNames()) {
    const m = /^(.+)_reqs$/.exec(metric);
    if (!m || aggregator.definition(metric)?.type !== "counter") continue;
    const found = new Map<string, Map<string, number>>();
    for (const series of aggregator.seriesOf(metric)) {
      const error = series.tags.error;
      if (!error) continue;
      const value = aggregator.query(metric, series.tags, elapsedMs);
      const count = value?.type === "counter" ? value.count : 0;
      const names = found.get(error) ?? new Map<string, number>();
      const name = series.tags.name ?? "";
      names.set(name, (names.get(name) ?? 0) + count);
      found.set(error, names);
    }
    for (const [error, names] of found) {
      const sorted = [...names].sort((a, b) => b[1] - a[1]);
      errors.push({
        protocol: m[1]!,
        error,
        count: sorted.reduce((n, [, c]) => n + c, 0),
        names: sorted.slice(0, MAX_NAMES_PER_ERROR).map(([name]) => name),
      });
    }
  }
  const bound = <T>(list: T[], weight: (row: T) => number) => {
    list.sort((a, b) => weight(b) - weight(a));
    const omitted = Math.max(0, list.length - MAX_ROWS);
    list.length = Math.min(list.length, MAX_ROWS);
    return omitted;
  };
  const omitted = {
    byName: bound(byName, (r) => r.requests),
    byGroup: bound(byGroup, (r) => r.requests),
    errors: bound(errors, (r) => r.count),
  };
  byGroup.sort((a, b) => a.protocol.localeCompare(b.protocol) || a.key.localeCompare(b.key));
  return { byName, byGroup, errors, omitted };
}

/** One row per distinct value of `tag` on `<protocol>_req_duration`. */
function rows(aggregator: Aggregator, protocol: string, tag: "name" | "group", elapsedMs: number): LatencyRow[] {
  const durationMetric = `${protocol}_req_duration`;
  const keys = new Set<string>();
  for (const series of aggregator.seriesOf(durationMetric)) {
    const value = series.tags[tag];
    if (value !== undefined) keys.add(value);
  }
  const out: LatencyRow[] = [];
  for (const key of keys) {
    const filter = { [tag]: key };
    const duration = aggregator.query(durationMetric, filter, elapsedMs);
    if (duration?.type !== "trend") continue;
    const requests = aggregator.query(`${protocol}_reqs`, filter, elapsedMs);
    const failed = aggregator.query(`${protocol}_req_failed`, filter, elapsedMs);
    out.push({
      protocol,
      key,
      requests: requests?.type === "counter" ? requests.count : duration.count,
      ...(failed?.type === "rate" ? { failedRate: failed.rate } : {}),
      duration: k6Fields(duration),
    });
  }
  return out;
}
