// HTTP/1.1 as a protocol module: everything the rest of loadr needs of it, in one entry of
// src/protocols/registry.ts — its step (`request:`), the metrics its sessions record, and the
// handler that opens a VU's session (index.ts).
import type { ProtocolModule } from "../../plugin-api/types.ts";
import { http1Handler } from "./index.ts";
import { HTTP_METRICS } from "./metrics.ts";
import { HTTP_PROTOCOL, httpRequestStep } from "./step/request-step.ts";

export const http1Module: ProtocolModule = {
  name: HTTP_PROTOCOL,
  steps: { request: httpRequestStep },
  metrics: HTTP_METRICS,
  handler: http1Handler,
};
