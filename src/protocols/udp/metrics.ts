// The metrics a UDP session records (session.ts), declared by the protocol module: the issue's
// udp_duration and udp_timeouts, plus a count of datagrams sent and their failure rate (as
// http_reqs / http_req_failed); `data_sent` / `data_received` are core metrics.
import { defineMetric as define } from "../../metrics/builtin.ts";
import type { MetricDefinition } from "../../metrics/types.ts";

export const UDP_METRICS: readonly MetricDefinition[] = [
  define("udp_reqs", "counter"),
  define("udp_duration", "trend", "time"),
  define("udp_timeouts", "counter"),
  define("udp_failed", "rate"),
];
