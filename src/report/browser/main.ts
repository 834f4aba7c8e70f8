// The HTML report's script: draws the charts from the model the page embeds
// (report/render-html.ts). Everything else on the page is already there without it.
import { pageData, timeChart, type TimeChartData } from "../../ui-kit/browser/index.ts";
import type { ChartData } from "../chart-data.ts";

const REPORT_DATA_ID = "loadr-report-data";

function draw(): void {
  const model = pageData<ChartData>(REPORT_DATA_ID);
  if (!model) return;
  const tl = model.timeline;
  const host = (name: string) => document.querySelector<HTMLElement>(`[data-chart="${name}"]`);
  const charts: Array<[string, () => void]> = [
    ["requests", () => timeChart(host("requests")!, { title: "Requests per second", unit: "reqps", series: [{ label: "req/s", fill: true }] }, [tl.t, tl.requestsPerSecond])],
    ["errors", () => timeChart(host("errors")!, { title: "Failed requests", unit: "percent", series: [{ label: "failed", color: "var(--fail)" }] }, [tl.t, tl.errorRate])],
    ["vus", () => timeChart(host("vus")!, { title: "Virtual users", unit: "vus", series: [{ label: "VUs", fill: true }] }, [tl.t, tl.vus])],
    [
      "latency",
      () =>
        timeChart(
          host("latency")!,
          { title: "Latency", unit: "ms", series: [{ label: "p50" }, { label: "p90" }, { label: "p95" }, { label: "p99" }] },
          [tl.t, tl.p50, tl.p90, tl.p95, tl.p99],
        ),
    ],
  ];
  const fleet = model.fleet;
  if (fleet && host("agents")) {
    const ids = Object.keys(fleet.requestsPerSecond);
    const label = (id: string) => fleet.agents.find((a) => a.id === id)?.name ?? id;
    const data = [tl.t, ...ids.map((id) => fleet.requestsPerSecond[id]!)] as TimeChartData;
    charts.push(["agents", () => timeChart(host("agents")!, { title: "Requests per second by agent", unit: "reqps", series: ids.map((id) => ({ label: label(id) })) }, data)]);
  }
  for (const [name, make] of charts) {
    const element = host(name);
    if (!element) continue;
    try {
      make();
      element.dataset.drawn = "true";
    } catch (error) {
      element.textContent = `This chart could not be drawn: ${(error as Error).message}`;
      element.className = "kit-chart-empty";
    }
  }
}

draw();
