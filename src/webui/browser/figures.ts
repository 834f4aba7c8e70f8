// Reading figures out of the API's shapes (docs/api.md: one shape per metric type, k6's field
// names; time in ms): an interval's metrics and the summary's metric list. Pure.
import type { IntervalMetrics, Summary } from "./types.ts";

export const field = (data: IntervalMetrics, metric: string, name: string): number | undefined => data[metric]?.[name];

/** A summary metric's figure, e.g. ("http_req_duration", "p(95)"). */
export function summaryFigure(summary: Summary | undefined, metric: string, name: string): number | undefined {
  return summary?.metrics.find((m) => m.name === metric)?.values[name];
}

/** Every check of a summary group tree, with its group path. */
export function summaryChecks(summary: Summary): { name: string; path: string; passes: number; fails: number }[] {
  const out: { name: string; path: string; passes: number; fails: number }[] = [];
  const walk = (g: Summary["rootGroup"]) => {
    out.push(...g.checks);
    for (const c of g.groups) walk(c);
  };
  walk(summary.rootGroup);
  return out;
}
