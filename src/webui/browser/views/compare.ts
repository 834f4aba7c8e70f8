// Two runs side by side: their series overlaid on one time axis (seconds since each run's start)
// and a table of the summary figures with the change from A to B.
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { getJson } from "../api.ts";
import { Chart } from "../chart.ts";
import { field, summaryFigure } from "../figures.ts";
import { formatPercent, formatValue, type Unit } from "../../../ui-kit/format.ts";
import { href } from "../route.ts";
import { utcTime } from "../time.ts";
import type { RunView, SeriesPoint } from "../types.ts";
import { Verdict } from "./runs.ts";
import { overlay } from "../../series-overlay.ts";

const ROWS: Array<{ label: string; metric: string; name: string; unit: Unit; lowerIsBetter: boolean }> = [
  { label: "requests", metric: "http_reqs", name: "count", unit: "count", lowerIsBetter: false },
  { label: "request rate", metric: "http_reqs", name: "rate", unit: "reqps", lowerIsBetter: false },
  { label: "failed requests", metric: "http_req_failed", name: "rate", unit: "percent", lowerIsBetter: true },
  { label: "latency avg", metric: "http_req_duration", name: "avg", unit: "ms", lowerIsBetter: true },
  { label: "latency p50", metric: "http_req_duration", name: "med", unit: "ms", lowerIsBetter: true },
  { label: "latency p95", metric: "http_req_duration", name: "p(95)", unit: "ms", lowerIsBetter: true },
  { label: "latency p99", metric: "http_req_duration", name: "p(99)", unit: "ms", lowerIsBetter: true },
  { label: "checks passed", metric: "checks", name: "rate", unit: "percent", lowerIsBetter: false },
  { label: "iterations", metric: "iterations", name: "count", unit: "count", lowerIsBetter: false },
];

export function ComparePage(props: { a: string; b: string }) {
  const [runs, setRuns] = useState<Array<{ view: RunView; series: SeriesPoint[] }> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = (id: string) => Promise.all([
      getJson<RunView>(`/api/runs/${encodeURIComponent(id)}`),
      getJson<{ series: SeriesPoint[] }>(`/api/runs/${encodeURIComponent(id)}/series`),
    ]).then(([view, s]) => ({ view, series: s.series }));
    Promise.all([load(props.a), load(props.b)]).then(setRuns, (e: Error) => setError(e.message));
  }, [props.a, props.b]);
  if (error) return html`<section><h1>Compare</h1><p class="problem" role="alert">${error}</p></section>`;
  if (!runs) return html`<section><h1>Compare</h1><p class="muted">loading…</p></section>`;
  const [A, B] = runs as [{ view: RunView; series: SeriesPoint[] }, { view: RunView; series: SeriesPoint[] }];
  const label = (r: RunView) => `${r.planName} ${r.id}`;
  const series = [{ label: "A" }, { label: "B", dashed: true }];
  return html`<section aria-labelledby="compare-title">
    <h1 id="compare-title">Compare</h1>
    <ul class="plain">
      <li><strong>A</strong> <a href=${href.run(A.view.id)}>${label(A.view)}</a> · ${A.view.startAtUnixMs ? utcTime(A.view.startAtUnixMs) : "not started"} <${Verdict} run=${A.view} /></li>
      <li><strong>B</strong> <a href=${href.run(B.view.id)}>${label(B.view)}</a> · ${B.view.startAtUnixMs ? utcTime(B.view.startAtUnixMs) : "not started"} <${Verdict} run=${B.view} /></li>
    </ul>
    <div class="kit-charts">
      <${Chart} title="Requests per second" unit="reqps" series=${series} data=${overlay(A.series, B.series, (d) => field(d, "http_reqs", "rate"))} />
      <${Chart} title="Latency p95" unit="ms" series=${series} data=${overlay(A.series, B.series, (d) => field(d, "http_req_duration", "p(95)"))} />
      <${Chart} title="Failed requests" unit="percent" series=${series} data=${overlay(A.series, B.series, (d) => field(d, "http_req_failed", "rate"))} />
      <${Chart} title="VUs" unit="vus" series=${series} data=${overlay(A.series, B.series, (d) => field(d, "vus", "value"))} />
    </div>
    <h2>Figures</h2>
    <table class="kit-table" data-testid="compare-table">
      <thead><tr><th>Metric</th><th class="num">A</th><th class="num">B</th><th class="num">Change</th></tr></thead>
      <tbody>${ROWS.map((row) => {
        const a = summaryFigure(A.view.summary, row.metric, row.name);
        const b = summaryFigure(B.view.summary, row.metric, row.name);
        const change = a !== undefined && b !== undefined && a !== 0 ? (b - a) / a : undefined;
        const better = change === undefined || change === 0 ? "" : (change < 0) === row.lowerIsBetter ? "kit-ok" : "kit-fail";
        return html`<tr><td>${row.label}</td><td class="num">${a === undefined ? "–" : formatValue(a, row.unit)}</td><td class="num">${b === undefined ? "–" : formatValue(b, row.unit)}</td>
          <td class="num"><span class=${`kit-badge ${better}`}>${change === undefined ? "–" : `${change > 0 ? "+" : ""}${formatPercent(change)}`}</span></td></tr>`;
      })}</tbody>
    </table>
  </section>`;
}
