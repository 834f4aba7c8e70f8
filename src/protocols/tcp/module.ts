// TCP as a protocol module (one entry of src/protocols/registry.ts): the `tcp:` step, the metrics
// its sessions record and the handler that opens a VU's session (session.ts).
import type { ProtocolModule } from "../../plugin-api/types.ts";
import { TCP_METRICS } from "./metrics.ts";
import { tcpHandler } from "./session.ts";
import { TCP_PROTOCOL, tcpStep } from "./step/tcp-step.ts";

export const tcpModule: ProtocolModule = {
  name: TCP_PROTOCOL,
  steps: { tcp: tcpStep },
  metrics: TCP_METRICS,
  handler: tcpHandler,
};
