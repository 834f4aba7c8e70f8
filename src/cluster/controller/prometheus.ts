// GET /metrics in the Prometheus text exposition format: the fleet and the runs. A run is labelled
// `run_id`, as the Prometheus outputs label its series (outputs/prometheus/naming.ts).
import { AGENT_STATES_FOR_METRICS } from "./metric-names.ts";
import type { ControllerStore } from "../store.ts";
import type { AgentRegistry } from "./registry.ts";
import type { RunManager } from "./runs.ts";

export function prometheusText(registry: AgentRegistry, runs: RunManager, store: ControllerStore): string {
  const lines: string[] = [];
  const agents = registry.all();
  lines.push("# HELP loadr_agents Agents known to the controller, by state.", "# TYPE loadr_agents gauge");
  for (const state of AGENT_STATES_FOR_METRICS) {
    lines.push(`loadr_agents{state="${state}"} ${agents.filter((a) => a.status.state === state).length}`);
  }
  lines.push("# HELP loadr_agent_active_vus VUs an agent reported in its last heartbeat.", "# TYPE loadr_agent_active_vus gauge");
  for (const a of agents) lines.push(`loadr_agent_active_vus{agent="${esc(a.name)}",id="${esc(a.id)}"} ${a.activeVus}`);
  lines.push("# HELP loadr_agent_last_heartbeat_seconds Unix time of the agent's last message.", "# TYPE loadr_agent_last_heartbeat_seconds gauge");
  for (const a of agents) lines.push(`loadr_agent_last_heartbeat_seconds{agent="${esc(a.name)}",id="${esc(a.id)}"} ${(a.lastHeardUnixMs / 1000).toFixed(3)}`);
  lines.push("# HELP loadr_agent_rejected_messages_total Messages and metric batches of an agent the controller refused.", "# TYPE loadr_agent_rejected_messages_total counter");
  for (const a of agents) lines.push(`loadr_agent_rejected_messages_total{agent="${esc(a.name)}",id="${esc(a.id)}"} ${a.rejectedMessages}`);
  lines.push("# HELP loadr_runs Runs by status (persisted history plus live).", "# TYPE loadr_runs gauge");
  const counts = store.countByStatus();
  for (const [status, n] of Object.entries(counts).sort()) lines.push(`loadr_runs{status="${status}"} ${n}`);
  lines.push("# HELP loadr_runs_active Runs waiting, starting or running now.", "# TYPE loadr_runs_active gauge");
  lines.push(`loadr_runs_active ${runs.activeRuns().length}`);
  lines.push("# HELP loadr_run_http_reqs_total Requests made by a live run, all agents merged.", "# TYPE loadr_run_http_reqs_total counter");
  for (const run of runs.activeRuns()) {
    const count = run.prometheus.httpReqs;
    if (count !== undefined) lines.push(`loadr_run_http_reqs_total{run_id="${esc(run.id)}"} ${count}`);
  }
  return `${lines.join("\n")}\n`;
}

function esc(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
