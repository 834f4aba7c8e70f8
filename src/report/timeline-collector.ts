// A run-loop consumer (core/run/run-loop.ts) that keeps the per-second figures a report's
// timeline needs (report/timeline.ts) for a local run, where nothing else keeps them: the request
// counters, the failed rates, the VUs and the request latency trends of each tick, in the
// controller series' shape (cluster/controller/metric-fields.ts). About 0.5 KB per second of run.
import type { RunConsumer, RunSnapshot } from "../core/run/run-loop.ts";
import type { IntervalMetrics } from "../cluster/api-types.ts";
import { intervalMetrics } from "../cluster/controller/metric-fields.ts";

const KEPT = /^(vus|vus_max|iterations|[a-z0-9]+_reqs|[a-z0-9]+_req_failed|[a-z0-9]+_req_duration)$/;

export class TimelineCollector implements RunConsumer {
  readonly name = "report timeline";
  readonly points: Array<{ elapsedMs: number; data: IntervalMetrics }> = [];
  /** Wall clock of the run's start (the first interval's start less its run time). */
  startedAtUnixMs: number | undefined;

  onTick(snapshot: RunSnapshot): void {
    const { interval, status } = snapshot;
    this.startedAtUnixMs ??= Math.round(interval.startUnixMs - interval.startMs);
    const data = intervalMetrics(Object.fromEntries(Object.entries(interval.metrics).filter(([name]) => KEPT.test(name))));
    this.points.push({ elapsedMs: status.elapsedMs, data });
  }
}
