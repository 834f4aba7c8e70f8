// The metrics the HTTP/1.1 session records (k6's names; see record-metrics.ts), declared by the
// protocol module so a plan that uses HTTP knows them (thresholds, summary). `data_sent` and
// `data_received` are core metrics (metrics/builtin.ts): every protocol counts bytes in them.
import { defineMetric as define } from "../../metrics/builtin.ts";
import type { MetricDefinition } from "../../metrics/types.ts";

export const HTTP_METRICS: readonly MetricDefinition[] = [
  define("http_reqs", "counter"),
  define("http_req_duration", "trend", "time"),
  define("http_req_blocked", "trend", "time"),
  define("http_req_connecting", "trend", "time"),
  define("http_req_tls_handshaking", "trend", "time"),
  define("http_req_sending", "trend", "time"),
  define("http_req_waiting", "trend", "time"),
  define("http_req_receiving", "trend", "time"),
  define("http_req_failed", "rate"),
];
