// HTTP/2 as a protocol module: no step of its own — the `request:` step (../http1/step/) sends on
// this session when its `http: { version }` asks for HTTP/2 — and the k6 HTTP metrics.
import type { ProtocolModule } from "../../plugin-api/types.ts";
import { HTTP_METRICS } from "../http1/metrics.ts";
import { HTTP2_PROTOCOL, http2Handler } from "./index.ts";

export const http2Module: ProtocolModule = {
  name: HTTP2_PROTOCOL,
  steps: {},
  metrics: HTTP_METRICS,
  handler: http2Handler,
};
