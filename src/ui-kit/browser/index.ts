// The ui-kit for browser entries: import from here to get the theme and uPlot's CSS into your
// bundle (src/ui-kit/bundle.ts) along with the chart and the formatting.
import "./theme.css";

export { timeChart, type TimeChart, type TimeChartData, type TimeChartOptions, type TimeSeriesSpec } from "./time-chart.ts";
export { pageData } from "./page-data.ts";
export * from "../format.ts";
