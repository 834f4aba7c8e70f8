// Runs a plan in real worker threads (startLocalRun) and sums what its merged deltas hold, per
// series tag: for tests that assert counts by tag (`error=closed`) the summary export does not
// split. Counters by tag value, rates as [passes, fails] by tag value, trend series by name.
import { startLocalRun } from "../../src/core/run/local-run.ts";
import type { LocalRunOutcome } from "../../src/core/run/types.ts";
import { WHOLE } from "../../src/core/segment.ts";
import { parseSeriesKey } from "../../src/metrics/series.ts";
import type { MetricDelta } from "../../src/metrics/types.ts";

export interface RunDeltas {
  outcome: LocalRunOutcome;
  /** Sum of `metric`'s counter series by the value of `tag` ("" when a series lacks it). */
  counterBy(metric: string, tag: string): Record<string, number>;
  /** Sum over every series of the counter `metric`. */
  counter(metric: string): number;
  /** [passes, fails] of the rate `metric` by the value of `tag`. */
  rateBy(metric: string, tag: string): Record<string, [number, number]>;
  /** Whether a trend series of `metric` was delivered. */
  hasTrend(metric: string): boolean;
}

export async function runPlanDeltas(yaml: string, env: Record<string, string>, workers = 2, baseDir = "/"): Promise<RunDeltas> {
  const deltas: MetricDelta[] = [];
  const run = startLocalRun({ source: { text: yaml, file: "plan.yaml", baseDir, env }, segment: WHOLE, workers, onDelta: (delta) => deltas.push(delta) });
  const outcome = await run.done;
  const series = function* (map: (d: MetricDelta) => Record<string, unknown>) {
    for (const delta of deltas) for (const [key, value] of Object.entries(map(delta))) yield { ...parseSeriesKey(key), value };
  };
  const counterBy = (metric: string, tag: string) => {
    const out: Record<string, number> = {};
    for (const { name, tags, value } of series((d) => d.counters)) if (name === metric) out[tags[tag] ?? ""] = (out[tags[tag] ?? ""] ?? 0) + (value as number);
    return out;
  };
  return {
    outcome,
    counterBy,
    counter: (metric) => Object.values(counterBy(metric, "")).reduce((a, b) => a + b, 0),
    rateBy(metric, tag) {
      const out: Record<string, [number, number]> = {};
      for (const { name, tags, value } of series((d) => d.rates)) {
        if (name !== metric) continue;
        const seen = (out[tags[tag] ?? ""] ??= [0, 0]);
        seen[0] += (value as [number, number])[0];
        seen[1] += (value as [number, number])[1];
      }
      return out;
    },
    hasTrend: (metric) => [...series((d) => d.trends)].some((s) => s.name === metric),
  };
}
