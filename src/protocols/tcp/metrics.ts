// The metrics a TCP session records (session.ts), declared by the protocol module. The issue's
// names (tcp_connecting, tcp_duration) plus a count of exchanges and their failure rate, the way
// http_reqs / http_req_failed count requests; `data_sent` / `data_received` are core metrics.
import { defineMetric as define } from "../../metrics/builtin.ts";
import type { MetricDefinition } from "../../metrics/types.ts";

export const TCP_METRICS: readonly MetricDefinition[] = [
  define("tcp_reqs", "counter"),
  define("tcp_connecting", "trend", "time"),
  define("tcp_duration", "trend", "time"),
  define("tcp_failed", "rate"),
];
