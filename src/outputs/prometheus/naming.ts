// Prometheus names for loadr's metrics, shared by the remote-write output (outputs/prometheus-rw/)
// and the scrape endpoint (outputs/prometheus/): k6's scheme, a prefix (default `loadr_`) plus the
// metric name plus Prometheus's unit and type suffixes. Pure.
//
//   counter  http_reqs (default)          → loadr_http_reqs_total
//   counter  data_sent (data, bytes)      → loadr_data_sent_bytes_total
//   gauge    vus                          → loadr_vus
//   rate     http_req_failed              → loadr_http_req_failed_rate (passes / all, over the run)
//                                           loadr_http_req_failed_passes_total, …_fails_total
//   trend    http_req_duration (time)     → loadr_http_req_duration_seconds (native histogram)
//            trendStats fallback          → loadr_http_req_duration_seconds_p95, …_avg, …_count
//   trend    of data                      → loadr_…_bytes
//
// Values change unit with the name: time metrics are kept in ms and exported in seconds.
// Label names: tags with characters outside [a-zA-Z0-9_] have them replaced by `_`, a leading
// digit gets a `_` in front, and a tag starting with `__` (reserved by Prometheus) gets `tag`.
import type { MetricContains } from "../../metrics/types.ts";
import { percentileOf } from "../../metrics/trend-stats.ts";

export const DEFAULT_PREFIX = "loadr_";

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why `prefix` cannot start a metric name, or undefined when it can ("" is allowed). */
export function prefixProblem(prefix: string): string | undefined {
  if (prefix === "" || METRIC_NAME.test(prefix)) return undefined;
  return `"${prefix}" is not a Prometheus metric name prefix (letters, digits, _ and :, not starting with a digit)`;
}

/** Why `name` is not a label name an output may add, or undefined. */
export function labelNameProblem(name: string): string | undefined {
  if (!LABEL_NAME.test(name)) return `"${name}" is not a Prometheus label name (letters, digits and _, not starting with a digit)`;
  if (name.startsWith("__")) return `"${name}": label names starting with __ are reserved by Prometheus`;
  return undefined;
}

/** A metric name with characters Prometheus does not allow replaced by `_`. */
function sanitizeMetric(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_:]/g, "_");
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/** A tag name as a Prometheus label name (see the header). */
export function labelName(tag: string): string {
  let s = tag.replace(/[^a-zA-Z0-9_]/g, "_");
  if (s === "" || /^[0-9]/.test(s)) s = `_${s}`;
  if (s.startsWith("__")) s = `tag${s}`;
  return s;
}

/** `_seconds` for time, `_bytes` for data, nothing otherwise. */
export function unitSuffix(contains: MetricContains): string {
  return contains === "time" ? "_seconds" : contains === "data" ? "_bytes" : "";
}

/** The factor from the metric's unit (ms for time) to the exported one (seconds). */
export function unitScale(contains: MetricContains): number {
  return contains === "time" ? 1 / 1000 : 1;
}

/** The base name of a metric: prefix + name + unit suffix (no type suffix). */
export function baseName(prefix: string, metric: string, contains: MetricContains): string {
  return sanitizeMetric(`${prefix}${metric}`) + unitSuffix(contains);
}

/** The name of a trendStats gauge: `p(95)` → `_p95`, `p(99.9)` → `_p99_9`, `avg` → `_avg`. */
export function trendStatName(base: string, stat: string): string {
  const p = percentileOf(stat);
  return p === undefined ? `${base}_${stat}` : `${base}_p${String(p).replace(".", "_")}`;
}
