import type { MetricDefinition, MetricType, MetricContains } from "./types.ts";

// The built-in metrics, with k6's names so k6 users feel at home.
const define = (name: string, type: MetricType, contains: MetricContains = "default"): MetricDefinition => ({
  name,
  type,
  contains,
});

export const BUILTIN_METRICS: readonly MetricDefinition[] = [
  define("http_reqs", "counter"),
  define("http_req_duration", "trend", "time"),
  define("http_req_blocked", "trend", "time"),
  define("http_req_connecting", "trend", "time"),
  define("http_req_tls_handshaking", "trend", "time"),
  define("http_req_sending", "trend", "time"),
  define("http_req_waiting", "trend", "time"),
  define("http_req_receiving", "trend", "time"),
  define("http_req_failed", "rate"),
  define("checks", "rate"),
  define("iterations", "counter"),
  define("iteration_duration", "trend", "time"),
  define("iteration_start_delay", "trend", "time"),
  define("dropped_iterations", "counter"),
  define("group_duration", "trend", "time"),
  define("vus", "gauge"),
  define("vus_max", "gauge"),
  define("data_sent", "counter", "data"),
  define("data_received", "counter", "data"),
];

const byName = new Map(BUILTIN_METRICS.map((m) => [m.name, m]));

export function findMetric(name: string): MetricDefinition | undefined {
  return byName.get(name);
}

export function metricNames(): string[] {
  return [...byName.keys()];
}
