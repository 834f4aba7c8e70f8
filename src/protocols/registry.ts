// The protocol registry: one line per protocol module (src/plugin-api/types.ts `ProtocolModule`),
// keyed by the name its steps open sessions under. Gathered into the modules by src/builtins.ts.
import type { ProtocolModule } from "../plugin-api/types.ts";
import { graphqlModule } from "./graphql/module.ts";
import { grpcModule } from "./grpc/module.ts";
import { http1Module } from "./http1/module.ts";
import { http2Module } from "./http2/module.ts";
import { sseModule } from "./sse/module.ts";
import { tcpModule } from "./tcp/module.ts";
import { udpModule } from "./udp/module.ts";
import { wsModule } from "./ws/module.ts";

export const PROTOCOLS: Readonly<Record<string, ProtocolModule>> = {
  http: http1Module,
  http2: http2Module,
  tcp: tcpModule,
  udp: udpModule,
  graphql: graphqlModule,
  grpc: grpcModule,
  ws: wsModule,
  sse: sseModule,
};
