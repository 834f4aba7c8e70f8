// The metrics every run has whatever its protocols, with k6's names so k6 users feel at home.
// A protocol's own metrics travel with its module (e.g. src/protocols/http1/metrics.ts); a plan's
// full list is `TestPlan.metrics` (config/registered.ts gathers them).
import type { MetricContains, MetricDefinition, MetricType } from "./types.ts";

/** A definition as modules declare them: `defineMetric("fake_latency", "trend", "time")`. */
export const defineMetric = (name: string, type: MetricType, contains: MetricContains = "default"): MetricDefinition => ({
  name,
  type,
  contains,
});
const define = defineMetric;

export const CORE_METRICS: readonly MetricDefinition[] = [
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
