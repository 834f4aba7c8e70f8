// GET /api/agents/events: the fleet as Server-Sent Events, for the web UI's fleet page. An
// `agents` event (data: AgentsResponse, docs/api.md) right away and then every FLEET_PUSH_MS,
// so a state change (an agent going unhealthy past the liveness window, checked every 500 ms by
// the controller) shows within about a second without a reload; the page ages the heartbeats
// itself between events. One timer per connected client; the list is cheap (one object per agent).
import { sseResponse } from "./sse.ts";

export const FLEET_PUSH_MS = 1_000;

export function fleetEvents(signal: AbortSignal, snapshot: () => unknown, pushMs = FLEET_PUSH_MS): Response {
  return sseResponse(signal, (source) => {
    source.send("agents", snapshot());
    const timer = setInterval(() => source.send("agents", snapshot()), pushMs);
    return () => clearInterval(timer);
  });
}
