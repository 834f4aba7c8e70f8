// A Preact wrapper around the ui-kit's uPlot chart (src/ui-kit/browser/time-chart.ts): created
// once per mounted element, fed new data on every render. No chart code of its own.
import { html } from "htm/preact";
import { useEffect, useRef } from "preact/hooks";
import { timeChart, type TimeChart, type TimeChartData, type TimeSeriesSpec, type Unit } from "../../ui-kit/browser/index.ts";

export function Chart(props: { title: string; unit: Unit; series: TimeSeriesSpec[]; data: TimeChartData; testId?: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<TimeChart | null>(null);
  const key = props.series.map((s) => s.label).join("|");
  useEffect(() => {
    if (!host.current) return;
    chart.current = timeChart(host.current, { title: props.title, unit: props.unit, series: props.series, height: 200 }, props.data);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [key]);
  useEffect(() => {
    chart.current?.setData(props.data);
  }, [props.data]);
  const empty = props.data[0].length === 0;
  return html`<figure class="kit-chart" data-testid=${props.testId}>
    <figcaption class="kit-chart-title">${props.title}</figcaption>
    ${empty ? html`<div class="kit-chart-empty">no data yet</div>` : null}
    <div ref=${host} hidden=${empty}></div>
  </figure>`;
}

/** Chart columns from series points: x in seconds, one column per `pick`. */
export function columns(points: { elapsedMs: number; data: Record<string, Record<string, number>> }[], picks: Array<(data: Record<string, Record<string, number>>) => number | undefined>): TimeChartData {
  const x = points.map((p) => p.elapsedMs / 1000);
  const ys = picks.map((pick) => points.map((p) => pick(p.data) ?? null));
  return [x, ...ys];
}
