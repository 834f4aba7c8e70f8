// The open-model loop of the arrival-rate family (plans made by arrival-plan.ts). Each tick it asks the rate
// profile how many arrivals of the WHOLE scenario are due (A(t) integral, no timer per arrival),
// starts those whose global index this segment owns (van der Corput striping on its VU grid), and
// sleeps until its next owned arrival (at least TICK_MIN_MS, at most TICK_MAX_MS). Each start
// records iteration_start_delay = actual − scheduled; with every VU busy and maxVUs reached the
// arrival is dropped (dropped_iterations), never queued.
import type { VirtualUser } from "../vu.ts";
import type { ArrivalRatePlan, ExecutorContext, ExecutorOutcome } from "./types.ts";
import { indexOwner } from "../segment.ts";
import { RateCursor } from "./rate-profile.ts";
import { ExecutorRun } from "./lifecycle.ts";

/** Shortest sleep between ticks: at high rates a tick starts every arrival due in the last ms. */
export const TICK_MIN_MS = 1;
/** Longest sleep between ticks (re-reads pause state and clock drift). */
export const TICK_MAX_MS = 1000;

export async function runArrivals(plan: ArrivalRatePlan, ctx: ExecutorContext): Promise<ExecutorOutcome> {
  const run = new ExecutorRun(ctx);
  const { stats, metrics, tags } = ctx;
  const stop = run.stopStarting.signal;
  const free: VirtualUser[] = [];
  let created = 0;
  for (; created < plan.vus.initial; created++) free.push(run.createVu(plan.vus, created));

  const launch = (scheduledAt: number, now: number) => {
    let vu = free.pop();
    if (!vu && created < plan.vus.max) vu = run.createVu(plan.vus, created++);
    if (!vu) {
      stats.dropped++;
      metrics.add("dropped_iterations", 1, tags);
      return;
    }
    metrics.add("iteration_start_delay", Math.max(0, now - scheduledAt), tags);
    stats.activeVus++;
    const busy = vu;
    run.iterateThen(busy, () => {
      stats.activeVus--;
      free.push(busy);
    });
  };

  const owns = indexOwner(plan.arrivalSegment);
  const cursor = new RateCursor(plan.profile);
  const total = plan.totalArrivals;
  let next = 0; // next global arrival index not yet considered
  let nextOwned = -1; // cached: the first owned index >= next, or total
  while (plan.iterations > 0 && next < total && !stop.aborted) {
    if (ctx.pause.paused) {
      await ctx.pause.resumed(stop);
      continue;
    }
    const now = run.timeline.elapsed();
    const due = cursor.due(now);
    for (; next < due && !stop.aborted; next++) if (owns(next)) launch(cursor.scheduledAt(next), now);
    if (nextOwned < next) {
      nextOwned = next;
      while (nextOwned < total && !owns(nextOwned)) nextOwned++;
    }
    if (nextOwned >= total) break;
    const wake = Math.min(Math.max(cursor.scheduledAt(nextOwned), now + TICK_MIN_MS), now + TICK_MAX_MS);
    await run.timeline.waitUntil(wake, stop, TICK_MAX_MS);
  }
  await run.runUntil(plan.durationMs);
  return run.finish();
}
