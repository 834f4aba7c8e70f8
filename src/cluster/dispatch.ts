// Which agents run a run, and which share of each scenario each one runs. Pure: the controller
// calls it with a snapshot of the fleet; tests check every case with no I/O (Locust dispatch.py).
//
// Rules:
// - An agent is eligible when it is idle and its labels match the run's selector.
// - `expected` agents are picked (0: every eligible agent, at least one). Agents that a
//   scenario's own selector needs are picked first, so targeting is honoured when it can be.
// - A scenario runs on the picked agents whose labels match its selector (all picked agents
//   when it has none); its partition count is the number of those agents, each gets index i.
// - Agents that end up with no scenario are left out of the run.
import type { ScenarioPartition } from "./protocol.ts";

export type Labels = Record<string, string>;

export interface AgentCandidate {
  id: string;
  name: string;
  labels: Labels;
  available: boolean;
}

export interface DispatchRequest {
  /** Agents to use; 0 means all eligible (at least one). */
  expected: number;
  selector: Labels;
  /** Scenario names in plan order. */
  scenarios: string[];
  /** Per-scenario label selectors (scenario targeting). */
  scenarioSelectors: Record<string, Labels>;
}

export interface AgentAssignment {
  agentId: string;
  /** Position among the run's agents, and their number (the run-wide partition). */
  index: number;
  count: number;
  scenarios: ScenarioPartition[];
}

export type DispatchDecision =
  | { kind: "dispatch"; assignments: AgentAssignment[] }
  /** Not enough agents yet: `reason` says what is missing (shown while waiting, and on timeout). */
  | { kind: "wait"; reason: string }
  /** Can never succeed as requested (a bad request, not a shortage). */
  | { kind: "invalid"; reason: string };

export function matchesSelector(labels: Labels, selector: Labels): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function formatSelector(selector: Labels): string {
  const entries = Object.entries(selector);
  return entries.length === 0 ? "(any labels)" : entries.map(([k, v]) => `${k}=${v}`).join(",");
}

/** Parses `k=v,k2=v2` (the --labels flag). */
export function parseLabels(text: string): Labels | { error: string } {
  const labels: Labels = {};
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    const key = eq > 0 ? part.slice(0, eq).trim() : "";
    if (!key || !/^[A-Za-z0-9_.\/-]+$/.test(key)) return { error: `label "${part}" must look like key=value` };
    labels[key] = part.slice(eq + 1).trim();
  }
  return labels;
}

function byName(a: AgentCandidate, b: AgentCandidate): number {
  return a.name === b.name ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.name < b.name ? -1 : 1;
}

export function dispatch(fleet: AgentCandidate[], request: DispatchRequest): DispatchDecision {
  if (!Number.isInteger(request.expected) || request.expected < 0) {
    return { kind: "invalid", reason: `cluster.agents must be a whole number ≥ 0, got ${request.expected}` };
  }
  if (request.scenarios.length === 0) return { kind: "invalid", reason: "the plan has no scenarios" };
  for (const name of Object.keys(request.scenarioSelectors)) {
    if (!request.scenarios.includes(name)) {
      return { kind: "invalid", reason: `cluster.scenarios names "${name}", which is not a scenario of this plan (${request.scenarios.join(", ")})` };
    }
  }
  const eligible = fleet.filter((a) => a.available && matchesSelector(a.labels, request.selector)).sort(byName);
  const want = request.expected === 0 ? Math.max(1, eligible.length) : request.expected;
  if (eligible.length < want) {
    return {
      kind: "wait",
      reason: `${eligible.length} of ${want} agent${want === 1 ? "" : "s"} matching ${formatSelector(request.selector)} ${eligible.length === 1 ? "is" : "are"} idle`,
    };
  }
  // Pick agents that targeted scenarios need first, then fill up in name order.
  const picked: AgentCandidate[] = [];
  for (const scenario of request.scenarios) {
    const selector = request.scenarioSelectors[scenario];
    if (!selector) continue;
    if (picked.some((a) => matchesSelector(a.labels, selector))) continue;
    const candidate = eligible.find((a) => !picked.includes(a) && matchesSelector(a.labels, selector));
    if (!candidate) {
      return { kind: "wait", reason: `no idle agent matching ${formatSelector(request.selector)} has the labels ${formatSelector(selector)} that scenario "${scenario}" targets` };
    }
    if (picked.length >= want) {
      return { kind: "invalid", reason: `the scenario selectors need more than the ${want} agent${want === 1 ? "" : "s"} cluster.agents asks for` };
    }
    picked.push(candidate);
  }
  for (const agent of eligible) {
    if (picked.length >= want) break;
    if (!picked.includes(agent)) picked.push(agent);
  }
  picked.sort(byName);

  const perAgent = new Map<string, ScenarioPartition[]>(picked.map((a) => [a.id, []]));
  for (const scenario of request.scenarios) {
    const selector = request.scenarioSelectors[scenario] ?? {};
    const runners = picked.filter((a) => matchesSelector(a.labels, selector));
    runners.forEach((agent, index) => perAgent.get(agent.id)!.push({ scenario, index, count: runners.length }));
  }
  const used = picked.filter((a) => perAgent.get(a.id)!.length > 0);
  return {
    kind: "dispatch",
    assignments: used.map((a, index) => ({ agentId: a.id, index, count: used.length, scenarios: perAgent.get(a.id)! })),
  };
}

/**
 * Whether an assignment is one partition i/n of the whole plan (every scenario, same i/n):
 * the agent then runs the plan as is, with one segment.
 */
export function isUniformPartition(scenarios: ScenarioPartition[], allScenarios: string[]): { index: number; count: number } | undefined {
  const first = scenarios[0];
  if (!first || scenarios.length !== allScenarios.length) return undefined;
  const uniform = scenarios.every((s) => s.index === first.index && s.count === first.count) &&
    allScenarios.every((name) => scenarios.some((s) => s.scenario === name));
  return uniform ? { index: first.index, count: first.count } : undefined;
}

/** Groups scenario partitions by their i/n: each group runs as one local run with one segment. */
export function groupByPartition(scenarios: ScenarioPartition[]): Array<{ index: number; count: number; scenarios: string[] }> {
  const groups = new Map<string, { index: number; count: number; scenarios: string[] }>();
  for (const s of scenarios) {
    const key = `${s.index}/${s.count}`;
    const group = groups.get(key) ?? { index: s.index, count: s.count, scenarios: [] };
    group.scenarios.push(s.scenario);
    groups.set(key, group);
  }
  return [...groups.values()];
}
