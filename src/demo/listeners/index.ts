// The demo target's listeners on ports of their own, by name: an explicit map (no side-effect
// registration). A protocol's demo endpoint is one file here (implementing types.ts
// `DemoListener`) plus one line below; `loadr demo` gets its `--<name>-port` flag, prints its
// address at start and `/_stats` counts it under `byProtocol.<name>`.
import { tcpEchoListener } from "./tcp-echo.ts";
import { grpcListener } from "./grpc.ts";
import { h2Listener } from "./h2.ts";
import type { DemoListener } from "./types.ts";
import { udpEchoListener } from "./udp-echo.ts";

export const DEMO_LISTENERS: Readonly<Record<string, DemoListener>> = {
  tcp: tcpEchoListener,
  udp: udpEchoListener,
  grpc: grpcListener,
  h2: h2Listener,
};
