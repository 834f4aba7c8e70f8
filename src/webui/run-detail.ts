// The run page's tables beside its per-second charts, built on each tick of the run loop
// (core/run/run-loop.ts) by whichever host runs it (the controller's run, a local `loadr run
// --dashboard`): per request name since the start (requests, failures, p50/p95/p99, exact: queried
// from the aggregator's merged histograms), checks by name, and every threshold's verdict now.
// Shape documented in docs/api.md (RunDetail). Pure apart from reading the aggregator; bounded.
import type { ThresholdResult } from "../core/thresholds/evaluator.ts";
import type { Aggregator } from "../metrics/aggregator.ts";

/** Request names shown; a plan with more (ids in names) shows the busiest ones. */
export const MAX_DETAIL_NAMES = 50;
/** Checks shown. */
export const MAX_DETAIL_CHECKS = 100;

export interface NameFigures {
  name: string;
  requests: number;
  /** Requests that failed (http_req_failed passes: k6 counts a failure as the rate's pass). */
  failed: number;
  /** Milliseconds; absent before the first sample. */
  p50?: number;
  p95?: number;
  p99?: number;
}

export interface CheckFigures {
  name: string;
  passes: number;
  fails: number;
}

export interface ThresholdVerdict {
  key: string;
  expression: string;
  ok: boolean;
  observed: number | null;
  noData: boolean;
}

export interface RunDetail {
  names: NameFigures[];
  checks: CheckFigures[];
  thresholds: ThresholdVerdict[];
  /** Request names left out past MAX_DETAIL_NAMES. */
  namesLeftOut: number;
}

const REQUESTS = "http_reqs";
const FAILED = "http_req_failed";
const DURATION = "http_req_duration";
const CHECKS = "checks";

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Distinct values of tag `tag` over the series of `metric`. */
function tagValues(aggregator: Aggregator, metric: string, tag: string): string[] {
  const out = new Set<string>();
  for (const s of aggregator.seriesOf(metric)) {
    const v = s.tags[tag];
    if (v !== undefined) out.add(v);
  }
  return [...out];
}

export function runDetail(aggregator: Aggregator, thresholds: readonly ThresholdResult[]): RunDetail {
  const counted = tagValues(aggregator, REQUESTS, "name").map((name) => {
    const v = aggregator.query(REQUESTS, { name });
    return { name, requests: v?.type === "counter" ? v.count : 0 };
  });
  counted.sort((a, b) => b.requests - a.requests || (a.name < b.name ? -1 : 1));
  const names = counted.slice(0, MAX_DETAIL_NAMES).map(({ name, requests }): NameFigures => {
    const failed = aggregator.query(FAILED, { name });
    const duration = aggregator.query(DURATION, { name });
    return {
      name,
      requests,
      failed: failed?.type === "rate" ? failed.passes : 0,
      ...(duration?.type === "trend" && duration.count > 0 ? { p50: round3(duration.med), p95: round3(duration.p95), p99: round3(duration.p99) } : {}),
    };
  });
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const checks = tagValues(aggregator, CHECKS, "check")
    .sort()
    .slice(0, MAX_DETAIL_CHECKS)
    .map((name): CheckFigures => {
      const v = aggregator.query(CHECKS, { check: name });
      return { name, passes: v?.type === "rate" ? v.passes : 0, fails: v?.type === "rate" ? v.fails : 0 };
    });
  return {
    names,
    checks,
    thresholds: thresholds.map((t) => ({ key: t.key, expression: t.expression, ok: t.ok, observed: t.observed === null ? null : round3(t.observed), noData: t.noData })),
    namesLeftOut: Math.max(0, counted.length - MAX_DETAIL_NAMES),
  };
}
