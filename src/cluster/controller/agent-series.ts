// Per-agent series, on request (an output's `perAgent: true`, controller/run-outputs.ts): the
// controller merges each agent's batch a second time, into a run-wide aggregator of its own, with
// the tag `agent` (the agent's name) added to every series, so those outputs see one series per
// agent where the others see the merged one. A second run loop (no thresholds) takes its
// intervals on the same ticks as the run's own loop (run-merge.ts). Nothing of it reaches the
// summary, the thresholds or the other outputs.
import { RunLoop, type RunConsumer, type RunResult } from "../../core/run/run-loop.ts";
import { ThresholdEvaluator } from "../../core/thresholds/evaluator.ts";
import { Aggregator } from "../../metrics/aggregator.ts";
import type { MetricRegistry } from "../../metrics/registry.ts";
import { parseSeriesKey, seriesKey } from "../../metrics/series.ts";
import type { MetricDelta, SeriesKey } from "../../metrics/types.ts";
import type { RunLoopStatus } from "../../core/run/run-loop.ts";

/** `delta` with the tag `agent` on every series (a series that had one keeps the agent's name). */
export function withAgentTag(delta: MetricDelta, agent: string): MetricDelta {
  const rekey = <T>(section: Record<SeriesKey, T>): Record<SeriesKey, T> => {
    const out: Record<SeriesKey, T> = {};
    for (const [key, value] of Object.entries(section)) {
      const { name, tags } = parseSeriesKey(key);
      out[seriesKey(name, { ...tags, agent })] = value;
    }
    return out;
  };
  return {
    ...(delta.definitions ? { definitions: delta.definitions } : {}),
    counters: rekey(delta.counters),
    rates: rekey(delta.rates),
    gauges: rekey(delta.gauges),
    trends: rekey(delta.trends),
  };
}

/** The per-agent aggregator and its loop, fed by run-merge.ts. */
export class AgentSeries<S extends RunLoopStatus> {
  readonly #aggregator: Aggregator;
  readonly #loop: RunLoop<S>;

  constructor(registry: MetricRegistry, status: () => S, consumers: readonly RunConsumer<S>[], now: () => number, onConsumerError: (name: string, error: unknown) => void) {
    this.#aggregator = new Aggregator(registry);
    this.#loop = new RunLoop<S>({ aggregator: this.#aggregator, thresholds: new ThresholdEvaluator([], registry), status, consumers, now, onConsumerError });
  }

  /** After the run's aggregator merged it; a delta the run's aggregator refused is never passed here. */
  merge(agent: string, delta: MetricDelta): void {
    this.#aggregator.merge(withAgentTag(delta, agent));
  }

  tick(): void {
    this.#loop.tick();
  }

  finish(): Promise<RunResult<S>> {
    return this.#loop.finish({ summary: { planName: "", scenarios: [], notes: [] } });
  }
}
