// The metrics a WebSocket session records (k6's names), declared by the protocol module so a plan
// that uses `ws` knows them (thresholds, summary). `ws_session_failed` is ours (k6 has none): a
// rate like `http_req_failed`, 1 for a session that ended with an error (tag `error`), so a
// threshold can hold failures down. `data_sent`/`data_received` are core metrics.
import { defineMetric as define } from "../../metrics/builtin.ts";
import type { MetricDefinition } from "../../metrics/types.ts";

export const WS_METRICS: readonly MetricDefinition[] = [
  define("ws_connecting", "trend", "time"),
  define("ws_session_duration", "trend", "time"),
  define("ws_sessions", "counter"),
  define("ws_session_failed", "rate"),
  define("ws_msgs_sent", "counter"),
  define("ws_msgs_received", "counter"),
  define("ws_ping", "trend", "time"),
];
