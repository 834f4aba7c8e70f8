// What the report page's script (browser/main.ts) reads of the embedded ReportModel (model.ts):
// the timeline and the per-agent rates. No imports, so that the browser code can share these
// types without pulling the Bun program's types in (tsconfig.browser.json).

/** One entry per second of the run; null where that second had no samples. */
export interface Timeline {
  /** The latency metric the percentiles are of; null when the run had none. */
  latencyMetric: string | null;
  /** Seconds since the start, at the end of each second. */
  t: number[];
  requestsPerSecond: (number | null)[];
  /** Failed fraction 0..1 of that second's requests. */
  errorRate: (number | null)[];
  vus: (number | null)[];
  p50: (number | null)[];
  p90: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
}

export interface ChartFleet {
  agents: ReadonlyArray<{ id: string; name: string }>;
  /** Per agent id, requests per second aligned with `Timeline.t` (absent when not recorded). */
  requestsPerSecond: Record<string, (number | null)[]>;
}

export interface ChartData {
  timeline: Timeline;
  fleet?: ChartFleet;
}
