// Server-sent events as a protocol module: its step (`sse:`), its own check kind (`event`), the
// metrics its streams record and the handler that opens a VU's session, in one entry of
// src/protocols/registry.ts. Shared checks and extractions read the stream view (event-view.ts).
import type { ProtocolModule } from "../../plugin-api/types.ts";
import { SSE_CHECKS } from "./checks.ts";
import { SSE_METRICS } from "./metrics.ts";
import { SSE_PROTOCOL, sseHandler } from "./session.ts";
import { sseStep } from "./step/sse-step.ts";

export const sseModule: ProtocolModule = {
  name: SSE_PROTOCOL,
  steps: { sse: sseStep },
  checks: SSE_CHECKS,
  metrics: SSE_METRICS,
  handler: sseHandler,
};
