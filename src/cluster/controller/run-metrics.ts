// Reading agents' metric batches into a run, and the fleet's status the run loop reads each tick.
// A batch's delta is JSON (the shared MetricDelta) from the network: its shape is checked here,
// its values by the merge. Its `vus` / `vus_max` gauges are the agent's own
// (cluster/agent/agent-run.ts puts them there), so the fleet's values are sums over agents,
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

const SECTIONS = ["definitions", "counters", "rates", "gauges", "trends"] as const;
/** Beside the delta sections: the agent's per-scenario progress (checked by the run against its plan). */
const PROGRESS = "progress";
/** More VUs than one agent could run: a vus gauge past this is not a count. */
const MAX_AGENT_VUS = 10_000_000;

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Decodes a MetricsBatch delta and checks its shape: a JSON object of the MetricDelta sections,
 * each an object, and `vus` / `vus_max` gauges that are VU counts. Returns the batch, or what is
 * wrong with it in words. The values and histograms are checked by the merge (metrics/delta-check.ts).
 */
export function readAgentBatch(bytes: Uint8Array): AgentBatch | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { problem: "its delta is not JSON" };
  }
  if (!isPlainObject(parsed)) return { problem: "its delta is not a JSON object" };
  for (const key of Object.keys(parsed)) {
    if (key !== PROGRESS && !(SECTIONS as readonly string[]).includes(key)) return { problem: `its delta has an unknown section ${JSON.stringify(key.slice(0, 40))}` };
  }
  for (const section of SECTIONS) {
    if (parsed[section] !== undefined && !isPlainObject(parsed[section])) return { problem: `its delta's ${section} is not an object` };
  }
  const raw = parsed as Partial<MetricDelta>;
  const gauges = { ...(raw.gauges ?? {}) };
  const batch: AgentBatch = {
    delta: { ...(raw.definitions ? { definitions: raw.definitions } : {}), counters: raw.counters ?? {}, rates: raw.rates ?? {}, gauges, trends: raw.trends ?? {} },
  };
  if (parsed[PROGRESS] !== undefined) batch.progress = parsed[PROGRESS];
  for (const [name, field] of [["vus", "vus"], ["vus_max", "vusMax"]] as const) {
    if (!Object.hasOwn(gauges, name)) continue;
    const value = gauges[name];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_AGENT_VUS) {
      return { problem: `its ${name} gauge is not a VU count: ${JSON.stringify(value)?.slice(0, 40)}` };
    }
    batch[field] = value;
    delete gauges[name];
  }
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
