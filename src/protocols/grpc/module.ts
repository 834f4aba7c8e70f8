// gRPC as a protocol module: its step (`grpc:`), its own check kind (`grpcStatus`), the metrics
// its calls record and the handler that opens a VU's session — one entry of
// src/protocols/registry.ts.
import type { ProtocolModule } from "../../plugin-api/types.ts";
import { grpcHandler } from "./index.ts";
import { GRPC_METRICS } from "./metrics.ts";
import { GRPC_CHECKS } from "./status-check.ts";
import { GRPC_PROTOCOL, grpcStep } from "./step/grpc-step.ts";

export const grpcModule: ProtocolModule = {
  name: GRPC_PROTOCOL,
  steps: { grpc: grpcStep },
  checks: GRPC_CHECKS,
  metrics: GRPC_METRICS,
  handler: grpcHandler,
};
