// One run, live or finished, on the controller or in `loadr run --dashboard` (both answer the
// same routes; its data comes from run-data.ts). Finished: the stored series and the summary
// (the final figures come from the summary, so they equal `--summary-json`'s). Controls act at
// once and show the answer; stop and kill ask first.
import { html } from "htm/preact";
import { useMemo, useState } from "preact/hooks";
import { getText, postJson } from "../api.ts";
import { Chart, columns } from "../chart.ts";
import { field, summaryChecks, summaryFigure } from "../figures.ts";
import { formatCount, formatDuration, formatPercent, formatRate, formatValue, type Unit } from "../../../ui-kit/format.ts";
import { localTime, utcTime } from "../time.ts";
import { FINAL_STATUSES, type RunView } from "../types.ts";
import { useRun } from "./run-data.ts";
import { Verdict } from "./runs.ts";

/** The group part of a check's path ("::account::status is 200" → "account"). */
const groupOf = (path: string) => path.replace(/::[^:]*$/, "").replace(/^::/, "").replace(/::/g, " › ");

function Tile(props: { label: string; value: number | undefined; unit: Unit; testId: string }) {
  const v = props.value;
  return html`<div class="kit-card" data-testid=${props.testId} data-value=${v === undefined ? "" : String(v)}>
    <div class="label">${props.label}</div>
    <div class="value">${v === undefined ? "–" : formatValue(v, props.unit)}</div>
  </div>`;
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function Controls(props: { run: RunView; scalable: string[]; onView: (v: RunView) => void }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; ok: boolean } | null>(null);
  const [picked, setScenario] = useState("");
  const scenario = props.scalable.includes(picked) ? picked : props.scalable[0] ?? "";
  const [vus, setVus] = useState("");
  const act = async (action: string, extra: Record<string, unknown> = {}, ask?: string) => {
    if (ask && !confirm(ask)) return;
    setBusy(true);
    try {
      const answer = await postJson<{ ok: boolean; run: RunView }>(`/api/runs/${encodeURIComponent(props.run.id)}/control`, { action, ...extra });
      props.onView(answer.run);
      setMessage({ text: `${action}: done, the run is ${answer.run.status}`, ok: true });
    } catch (e) {
      setMessage({ text: `${action} refused: ${(e as Error).message}`, ok: false });
    } finally {
      setBusy(false);
    }
  };
  const status = props.run.status;
  return html`<div class="controls" role="group" aria-label="run controls">
    <button type="button" disabled=${busy || status !== "running"} onClick=${() => act("pause")} data-testid="pause">Pause</button>
    <button type="button" disabled=${busy || status !== "paused"} onClick=${() => act("resume")} data-testid="resume">Resume</button>
    <button type="button" class="danger" disabled=${busy} onClick=${() => act("stop", {}, `Stop run ${props.run.id}? Running iterations may finish within gracefulStop.`)} data-testid="stop">Stop</button>
    <button type="button" class="danger" disabled=${busy} onClick=${() => act("kill", {}, `Kill run ${props.run.id}? Every agent stops its load at once; iterations in flight are cut off.`)} data-testid="kill">Kill</button>
    ${props.scalable.length > 0 ? html`<form class="scale" onSubmit=${(e: Event) => { e.preventDefault(); void act("scale", { scenario, vus: Number(vus) }); }}>
      <label>Scenario <select value=${scenario} onChange=${(e: Event) => setScenario((e.target as HTMLSelectElement).value)}>${props.scalable.map((s) => html`<option>${s}</option>`)}</select></label>
      <label>VUs <input type="number" class="vus" min="0" required value=${vus} onInput=${(e: Event) => setVus((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" disabled=${busy}>Scale</button>
    </form>` : null}
    ${message ? html`<p class=${message.ok ? "muted" : "problem"} role="status" data-testid="control-message">${message.text}</p>` : null}
  </div>`;
}

export function RunPage(props: { id: string; dashboard?: boolean }) {
  const { view, setView, points, progress, log, error } = useRun(props.id);
  const agentIds = (view?.agents ?? []).map((a) => a.agentId);
  const charts = useMemo(() => ({
    agents: columns(points, agentIds.map((id) => (d) => field(d, `agent_reqs{agent:${id}}`, "rate"))),
    rps: columns(points, [(d) => field(d, "http_reqs", "rate")]),
    errors: columns(points, [(d) => field(d, "http_req_failed", "rate")]),
    vus: columns(points, [(d) => field(d, "vus", "value")]),
    latency: columns(points, [(d) => field(d, "http_req_duration", "med"), (d) => field(d, "http_req_duration", "p(95)"), (d) => field(d, "http_req_duration", "p(99)")]),
  }), [points, agentIds.join(",")]);
  if (!view) return html`<section><h1>Run ${props.id}</h1>${error ? html`<p class="problem" role="alert">${error}</p>` : html`<p class="muted">loading…</p>`}</section>`;
  const final = FINAL_STATUSES.includes(view.status);
  const summary = view.summary;
  const lastData = points.at(-1)?.data ?? {};
  const detail = progress?.detail ?? view.detail;
  const scalable = (progress?.scenarios ?? []).filter((s) => s.executor === "externally-controlled" || s.state === "running").map((s) => s.name);
  const rates = new Map((progress?.agentRates ?? []).map((r) => [r.agentId, r.requestsPerSec]));
  // A finished run: each agent's requests from the stored series, over the run's duration.
  const agentTotal = (id: string) => points.reduce((n, p) => n + (field(p.data, `agent_reqs{agent:${id}}`, "count") ?? 0), 0);
  const runSeconds = summary ? summary.durationMs / 1000 : 0;
  const thresholds = summary ? summary.thresholds : detail?.thresholds ?? [];
  const checks = summary ? summaryChecks(summary) : detail?.checks.map((c) => ({ ...c, path: "" })) ?? [];
  return html`<section aria-labelledby="run-title" data-status=${view.status}>
    <h1 id="run-title">${view.planName} <small class="mono muted">${view.id}</small></h1>
    <p>
      <span class="kit-badge" data-testid="run-status">${view.status}</span>${" "}
      ${final ? html`<${Verdict} run=${view} />` : null}
      ${view.startAtUnixMs ? html` · started <time datetime=${new Date(view.startAtUnixMs).toISOString()}>${utcTime(view.startAtUnixMs)}</time> (${localTime(view.startAtUnixMs)} your time)` : html` · submitted ${localTime(view.submittedAtUnixMs)}`}
      ${view.startAtUnixMs ? html` · ${formatDuration((view.endedAtUnixMs ?? progress?.atUnixMs ?? Date.now()) - view.startAtUnixMs)}` : null}
    </p>
    ${view.error ? html`<p class="problem" role="alert">${view.error}</p>` : null}
    ${error ? html`<p class="banner kit-warn" role="status">${error}</p>` : null}
    ${final ? html`<p class="toolbar">
      ${summary ? html`<button type="button" onClick=${() => download(`${view.id}-summary.json`, "application/json", JSON.stringify(summary, null, 2))}>Download summary JSON</button>` : null}
      ${props.dashboard ? null : html`<button type="button" onClick=${async () => download(`${view.id}-${view.planFile.split("/").pop() || "plan.yaml"}`, "text/yaml", await getText(`/api/runs/${encodeURIComponent(view.id)}/plan`))}>Download plan</button>
      <button type="button" data-testid="download-report" onClick=${async () => download(`${view.id}-report.html`, "text/html", await getText(`/api/runs/${encodeURIComponent(view.id)}/report`))}>Download HTML report</button>`}
    </p>` : html`<${Controls} run=${view} scalable=${scalable} onView=${setView} />`}

    ${summary ? html`<h2>Final figures</h2>
    <div class="kit-cards" data-testid="final">
      <${Tile} label="requests" value=${summaryFigure(summary, "http_reqs", "count")} unit="count" testId="final-requests" />
      <${Tile} label="request rate" value=${summaryFigure(summary, "http_reqs", "rate")} unit="reqps" testId="final-rps" />
      <${Tile} label="failed requests" value=${summaryFigure(summary, "http_req_failed", "rate")} unit="percent" testId="final-failed" />
      <${Tile} label="p50" value=${summaryFigure(summary, "http_req_duration", "med")} unit="ms" testId="final-p50" />
      <${Tile} label="p95" value=${summaryFigure(summary, "http_req_duration", "p(95)")} unit="ms" testId="final-p95" />
      <${Tile} label="p99" value=${summaryFigure(summary, "http_req_duration", "p(99)")} unit="ms" testId="final-p99" />
      <${Tile} label="checks passed" value=${summaryFigure(summary, "checks", "rate")} unit="percent" testId="final-checks" />
      <${Tile} label="iterations" value=${summaryFigure(summary, "iterations", "count")} unit="count" testId="final-iterations" />
    </div>` : html`<h2>Now</h2>
    <div class="kit-cards" data-testid="live">
      <${Tile} label="req/s" value=${field(lastData, "http_reqs", "rate")} unit="reqps" testId="live-rps" />
      <${Tile} label="errors" value=${field(lastData, "http_req_failed", "rate")} unit="percent" testId="live-errors" />
      <${Tile} label="VUs" value=${progress?.activeVus ?? field(lastData, "vus", "value")} unit="vus" testId="live-vus" />
      <${Tile} label="p50" value=${field(lastData, "http_req_duration", "med")} unit="ms" testId="live-p50" />
      <${Tile} label="p95" value=${field(lastData, "http_req_duration", "p(95)")} unit="ms" testId="live-p95" />
      <${Tile} label="p99" value=${field(lastData, "http_req_duration", "p(99)")} unit="ms" testId="live-p99" />
    </div>`}

    <div class="kit-charts">
      <${Chart} title="Requests per second" unit="reqps" series=${[{ label: "req/s", fill: true }]} data=${charts.rps} testId="chart-rps" />
      <${Chart} title="Latency" unit="ms" series=${[{ label: "p50" }, { label: "p95" }, { label: "p99", dashed: true }]} data=${charts.latency} testId="chart-latency" />
      <${Chart} title="Failed requests" unit="percent" series=${[{ label: "failed" }]} data=${charts.errors} />
      <${Chart} title="VUs" unit="vus" series=${[{ label: "VUs" }]} data=${charts.vus} />
      ${view.agents.length > 0 ? html`<${Chart} title="Requests per second by agent" unit="reqps" series=${view.agents.map((a) => ({ label: a.name }))} data=${charts.agents} testId="chart-agents" />` : null}
    </div>

    <h2>Thresholds</h2>
    ${thresholds.length === 0 ? html`<p class="muted">none</p>` : html`<table class="kit-table" data-testid="thresholds">
      <thead><tr><th>Metric</th><th>Threshold</th><th class="num">Observed</th><th>Verdict${final ? "" : " now"}</th></tr></thead>
      <tbody>${thresholds.map((t) => html`<tr><td class="mono">${t.key}</td><td class="mono">${t.expression}</td>
        <td class="num">${t.observed === null ? (t.noData ? "no data" : "–") : formatCount(t.observed)}</td>
        <td><span class=${`kit-badge ${t.ok ? "kit-ok" : "kit-fail"}`}>${t.ok ? "pass" : "fail"}</span></td></tr>`)}</tbody>
    </table>`}

    <h2>Requests by name</h2>
    ${!detail || detail.names.length === 0 ? html`<p class="muted">no requests yet</p>` : html`<table class="kit-table" data-testid="names">
      <thead><tr><th>Name</th><th class="num">Requests</th><th class="num">Failed</th><th class="num">p50</th><th class="num">p95</th><th class="num">p99</th></tr></thead>
      <tbody>${detail.names.map((n) => html`<tr data-name=${n.name} data-requests=${n.requests}><td>${n.name}${n.protocol && n.protocol !== "http" ? html` <span class="label-chip">${n.protocol}</span>` : null}</td><td class="num">${formatCount(n.requests)}</td>
        <td class="num">${formatCount(n.failed)} (${formatPercent(n.requests ? n.failed / n.requests : 0)})</td>
        <td class="num">${n.p50 === undefined ? "–" : formatDuration(n.p50)}</td><td class="num">${n.p95 === undefined ? "–" : formatDuration(n.p95)}</td><td class="num">${n.p99 === undefined ? "–" : formatDuration(n.p99)}</td></tr>`)}</tbody>
    </table>${detail.namesLeftOut > 0 ? html`<p class="muted">${detail.namesLeftOut} more names are left out.</p>` : null}`}

    <h2>Checks</h2>
    ${checks.length === 0 ? html`<p class="muted">none</p>` : html`<table class="kit-table" data-testid="checks">
      <thead><tr><th>Check</th><th class="num">Passes</th><th class="num">Fails</th><th class="num">Passed</th></tr></thead>
      <tbody>${checks.map((c) => html`<tr><td>${groupOf(c.path) ? html`<span class="muted">${groupOf(c.path)} › </span>` : null}${c.name}</td><td class="num">${formatCount(c.passes)}</td><td class="num">${formatCount(c.fails)}</td><td class="num">${formatPercent(c.passes + c.fails ? c.passes / (c.passes + c.fails) : 0)}</td></tr>`)}</tbody>
    </table>`}

    ${progress && progress.scenarios.length > 0 && !final ? html`<h2>Scenarios</h2><table class="kit-table">
      <thead><tr><th>Scenario</th><th>Executor</th><th>State</th><th class="num">VUs</th><th class="num">Iterations</th><th class="num">Progress</th></tr></thead>
      <tbody>${progress.scenarios.map((s) => html`<tr><td>${s.name}</td><td>${s.executor}</td><td>${s.state}</td><td class="num">${s.activeVus}/${s.maxVus}</td><td class="num">${formatCount(s.completed)}</td>
        <td class="num">${s.durationMs ? formatPercent(Math.min(1, s.elapsedMs / s.durationMs)) : s.plannedIterations ? formatPercent(s.completed / s.plannedIterations) : "–"}</td></tr>`)}</tbody>
    </table>` : null}

    ${view.agents.length > 0 ? html`<h2>Agents</h2><table class="kit-table" data-testid="run-agents">
      <thead><tr><th>Agent</th><th>Share</th><th>State</th><th class="num">VUs</th><th class="num">${final ? "req/s over the run" : "req/s now"}</th></tr></thead>
      <tbody>${view.agents.map((a) => html`<tr><td>${a.name}</td>
        <td>${a.scenarios.length > 0 ? a.scenarios.map((s) => `${s.scenario} ${s.index + 1}/${s.count}`).join(", ") : `${a.index + 1}/${a.count} of every scenario`}</td>
        <td>${a.state}${a.error ? html`<br /><small class="problem">${a.error}</small>` : null}</td><td class="num">${formatCount(a.activeVus)}</td>
        <td class="num">${final ? (runSeconds > 0 && agentTotal(a.agentId) > 0 ? formatRate(agentTotal(a.agentId) / runSeconds, "req") : "–") : formatRate(rates.get(a.agentId) ?? 0, "req")}</td></tr>`)}</tbody>
    </table>` : null}

    ${[...view.notes, ...(summary?.notes ?? [])].length > 0 ? html`<h2>Notes</h2><ul>${[...new Set([...view.notes, ...(summary?.notes ?? [])])].map((n) => html`<li>${n}</li>`)}</ul>` : null}

    <h2>Events</h2>
    ${log.length === 0 ? html`<p class="muted">none yet</p>` : html`<ol class="events" data-testid="events">${log.map((l) => html`<li><time datetime=${new Date(l.atUnixMs).toISOString()}>${new Date(l.atUnixMs).toLocaleTimeString()}</time> ${l.text}</li>`)}</ol>`}
  </section>`;
}
