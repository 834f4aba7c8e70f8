// The metrics gRPC calls record (k6's names; see call.ts), declared by the protocol module so a
// plan that uses gRPC knows them (thresholds, summary). Tagged by `method` (package.Service/Method)
// and `status` (the gRPC code as a number, k6's tag), plus `error` on a call that failed without
// a response. `data_sent`/`data_received` are core metrics (metrics/builtin.ts).
import { defineMetric as define } from "../../metrics/builtin.ts";
import type { MetricDefinition } from "../../metrics/types.ts";

export const GRPC_METRICS: readonly MetricDefinition[] = [
  define("grpc_req_duration", "trend", "time"),
  define("grpc_streams", "counter"),
  define("grpc_streams_msgs_sent", "counter"),
  define("grpc_streams_msgs_received", "counter"),
];
