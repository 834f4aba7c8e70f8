// The run history (GET /api/runs, from the controller's SQLite store): search by plan name, file
// or id, filter by status, page through; pick two runs to compare. Refreshed every few seconds so
// live runs move on.
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api.ts";
import { formatDuration } from "../../../ui-kit/format.ts";
import { href } from "../route.ts";
import { localTime, utcTime } from "../time.ts";
import type { RunView } from "../types.ts";
import { verdictOf } from "../../run-verdict.ts";

const PAGE = 20;
const REFRESH_MS = 3_000;
const STATUSES = ["waiting", "starting", "running", "paused", "stopping", "finished", "stopped", "failed", "aborted", "interrupted"];

export function Verdict(props: { run: Pick<RunView, "exitCode" | "status"> }) {
  const v = verdictOf(props.run);
  return html`<span class=${`kit-badge ${v.kind === "none" ? "" : `kit-${v.kind}`}`} data-testid="verdict">${v.text}</span>`;
}

export function RunsPage() {
  const [search, setSearch] = useState("");
  const [status, setStatus] = useState("");
  const [verdict, setVerdict] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ runs: RunView[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  useEffect(() => {
    let stopped = false;
    const load = async () => {
      const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
      if (search) q.set("search", search);
      if (status) q.set("status", status);
      if (verdict) q.set("verdict", verdict);
      // Dates are the viewer's own days: from its midnight, to the midnight after the "to" day.
      if (from) q.set("from", String(new Date(`${from}T00:00`).getTime()));
      if (to) q.set("to", String(new Date(`${to}T00:00`).getTime() + 86_400_000));
      try {
        const answer = await getJson<{ runs: RunView[]; total: number }>(`/api/runs?${q}`);
        if (!stopped) {
          setPage(answer);
          setError(null);
        }
      } catch (e) {
        if (!stopped) setError((e as Error).message);
      }
    };
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [search, status, verdict, from, to, offset]);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id].slice(-2)));
  const total = page?.total ?? 0;
  return html`<section aria-labelledby="runs-title">
    <h1 id="runs-title">Runs</h1>
    <form class="toolbar" role="search" onSubmit=${(e: Event) => e.preventDefault()}>
      <label>Search <input type="search" value=${search} placeholder="plan name, file or run id" data-testid="run-search"
        onInput=${(e: Event) => { setSearch((e.target as HTMLInputElement).value); setOffset(0); }} /></label>
      <label>Status <select value=${status} onChange=${(e: Event) => { setStatus((e.target as HTMLSelectElement).value); setOffset(0); }}>
        <option value="">any</option>${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}
      </select></label>
      <label>Verdict <select value=${verdict} data-testid="run-verdict" onChange=${(e: Event) => { setVerdict((e.target as HTMLSelectElement).value); setOffset(0); }}>
        <option value="">any</option><option value="passed">passed</option><option value="failed">failed</option>
      </select></label>
      <label>From <input type="date" value=${from} onInput=${(e: Event) => { setFrom((e.target as HTMLInputElement).value); setOffset(0); }} /></label>
      <label>To <input type="date" value=${to} onInput=${(e: Event) => { setTo((e.target as HTMLInputElement).value); setOffset(0); }} /></label>
      <a class=${`button ${picked.length === 2 ? "" : "disabled"}`} aria-disabled=${picked.length !== 2} href=${picked.length === 2 ? href.compare(picked[0]!, picked[1]!) : undefined} data-testid="compare-link">Compare ${picked.length}/2</a>
    </form>
    ${error ? html`<p class="problem" role="alert">${error}</p>` : null}
    ${page === null ? html`<p class="muted">loading…</p>` : page.runs.length === 0 ? html`<p class="muted">No runs${search || status || verdict || from || to ? " match" : " yet"}.</p>` : html`
    <table class="kit-table" data-testid="runs-table">
      <thead><tr><th><span class="sr-only">Compare</span></th><th>Plan</th><th>Run</th><th>Status</th><th>Verdict</th><th>Submitted</th><th>Started (UTC)</th><th class="num">Duration</th><th class="num">Agents</th></tr></thead>
      <tbody>${page.runs.map((r) => html`<tr data-run=${r.id}>
        <td><input type="checkbox" aria-label=${`compare ${r.id}`} checked=${picked.includes(r.id)} onChange=${() => toggle(r.id)} /></td>
        <td>${r.planName}<br /><small class="muted">${r.planFile}</small></td>
        <td><a href=${href.run(r.id)} class="mono">${r.id}</a></td>
        <td>${r.status}</td>
        <td><${Verdict} run=${r} /></td>
        <td>${localTime(r.submittedAtUnixMs)}</td>
        <td>${r.startAtUnixMs ? utcTime(r.startAtUnixMs) : "–"}</td>
        <td class="num">${r.startAtUnixMs ? formatDuration((r.endedAtUnixMs ?? Date.now()) - r.startAtUnixMs) : "–"}</td>
        <td class="num">${r.agents.length}</td>
      </tr>`)}</tbody>
    </table>
    <nav class="pager" aria-label="pages">
      <button type="button" disabled=${offset === 0} onClick=${() => setOffset(Math.max(0, offset - PAGE))}>Newer</button>
      <span>${offset + 1}–${Math.min(offset + PAGE, total)} of ${total}</span>
      <button type="button" disabled=${offset + PAGE >= total} onClick=${() => setOffset(offset + PAGE)}>Older</button>
    </nav>`}
  </section>`;
}
