// How a controller run is shown: the fleet section of its summary, the JSON view the HTTP API and
// the store use, and the words for an agent's share. Pure reads of a run's state (run-state.ts).
import type { AgentRate, RunAgentView, RunView } from "../api-types.ts";
import { lossTimesOf } from "./run-end.ts";
import type { RunAgent, RunState } from "./run-state.ts";
import { recentRateOf, unreportedEstimate } from "./unreported.ts";

export interface FleetSummary {
  agents: Array<Record<string, unknown>>;
  planned: number;
  lost: number;
}

/**
 * The fleet section of the summary (`fleet` of --summary-json). A lost agent adds `lostAtMs`,
 * `lastBatchAtMs` (ms after the start barrier; absent when none arrived), `finalBatch` and
 * `unreportedEstimate: {windowMs, requests, iterations}` (unreported.ts).
 */
export function fleetSummaryOf(run: RunState): FleetSummary {
  const sinceStart = (unixMs: number) => (run.startAtUnixMs !== undefined ? unixMs - run.startAtUnixMs : 0);
  const agents = [...run.agents.values()].map((a) => ({
    id: a.agentId, name: a.name, labels: a.labels, partition: `${a.index + 1}/${a.count}`,
    scenarios: a.scenarios.map((s) => `${s.scenario} ${s.index + 1}/${s.count}`), state: a.state, clockOffsetMs: a.clockOffsetMs,
    ...(a.lostAtUnixMs !== undefined ? { lostAtMs: sinceStart(a.lostAtUnixMs) } : {}),
    ...(a.state === "lost" ? lostFacts(run, a, sinceStart) : {}),
    ...(a.error ? { error: a.error } : {}),
  }));
  return { agents, planned: agents.length, lost: agents.filter((a) => a.state === "lost").length };
}

function lostFacts(run: RunState, a: RunAgent, sinceStart: (unixMs: number) => number) {
  const { rateKnown: _, ...estimate } = unreportedEstimate(a.reports, lossTimesOf(run, a));
  return {
    ...(a.reports.lastAtUnixMs !== undefined ? { lastBatchAtMs: sinceStart(a.reports.lastAtUnixMs) } : {}),
    finalBatch: a.reports.final,
    unreportedEstimate: estimate,
  };
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
    agents: [...run.agents.values()].map(agentViewOf),
    notes: [...run.notes, ...[...run.agents.values()].flatMap((a) => (a.lossNote ? [a.lossNote] : []))],
    ...(run.summary ? { summary: run.summary } : {}),
    ...(run.detail ? { detail: run.detail } : {}),
  };
}

/** Each agent's request rate over its last few batches (0 before two arrived); lost agents send none. */
export function agentRatesOf(run: RunState): AgentRate[] {
  return [...run.agents.values()].map((a) => {
    const perMs = a.state === "lost" || run.startAtUnixMs === undefined ? undefined : recentRateOf(a.reports, run.startAtUnixMs);
    return { agentId: a.agentId, name: a.name, requestsPerSec: perMs ? Math.round(perMs.requests * 1000 * 10) / 10 : 0 };
  });
}

/** What the API shows of an agent's part in a run (the controller's bookkeeping left out). */
function agentViewOf(agent: RunAgent): RunAgentView {
  const { lastSeq: _s, vus: _v, vusMax: _m, reportedVus: _r, progress: _p, rejectedBatches: _b, rejectedProgress: _rp, notes: _n, reports: _l, killSentAtUnixMs: _k, lossNote: _o, ...view } = agent;
  return view;
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
