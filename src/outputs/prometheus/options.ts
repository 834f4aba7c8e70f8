// The options both Prometheus outputs take (remote write, outputs/prometheus-rw/, and the scrape
// endpoint, outputs/prometheus/), declared once for the plan's `outputs:` entries and read into
// what outputs/prometheus/run-series.ts needs. `--out` gives none: the defaults apply.
//
//   prefix            metric name prefix, default "loadr_"
//   nativeHistograms  trends as native histograms (default true)
//   trendStats        trend figures also sent as gauges, k6's names: [avg, "p(95)", "p(99.9)", count …];
//                     default none, or k6's defaults (avg, min, med, max, p(90), p(95), p(99)) when
//                     nativeHistograms is false
//   labels            extra labels on every series: { team: checkout }
import * as v from "valibot";
import { bool, list, map, optional, scalar, str, type Schema } from "../../config/schema/helpers.ts";
import { DEFAULT_TREND_STATS, trendStatProblem } from "../../metrics/trend-stats.ts";
import { ConfigError } from "../../shared/errors.ts";
import { DEFAULT_PREFIX, labelNameProblem, prefixProblem } from "./naming.ts";
import type { FamilyView } from "./run-series.ts";

export const PROMETHEUS_OPTIONS = {
  prefix: optional(str("a metric name prefix")),
  nativeHistograms: optional(bool),
  trendStats: optional(list(trendStat(), "trend stats")),
  labels: optional(map(scalar, "label values")),
};

/** One trend stat (metrics/trend-stats.ts), checked where it is written. */
function trendStat(): Schema {
  return v.pipe(
    v.string("expected a trend stat like p(95)"),
    v.check((stat) => trendStatProblem(stat) === undefined, (issue) => trendStatProblem(String(issue.input)) ?? "not a trend stat"),
  ) as Schema;
}

export interface PrometheusOptions {
  prefix: string;
  view: FamilyView;
  labels: Record<string, string>;
}

/** Reads the validated options; a wrong value is a ConfigError naming `origin`. */
export function readPrometheusOptions(options: Readonly<Record<string, unknown>>, origin: string): PrometheusOptions {
  const prefix = typeof options.prefix === "string" ? options.prefix : DEFAULT_PREFIX;
  const bad = prefixProblem(prefix);
  if (bad) throw new ConfigError(`${origin}: prefix ${bad}`, `for example prefix: ${DEFAULT_PREFIX}`);
  const native = options.nativeHistograms !== false;
  const stats = Array.isArray(options.trendStats) ? options.trendStats.map(String) : native ? [] : [...DEFAULT_TREND_STATS];
  for (const stat of stats) {
    const problem = trendStatProblem(stat);
    if (problem) throw new ConfigError(`${origin}: trendStats: ${problem}`, `for example trendStats: [avg, "p(95)", "p(99)"]`);
  }
  if (!native && stats.length === 0) throw new ConfigError(`${origin}: with nativeHistograms: false and trendStats: [], trends would not be sent at all`, "list the trend stats to send, or leave nativeHistograms on");
  const labels: Record<string, string> = {};
  if (options.labels && typeof options.labels === "object") {
    for (const [name, value] of Object.entries(options.labels as Record<string, unknown>)) {
      const problem = labelNameProblem(name);
      if (problem) throw new ConfigError(`${origin}: labels: ${problem}`, "use letters, digits and _ (like team: checkout)");
      labels[name] = String(value);
    }
  }
  return { prefix, view: { native, trendStats: stats }, labels };
}
