// The run page's tables beside its per-second charts, built on each tick of the run loop
// (core/run/run-loop.ts) by whichever host runs it (the controller's run, a local `loadr run
// --dashboard`): per request name since the start (the summary's breakdown,
// core/run/breakdown.ts, as of now: exact percentiles of the merged histograms), checks by
// name, and every threshold's verdict now. Shape: cluster/api-types.ts and docs/api.md
// (RunDetail). Pure apart from reading the aggregator; bounded.
import type { ThresholdResult } from "../core/thresholds/evaluator.ts";
import type { Aggregator } from "../metrics/aggregator.ts";
import { buildBreakdown } from "../core/run/breakdown.ts";
import type { CheckFigures, NameFigures, RunDetail } from "../cluster/api-types.ts";

export type { RunDetail };

/** Request names shown; a plan with more (ids in names) shows the busiest ones. */
export const MAX_DETAIL_NAMES = 50;
/** Checks shown. */
export const MAX_DETAIL_CHECKS = 100;

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
  // The per-name rows are the summary's breakdown (core/run/breakdown.ts) as of now: one query of
  // the merged histograms per name, every protocol's request metrics.
  const breakdown = buildBreakdown(aggregator, aggregator.elapsedMs());
  const busiest = [...breakdown.byName].sort((a, b) => b.requests - a.requests).slice(0, MAX_DETAIL_NAMES);
  const names = busiest
    .map((row): NameFigures => {
      const d = row.duration;
      return {
        name: row.key,
        protocol: row.protocol,
        requests: row.requests,
        failed: row.failedRate === undefined ? 0 : Math.round(row.failedRate * row.requests),
        ...(d.count ? { p50: round3(d.med!), p95: round3(d["p(95)"]!), p99: round3(d["p(99)"]!) } : {}),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.protocol < b.protocol ? -1 : 1));
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
    namesLeftOut: breakdown.byName.length - names.length + breakdown.omitted.byName,
  };
}
