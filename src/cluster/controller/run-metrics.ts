// Reading agents' metric batches into a run, and the fleet's status the run loop reads each tick.
// A batch's delta is JSON (the shared MetricDelta); its `vus` / `vus_max` gauges are the agent's
// own (cluster/agent/agent-run.ts puts them there), so the fleet's values are sums over agents,
// never the latest write. Pure.
import type { RunLoopStatus } from "../../core/run/run-loop.ts";
import type { MetricDelta } from "../../metrics/types.ts";
import { activeAgents, type RunAgent, type RunState } from "./run-state.ts";

export interface AgentBatch {
  /** The delta without the vus gauges, ready for Aggregator.merge. */
  delta: MetricDelta;
  vus?: number;
  vusMax?: number;
}

/** Decodes a MetricsBatch delta; undefined when it is not a JSON delta. */
export function readAgentBatch(bytes: Uint8Array): AgentBatch | undefined {
  let parsed: Partial<MetricDelta>;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes)) as Partial<MetricDelta>;
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const gauges = { ...(parsed.gauges ?? {}) };
  const batch: AgentBatch = {
    delta: { ...parsed, counters: parsed.counters ?? {}, rates: parsed.rates ?? {}, gauges, trends: parsed.trends ?? {} },
  };
  if ("vus" in gauges) batch.vus = gauges.vus;
  if ("vus_max" in gauges) batch.vusMax = gauges.vus_max;
  delete gauges.vus;
  delete gauges.vus_max;
  return batch;
}

/** The fleet as the run loop sees it each tick (core/run/run-loop.ts), plus its active agents. */
export interface FleetStatus extends RunLoopStatus {
  agents: number;
}

/** Run time on the controller's clock: from the start barrier to the end (or now). */
function elapsedOf(state: RunState, now: number): number {
  if (state.startAtUnixMs === undefined) return 0;
  return Math.max(0, (state.endedAtUnixMs ?? now) - state.startAtUnixMs);
}

export function fleetStatus(state: RunState, now: number): FleetStatus {
  const agents = [...state.agents.values()];
  return {
    elapsedMs: elapsedOf(state, now),
    activeVus: fleetVus(agents),
    maxVus: fleetVusMax(agents),
    reporting: agents.some((a) => a.reportedVus),
    agents: activeAgents(state).length,
  };
}

type AgentVus = Pick<RunAgent, "state" | "vus" | "vusMax" | "activeVus">;

const busy = (a: AgentVus) => a.state === "assigned" || a.state === "running";

/** VUs of the fleet now: each active agent's last vus gauge, or its heartbeat's count before one arrived. */
function fleetVus(agents: Iterable<AgentVus>): number {
  let sum = 0;
  for (const a of agents) if (busy(a)) sum += a.vus || a.activeVus;
  return sum;
}

/** VUs the fleet allocated: every agent that took part, finished or lost included. */
function fleetVusMax(agents: Iterable<AgentVus>): number {
  let sum = 0;
  for (const a of agents) sum += a.vusMax;
  return sum;
}
