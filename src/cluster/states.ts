// The agent-state enum the controller keeps per agent, and its pure transition function.
// Health (heard from recently or not, connected or not) and work (none / assigned / running)
// are folded into one state; `work` is remembered under `unhealthy` so that an agent that
// speaks again returns to what it was doing. No I/O, no clock: time comes in with the events.

/** Heartbeats every 2 s; silent past this window → unhealthy (deploy/README.md, "Failure handling"). */
export const HEARTBEAT_INTERVAL_MS = 2_000;
export const LIVENESS_WINDOW_MS = 6_000;

export type AgentState = "connecting" | "idle" | "assigned" | "running" | "unhealthy" | "lost";
export type AgentWork = "none" | "assigned" | "running";

export interface AgentStatus {
  state: AgentState;
  work: AgentWork;
  /** Controller clock (ms) of the last message from the agent. */
  lastHeardMs: number;
}

export type AgentEvent =
  | { type: "registered"; atMs: number }
  | { type: "heard"; atMs: number }
  | { type: "tick"; atMs: number }
  | { type: "assigned" }
  | { type: "started" }
  | { type: "released" }
  | { type: "disconnected" };

export class InvalidTransition extends Error {
  constructor(state: AgentState, event: AgentEvent["type"]) {
    super(`agent state ${state} does not accept "${event}"`);
    this.name = "InvalidTransition";
  }
}

export function initialStatus(atMs: number): AgentStatus {
  return { state: "connecting", work: "none", lastHeardMs: atMs };
}

function stateOfWork(work: AgentWork): AgentState {
  return work === "none" ? "idle" : work;
}

/** Whether the controller may pick this agent for a new run. */
export function isAvailable(status: AgentStatus): boolean {
  return status.state === "idle";
}

/** Whether the agent counts as gone for the runs it belongs to (their loss policy applies). */
export function isGone(status: AgentStatus): boolean {
  return status.state === "unhealthy" || status.state === "lost";
}

/**
 * The next status. Throws InvalidTransition for events that mean a bug in the caller (e.g.
 * assigning a busy agent); events that can race with the network (heard, tick, released after
 * a disconnect) are accepted in every state.
 */
export function transition(status: AgentStatus, event: AgentEvent, livenessMs = LIVENESS_WINDOW_MS): AgentStatus {
  const { state } = status;
  switch (event.type) {
    case "registered":
      if (state !== "connecting" && state !== "lost") throw new InvalidTransition(state, event.type);
      return { state: "idle", work: "none", lastHeardMs: event.atMs };
    case "heard": {
      if (state === "lost" || state === "connecting") return { ...status, lastHeardMs: Math.max(status.lastHeardMs, event.atMs) };
      return { state: stateOfWork(status.work), work: status.work, lastHeardMs: Math.max(status.lastHeardMs, event.atMs) };
    }
    case "tick":
      if (state === "lost" || state === "unhealthy") return status;
      if (event.atMs - status.lastHeardMs > livenessMs) return { ...status, state: "unhealthy" };
      return status;
    case "assigned":
      if (state !== "idle") throw new InvalidTransition(state, event.type);
      return { ...status, state: "assigned", work: "assigned" };
    case "started":
      if (state === "assigned") return { ...status, state: "running", work: "running" };
      if (state === "unhealthy" && status.work === "assigned") return { ...status, work: "running" };
      if (state === "running" || state === "lost" || (state === "unhealthy" && status.work === "running")) return status;
      throw new InvalidTransition(state, event.type);
    case "released":
      if (state === "unhealthy" || state === "lost") return { ...status, work: "none" };
      if (state === "connecting") return status;
      return { ...status, state: "idle", work: "none" };
    case "disconnected":
      return { ...status, state: "lost", work: "none" };
  }
}
