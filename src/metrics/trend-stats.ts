// k6's summaryTrendStats: the figures of a trend the end-of-run summary shows and exports, e.g.
// `avg`, `min`, `med`, `max`, `count` and any percentile `p(N)` with 0 ≤ N ≤ 100 (`p(99.9)`).
// Set by the plan's `summaryTrendStats:` or `loadr run --summary-trend-stats`. Pure.

/** k6's default columns. */
export const DEFAULT_TREND_STATS: readonly string[] = Object.freeze(["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"]);

const NAMED = ["avg", "min", "med", "max", "count"];
const PERCENTILE = /^p\((\d+(?:\.\d+)?)\)$/;

/** The percentile `p(N)` names (N), or undefined for another stat. */
export function percentileOf(stat: string): number | undefined {
  const match = PERCENTILE.exec(stat);
  return match ? Number(match[1]) : undefined;
}

/** Why `stat` is not a trend stat, or undefined when it is one. */
export function trendStatProblem(stat: string): string | undefined {
  if (NAMED.includes(stat)) return undefined;
  const p = percentileOf(stat);
  if (p !== undefined && p <= 100) return undefined;
  if (p !== undefined) return `${stat}: a percentile is at most 100`;
  return `"${stat}" is not a trend stat (use ${NAMED.join(", ")} or a percentile like p(99.9))`;
}

/** The key of a stat's figure in a trend's summary values (`p(99.90)` is `p(99.9)`). */
export function trendStatKey(stat: string): string {
  const p = percentileOf(stat);
  return p === undefined ? stat : `p(${p})`;
}
