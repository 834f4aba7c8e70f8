// What a controller run's loop (core/run/run-loop.ts) fans each tick out to: the live event feed
// (SSE progress events), the per-second series in the store, and the totals the Prometheus view
// shows. Each consumer is synchronous and never blocks the loop.
import type { RunConsumer, RunSnapshot } from "../../core/run/run-loop.ts";
import { intervalMetrics } from "./metric-fields.ts";
import type { EventFeed } from "./run-events.ts";
import type { FleetStatus } from "./run-metrics.ts";
import type { AgentRate, RunDetail, SeriesPoint } from "../api-types.ts";
import type { RunAgent } from "./run-state.ts";
import type { BatchMark } from "./unreported.ts";

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

/**
 * One series point per tick, the final partial second included. With `agentRequests` the point
 * also holds, per agent, `agent_reqs{agent:<agentId>}` as counter fields: the requests (every
 * `*_reqs` counter) of that agent's batches merged since the previous tick (docs/api.md).
 */
export function seriesConsumer(runId: string, write: (runId: string, point: SeriesPoint) => void, agentRequests?: () => Record<string, number>): RunConsumer<FleetStatus> {
  let lastMs = 0;
  return {
    name: "series store",
    onTick(s: RunSnapshot<FleetStatus>) {
      const data = intervalMetrics(s.interval.metrics);
      const seconds = Math.max(0.001, (s.status.elapsedMs - lastMs) / 1000);
      lastMs = s.status.elapsedMs;
      for (const [agentId, count] of Object.entries(agentRequests?.() ?? {})) {
        data[`agent_reqs{agent:${agentId}}`] = { count, rate: Math.round((count / seconds) * 1000) / 1000 };
      }
      write(runId, { elapsedMs: s.status.elapsedMs, data });
    },
  };
}

/**
 * Each call: per agent, the requests of its batches merged since the previous call, read from
 * its report log's marks (unreported.ts keeps the last few; the series reads them once a second).
 */
export function agentRequestCounter(agents: () => Iterable<RunAgent>): () => Record<string, number> {
  const counted = new WeakSet<BatchMark>();
  return () => {
    const out: Record<string, number> = {};
    for (const agent of agents()) {
      let requests = 0;
      for (const mark of agent.reports.recent) {
        if (counted.has(mark)) continue;
        counted.add(mark);
        requests += mark.requests;
      }
      out[agent.agentId] = requests;
    }
    return out;
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
