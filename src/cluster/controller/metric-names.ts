import type { AgentState } from "../states.ts";

export const AGENT_STATES_FOR_METRICS: readonly AgentState[] = ["connecting", "idle", "assigned", "running", "unhealthy", "lost"];
