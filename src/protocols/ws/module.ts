// WebSocket as a protocol module: its step (`ws:`), the metrics its sessions record and the
// handler that opens a VU's session, in one entry of src/protocols/registry.ts. Its checks and
// extractions are the shared kinds, applied to each message and to the session (message-view.ts).
import type { ProtocolModule } from "../../plugin-api/types.ts";
import { WS_METRICS } from "./metrics.ts";
import { WS_PROTOCOL, wsHandler } from "./session.ts";
import { wsStep } from "./step/ws-step.ts";

export const wsModule: ProtocolModule = {
  name: WS_PROTOCOL,
  steps: { ws: wsStep },
  metrics: WS_METRICS,
  handler: wsHandler,
};
