// The fleet: every agent with its labels, health and liveness timer, cores, VUs, current run,
// last heartbeat age and version, live from GET /api/agents/events; filtered by a label selector
// in the syntax of a plan's `cluster.selector` (../selector.ts).
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { streamEvents } from "../api.ts";
import { formatCount, formatDuration } from "../../../ui-kit/format.ts";
import { href } from "../route.ts";
import { matchesSelector, parseSelector } from "../../label-selector.ts";
import { age } from "../time.ts";
import type { AgentsResponse, AgentView } from "../types.ts";

export function healthOf(agent: AgentView): "healthy" | "unhealthy" | "lost" {
  return agent.state === "lost" ? "lost" : agent.state === "unhealthy" ? "unhealthy" : "healthy";
}

export function FleetPage() {
  const [fleet, setFleet] = useState<{ response: AgentsResponse; receivedAt: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState(() => sessionStorage.getItem("loadr.fleetFilter") ?? "");
  const [, tick] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    streamEvents("/api/agents/events", abort.signal, (type, data) => {
      if (type === "agents") {
        setFleet({ response: data as AgentsResponse, receivedAt: Date.now() });
        setError(null);
      }
    }, (e) => setError(`the fleet feed dropped (${e.message}); reconnecting`));
    // Ages and liveness timers move between events.
    const timer = setInterval(() => tick((n) => n + 1), 250);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, []);
  const parsed = parseSelector(filter);
  const selector = "selector" in parsed ? parsed.selector : {};
  const agents = (fleet?.response.agents ?? []).filter((a) => matchesSelector(a.labels, selector)).sort((a, b) => a.name.localeCompare(b.name));
  // The controller's clock now, as far as the page can tell: its clock at the last event plus the time since.
  const serverNow = fleet ? fleet.response.nowUnixMs + (Date.now() - fleet.receivedAt) : Date.now();
  const liveness = fleet?.response.livenessMs ?? 6000;
  const total = fleet?.response.agents.length ?? 0;
  const counts = { healthy: 0, unhealthy: 0, lost: 0 };
  for (const a of fleet?.response.agents ?? []) counts[healthOf(a)]++;
  return html`<section aria-labelledby="fleet-title">
    <h1 id="fleet-title">Fleet</h1>
    <p class="muted" data-testid="fleet-counts">${total} agent${total === 1 ? "" : "s"}: ${counts.healthy} healthy, ${counts.unhealthy} unhealthy, ${counts.lost} lost · unhealthy after ${formatDuration(liveness)} without a heartbeat</p>
    ${error ? html`<p class="banner kit-warn" role="status">${error}</p>` : null}
    <label class="filter">Label selector${" "}
      <input type="search" value=${filter} placeholder="pool: default, region: eu" aria-describedby="selector-help" data-testid="selector"
        onInput=${(e: Event) => {
          const v = (e.target as HTMLInputElement).value;
          setFilter(v);
          sessionStorage.setItem("loadr.fleetFilter", v);
        }} />
    </label>
    <span id="selector-help" class="muted"> as a plan's <code>cluster.selector</code>: every label must match</span>
    ${"error" in parsed ? html`<p class="problem" role="alert">${parsed.error}</p>` : null}
    ${fleet === null ? html`<p class="muted">connecting…</p>` : agents.length === 0 ? html`<p class="muted">${total === 0 ? "No agent has joined yet: start one with loadr agent --join HOST:PORT." : "No agent matches the selector."}</p>` : html`
    <table class="kit-table" data-testid="fleet-table">
      <thead><tr><th>Name</th><th>Id</th><th>Labels</th><th>Health</th><th class="num">Cores</th><th class="num">Active VUs</th><th>Run</th><th>Last heartbeat</th><th>Version</th></tr></thead>
      <tbody>${agents.map((a) => {
        const silence = serverNow - a.lastHeartbeatUnixMs;
        const health = healthOf(a);
        const timer = health === "healthy" ? `unhealthy in ${formatDuration(Math.max(0, liveness - silence))} without a heartbeat` : `silent for ${formatDuration(silence)}`;
        return html`<tr data-agent=${a.name} data-health=${health}>
          <td><strong>${a.name}</strong></td>
          <td class="mono">${a.id}</td>
          <td>${Object.entries(a.labels).map(([k, v]) => html`<span class="label-chip">${k}=${v}</span> `)}</td>
          <td><span class=${`kit-badge ${health === "healthy" ? "kit-ok" : health === "lost" ? "kit-fail" : "kit-warn"}`} data-testid="health">${health}</span>
            <span class="muted"> ${a.state}</span><br /><small class="muted" data-testid="liveness">${timer}</small></td>
          <td class="num">${a.cores}</td>
          <td class="num">${formatCount(a.activeVus)}</td>
          <td>${a.runId ? html`<a href=${href.run(a.runId)}>${a.runId}</a>` : html`<span class="muted">–</span>`}</td>
          <td data-testid="heartbeat">${age(silence)}</td>
          <td>${a.version}</td>
        </tr>`;
      })}</tbody>
    </table>`}
  </section>`;
}
