// A time-series line chart on uPlot: x is seconds since the run started (or epoch seconds with
// `xIsEpoch`), each series one line, the y axis and the legend formatted by one Unit
// (src/ui-kit/format.ts). Colours come from the theme's --series-N variables. The chart follows
// its host's width (ResizeObserver, and before printing).
//
// Contract: `timeChart` is called with a host element that is in the document; `data[0]` is the
// x values, `data[i]` the values of `series[i-1]` (null = no point), all of the same length.
// `setData` replaces the data and keeps the series; `destroy` removes the chart and its observers.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatDuration, formatValue, type Unit } from "../format.ts";

export interface TimeSeriesSpec {
  label: string;
  /** A CSS colour or `var(--theme-variable)`; default the theme's --series-N in order. */
  color?: string;
  /** Draw as a dashed line (e.g. a threshold or a secondary figure). */
  dashed?: boolean;
  /** Fill under the line. */
  fill?: boolean;
}

export interface TimeChartOptions {
  title: string;
  unit: Unit;
  series: TimeSeriesSpec[];
  /** Plot height in CSS pixels (default 220). */
  height?: number;
  /** x values are epoch seconds (shown as clock times) instead of seconds since the start. */
  xIsEpoch?: boolean;
}

export interface TimeChart {
  readonly plot: uPlot;
  setData(data: TimeChartData): void;
  destroy(): void;
}

export type TimeChartData = [number[], ...(number | null)[][]];

const DEFAULT_HEIGHT = 220;

export function timeChart(host: HTMLElement, options: TimeChartOptions, data: TimeChartData): TimeChart {
  const style = getComputedStyle(document.documentElement);
  const themeVar = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const fg = themeVar("--fg-soft", "#666");
  const grid = themeVar("--grid", "rgba(0,0,0,0.08)");
  const format = (v: number | null | undefined) => (v === null || v === undefined ? "–" : formatValue(v, options.unit));

  const axisStyle = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const xAxis: uPlot.Axis = options.xIsEpoch
    ? { ...axisStyle }
    : { ...axisStyle, values: (_u, splits) => splits.map((s) => formatDuration(s * 1000)) };
  const opts: uPlot.Options = {
    width: Math.max(200, host.clientWidth),
    height: options.height ?? DEFAULT_HEIGHT,
    scales: { x: { time: options.xIsEpoch === true }, y: { range: (_u, min, max) => yRange(min, max, options.unit) } },
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
    series: [
      options.xIsEpoch ? {} : { label: "t", value: (_u, v) => (v === null ? "–" : formatDuration(v * 1000)) },
      ...options.series.map((s, i) => {
        const color = resolveColor(s.color, style) ?? themeVar(`--series-${(i % 8) + 1}`, "#2f6feb");
        return {
          label: s.label,
          stroke: color,
          width: 1.5,
          spanGaps: false,
          ...(s.dashed ? { dash: [6, 4] } : {}),
          ...(s.fill ? { fill: `${color}22` } : {}),
          value: (_u: uPlot, v: number | null) => format(v),
        } satisfies uPlot.Series;
      }),
    ],
    axes: [xAxis, { ...axisStyle, size: 70, values: (_u, splits) => splits.map((v) => format(v)) }],
  };
  const plot = new uPlot(opts, data as uPlot.AlignedData, host);
  const resize = () => {
    const width = Math.max(200, host.clientWidth);
    if (width !== plot.width) plot.setSize({ width, height: options.height ?? DEFAULT_HEIGHT });
  };
  const observer = typeof ResizeObserver === "function" ? new ResizeObserver(resize) : undefined;
  observer?.observe(host);
  window.addEventListener("beforeprint", resize);
  return {
    plot,
    setData: (next) => plot.setData(next as uPlot.AlignedData),
    destroy: () => {
      observer?.disconnect();
      window.removeEventListener("beforeprint", resize);
      plot.destroy();
    },
  };
}

/** Canvas needs a real colour: `var(--name)` is read from the theme. */
function resolveColor(color: string | undefined, style: CSSStyleDeclaration): string | undefined {
  const m = color ? /^var\((--[\w-]+)\)$/.exec(color.trim()) : null;
  if (!m) return color;
  return style.getPropertyValue(m[1]!).trim() || undefined;
}

/** y from 0 (all our figures are non-negative), a little headroom; percent tops at 100 %. */
function yRange(min: number | null, max: number | null, unit: Unit): uPlot.Range.MinMax {
  const hi = max === null || !Number.isFinite(max) || max <= 0 ? (unit === "percent" ? 0.01 : 1) : max * 1.1;
  const lo = min !== null && min < 0 ? min * 1.1 : 0;
  return [lo, unit === "percent" ? Math.min(hi, 1) : hi];
}
