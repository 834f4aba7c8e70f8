// The gRPC protocol handler ("grpc"): grpc-js channels per VU and target (session.ts); the
// calls themselves are in call.ts, made by the `grpc:` step (step/grpc-step.ts).
import type { ProtocolHandler } from "../types.ts";
import { GrpcSession } from "./session.ts";

export const grpcHandler: ProtocolHandler<GrpcSession> = {
  protocol: "grpc",
  openSession: (context) => new GrpcSession(context),
};
