// What a controller run's loop (core/run/run-loop.ts) fans each tick out to: the live event feed
// (SSE progress events), the per-second series in the store, and the totals the Prometheus view
// shows. Each consumer is synchronous and never blocks the loop.
import type { RunConsumer, RunSnapshot } from "../../core/run/run-loop.ts";
import { compactMetrics } from "./compact-metrics.ts";
import type { EventFeed } from "./run-events.ts";
import type { FleetStatus } from "./run-metrics.ts";

/** One `progress` event per tick while the run is live (the final snapshot is followed by `finished`). */
export function progressConsumer(runId: string, feed: EventFeed, now: () => number): RunConsumer<FleetStatus> {
  return {
    name: "event feed",
    onTick(s: RunSnapshot<FleetStatus>) {
      if (s.final) return;
      const { elapsedMs, activeVus, maxVus, agents } = s.status;
      feed.emit({ type: "progress", runId, elapsedMs, activeVus, maxVus, agents, metrics: compactMetrics(s.interval.metrics), atUnixMs: now() });
    },
  };
}

/** One series point per tick, the final partial second included. */
export function seriesConsumer(runId: string, write: (runId: string, elapsedMs: number, data: Record<string, unknown>) => void): RunConsumer<FleetStatus> {
  return {
    name: "series store",
    onTick(s: RunSnapshot<FleetStatus>) {
      write(runId, s.status.elapsedMs, { vus: s.status.activeVus, ...compactMetrics(s.interval.metrics) });
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
