// UDP as a protocol module (one entry of src/protocols/registry.ts): the `udp:` step, the metrics
// its sessions record and the handler that opens a VU's session (session.ts).
import type { ProtocolModule } from "../../plugin-api/types.ts";
import { UDP_METRICS } from "./metrics.ts";
import { udpHandler } from "./session.ts";
import { UDP_PROTOCOL, udpStep } from "./step/udp-step.ts";

export const udpModule: ProtocolModule = {
  name: UDP_PROTOCOL,
  steps: { udp: udpStep },
  metrics: UDP_METRICS,
  handler: udpHandler,
};
