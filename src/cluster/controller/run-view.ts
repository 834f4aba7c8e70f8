// How a controller run is shown: the fleet section of its summary, the JSON view the HTTP API and
// the store use, and the words for an agent's share. Pure reads of a run's state (run-state.ts).
import type { RunAgentView, RunView } from "../api-types.ts";
import type { RunState } from "./run-state.ts";

export interface FleetSummary {
  agents: Array<Record<string, unknown>>;
  planned: number;
  lost: number;
}

export function fleetSummaryOf(run: RunState): FleetSummary {
  const agents = [...run.agents.values()].map((a) => ({
    id: a.agentId, name: a.name, labels: a.labels, partition: `${a.index + 1}/${a.count}`,
    scenarios: a.scenarios.map((s) => `${s.scenario} ${s.index + 1}/${s.count}`), state: a.state, clockOffsetMs: a.clockOffsetMs,
    ...(a.lostAtUnixMs !== undefined ? { lostAtMs: run.startAtUnixMs !== undefined ? a.lostAtUnixMs - run.startAtUnixMs : 0 } : {}),
    ...(a.error ? { error: a.error } : {}),
  }));
  return { agents, planned: agents.length, lost: agents.filter((a) => a.state === "lost").length };
}

export function runViewOf(run: RunState): RunView {
  return {
    id: run.id, planName: run.plan.name, planFile: run.submission.planFile, status: run.status,
    submittedAtUnixMs: run.submittedAtUnixMs,
    ...(run.startAtUnixMs !== undefined ? { startAtUnixMs: run.startAtUnixMs } : {}),
    ...(run.endedAtUnixMs !== undefined ? { endedAtUnixMs: run.endedAtUnixMs } : {}),
    ...(run.exitCode !== undefined ? { exitCode: run.exitCode } : {}),
    ...(run.error ? { error: run.error } : {}),
    onAgentLoss: run.options.onAgentLoss,
    agents: [...run.agents.values()].map(({ lastSeq: _s, vus: _v, vusMax: _m, reportedVus: _r, progress: _p, rejectedBatches: _b, rejectedProgress: _rp, notes: _n, ...view }) => view),
    notes: [...run.notes],
    ...(run.summary ? { summary: run.summary } : {}),
  };
}

/** "partition 2/3 of browse, burst" — which share of the plan an agent was running. */
export function describeShare(agent: Pick<RunAgentView, "scenarios">): string {
  const groups = new Map<string, string[]>();
  for (const s of agent.scenarios) {
    const key = `${s.index + 1}/${s.count}`;
    groups.set(key, [...(groups.get(key) ?? []), s.scenario]);
  }
  return [...groups].map(([part, names]) => `partition ${part} of ${names.join(", ")}`).join("; ");
}
