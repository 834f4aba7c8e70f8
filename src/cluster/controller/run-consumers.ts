// What a controller run's loop (core/run/run-loop.ts) fans each tick out to: the live event feed
// (SSE progress events), the per-second series in the store, and the totals the Prometheus view
// shows. Each consumer is synchronous and never blocks the loop.
import type { RunConsumer, RunSnapshot } from "../../core/run/run-loop.ts";
import { intervalMetrics } from "./metric-fields.ts";
import type { EventFeed } from "./run-events.ts";
import type { FleetStatus } from "./run-metrics.ts";
import type { AgentRate, RunDetail, SeriesPoint } from "../api-types.ts";

/** What a progress event adds beside the snapshot: the run page's tables and each agent's rate. */
export interface ProgressExtras {
  detail(s: RunSnapshot<FleetStatus>): RunDetail;
  agentRates(): AgentRate[];
}

/** One `progress` event per tick, the final snapshot included (`final: true`, followed by `finished`). */
export function progressConsumer(runId: string, feed: EventFeed, now: () => number, extras: ProgressExtras): RunConsumer<FleetStatus> {
  return {
    name: "event feed",
    onTick(s: RunSnapshot<FleetStatus>) {
      const { elapsedMs, activeVus, maxVus, reporting, fleet, scenarios } = s.status;
      feed.emit({
        type: "progress", runId, elapsedMs, reporting, final: s.final, activeVus, maxVus, fleet, scenarios,
        metrics: intervalMetrics(s.interval.metrics), detail: extras.detail(s), agentRates: extras.agentRates(), atUnixMs: now(),
      });
    },
  };
}

/** One series point per tick, the final partial second included. */
export function seriesConsumer(runId: string, write: (runId: string, point: SeriesPoint) => void): RunConsumer<FleetStatus> {
  return {
    name: "series store",
    onTick(s: RunSnapshot<FleetStatus>) {
      write(runId, { elapsedMs: s.status.elapsedMs, data: intervalMetrics(s.interval.metrics) });
    },
  };
}

/** Run totals for GET /metrics, summed from the intervals (each sample is in exactly one). */
export class PrometheusTotals implements RunConsumer<FleetStatus> {
  readonly name = "prometheus view";
  /** http_reqs so far; undefined until the metric appeared. */
  httpReqs: number | undefined;

  onTick(s: RunSnapshot<FleetStatus>): void {
    const v = s.interval.metrics.http_reqs;
    if (v?.type === "counter") this.httpReqs = (this.httpReqs ?? 0) + v.count;
  }
}
