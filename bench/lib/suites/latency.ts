// Suite 2, latency truth. The delay server answers every request after exactly `delayMs`
// (its measured hold times are recorded next to each run). Each tool sends a fixed rate below
// saturation, by its own means (ToolAdapter.rateModel); wrk, which has no rate limiter, runs
// closed with rate × delay connections. Error = reported − delay, for p50 and p99.
// The stall case arms a one-off stall (the server answers nothing for `stallMs`) half-way
// through each tool's run, counted from its first request. An open-model client keeps sending
// during the stall, so a share stallMs/duration of its requests wait up to stallMs: its ideal
// p99 is stall + delay − 1% of the duration. A client that waits for each response before the
// next (coordinated omission) records only one slow request per connection and hides it.
import type { DelayTarget } from "../delay-target.ts";
import { rotate } from "../stats.ts";
import type { LoadSpec, ToolAdapter } from "../tool.ts";
import type { RunRecord } from "../types.ts";
import { measure, selected, type SuiteEnv } from "./common.ts";

/** The p99 a client that never omits would report for a one-off stall (ms). */
export function idealStallP99(stallMs: number, delayMs: number, durationSec: number): number {
  return Math.max(delayMs, stallMs + delayMs - 0.01 * durationSec * 1000);
}

/** The verdict on a stall-case p99: does it show at least half of the stall? */
export function showsStall(p99Ms: number | null, stallMs: number, delayMs: number): boolean | null {
  return p99Ms === null ? null : p99Ms >= delayMs + stallMs / 2;
}

export function latencySpec(tool: ToolAdapter, env: SuiteEnv, url: string): LoadSpec {
  const { latencyRate, latencyConnections, delayMs, durationSec } = env.opts;
  if (tool.fixedRate) return { url, connections: latencyConnections, durationSec, rate: latencyRate };
  return { url, connections: Math.max(1, Math.round((latencyRate * delayMs) / 1000)), durationSec };
}

export async function latencyRound(env: SuiteEnv, target: DelayTarget, round: number): Promise<void> {
  const { delayMs, stallMs, durationSec } = env.opts;
  for (const stall of [false, true]) {
    for (const tool of rotate(selected(env), round - 1)) {
      const spec = latencySpec(tool, env, target.url);
      await measure(env, {
        kind: stall ? "latency-stall" : "latency-steady",
        label: stall ? `${stallMs} ms stall` : `${delayMs} ms delay`,
        round,
        tool,
        spec,
        target,
        before: async () => {
          await target.reset();
          if (stall) await target.arm((durationSec * 1000) / 2, stallMs);
        },
        after: async (r: RunRecord) => {
          const s = await target.stats();
          const m = r.metrics;
          r.extra = {
            ...r.extra,
            rateAsked: spec.rate ?? null,
            connections: spec.connections,
            serverHoldP50: s.holdP50,
            serverHoldP99: s.holdP99,
            stalledRequests: s.stalled,
            p50Error: m?.p50Ms == null ? null : m.p50Ms - delayMs,
            p99Error: m?.p99Ms == null ? null : m.p99Ms - delayMs,
          };
          if (stall) {
            const shows = showsStall(m?.p99Ms ?? null, stallMs, delayMs);
            r.extra.idealP99 = idealStallP99(stallMs, delayMs, durationSec);
            r.extra.showsStall = shows === null ? null : shows ? "shows" : "hides";
          }
        },
      });
    }
  }
}
