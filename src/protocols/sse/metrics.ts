// The metrics an SSE stream records, declared by the protocol module so a plan that uses `sse`
// knows them (thresholds, summary). k6 never shipped SSE; the names follow its `ws_*` ones.
// `sse_session_failed` is a rate like `http_req_failed`: 1 for a stream that ended with an error
// (tag `error`). `data_received` (a core metric) counts the stream's body bytes.
import { defineMetric as define } from "../../metrics/builtin.ts";
import type { MetricDefinition } from "../../metrics/types.ts";

export const SSE_METRICS: readonly MetricDefinition[] = [
  define("sse_connecting", "trend", "time"),
  define("sse_time_to_first_event", "trend", "time"),
  define("sse_events", "counter"),
  define("sse_sessions", "counter"),
  define("sse_session_failed", "rate"),
];
