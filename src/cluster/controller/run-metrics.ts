// Reading agents' metric batches into a run, and the fleet's status the run loop reads each tick.
// A batch's delta is JSON (the shared MetricDelta); its `vus` / `vus_max` gauges are the agent's
// own (cluster/agent/agent-run.ts puts them there), so the fleet's values are sums over agents,
// never the latest write. Pure.
import type { RunLoopStatus } from "../../core/run/run-loop.ts";
import type { MetricDelta } from "../../metrics/types.ts";
import { mergeScenarioStatuses, type ScenarioStatus } from "../../core/run/scenario-progress.ts";
import type { FleetFigures } from "../api-types.ts";
import { activeAgents, type RunAgent, type RunState } from "./run-state.ts";

export interface AgentBatch {
  /** The delta without the vus gauges and the progress, ready for Aggregator.merge. */
  delta: MetricDelta;
  vus?: number;
  vusMax?: number;
  /** The agent's per-scenario progress as sent (unchecked: core/run/scenario-progress.ts `readScenarioStatuses`). */
  progress?: unknown;
}

/** Decodes a MetricsBatch delta; undefined when it is not a JSON delta. */
export function readAgentBatch(bytes: Uint8Array): AgentBatch | undefined {
  let parsed: Partial<MetricDelta> & { progress?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes)) as Partial<MetricDelta>;
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { progress, ...rest } = parsed;
  const gauges = { ...(rest.gauges ?? {}) };
  const batch: AgentBatch = {
    delta: { ...rest, counters: rest.counters ?? {}, rates: rest.rates ?? {}, gauges, trends: rest.trends ?? {} },
  };
  if (progress !== undefined) batch.progress = progress;
  if ("vus" in gauges) batch.vus = gauges.vus;
  if ("vus_max" in gauges) batch.vusMax = gauges.vus_max;
  delete gauges.vus;
  delete gauges.vus_max;
  return batch;
}

/** The fleet as the run loop sees it each tick (core/run/run-loop.ts), plus its agents by state. */
export interface FleetStatus extends RunLoopStatus {
  /** Every scenario's progress added up over the agents, in plan order (lost agents' VUs count as gone). */
  scenarios: ScenarioStatus[];
  fleet: FleetFigures;
}

/** Run time on the controller's clock: from the start barrier to the end (or now). */
function elapsedOf(state: RunState, now: number): number {
  if (state.startAtUnixMs === undefined) return 0;
  return Math.max(0, (state.endedAtUnixMs ?? now) - state.startAtUnixMs);
}

/**
 * The fleet now. `reporting` once every active agent has reported its VUs (and some agent did):
 * before that the fleet's figures would leave out agents that run load.
 */
export function fleetStatus(state: RunState, now: number): FleetStatus {
  const agents = [...state.agents.values()];
  const active = activeAgents(state);
  return {
    elapsedMs: elapsedOf(state, now),
    activeVus: fleetVus(agents),
    maxVus: fleetVusMax(agents),
    reporting: agents.some((a) => a.reportedVus) && active.every((a) => a.reportedVus),
    scenarios: fleetScenarios(state, agents),
    fleet: {
      agents: agents.length,
      healthy: active.length,
      done: agents.filter((a) => a.state === "finished" || a.state === "stopped").length,
      failed: agents.filter((a) => a.state === "failed").length,
      lost: agents.filter((a) => a.state === "lost").length,
    },
  };
}

/** The agents' last progress added up, in the plan's scenario order; a lost agent runs no VU any more. */
function fleetScenarios(state: RunState, agents: readonly RunAgent[]): ScenarioStatus[] {
  const lists = agents.map((a) => (a.state === "lost" ? a.progress.map((s) => ({ ...s, activeVus: 0 })) : a.progress));
  const merged = mergeScenarioStatuses(lists);
  const order = new Map(state.plan.scenarios.map((s, i) => [s.name, i]));
  return merged.sort((a, b) => (order.get(a.name) ?? Infinity) - (order.get(b.name) ?? Infinity));
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
