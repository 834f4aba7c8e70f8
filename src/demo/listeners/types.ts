// The contract of a demo listener: a protocol endpoint of the demo target (`loadr demo`) on a
// port of its own (HTTP/2, gRPC, TCP, UDP, …), beside the HTTP server. Listed in
// src/demo/listeners/index.ts; `loadr demo` gets its `flag` from there, startDemoServer
// (src/demo/server.ts) starts every one after the HTTP server and stops them with it.
import type { RequestStats } from "../stats.ts";

export interface DemoListenerOptions {
  /** The address to listen on (`--host`). */
  readonly hostname: string;
}

/** A started listener. */
export interface DemoListenerHandle {
  /** The port it listens on (the free one it got when asked for 0). */
  readonly port: number;
  /**
   * What a plan puts in its `url:` or `target:` to reach it: a URL when the protocol is addressed
   * by one (`http://127.0.0.1:8443`), `host:port` otherwise. One token, no spaces: `loadr demo`
   * prints it as the second column of the listener's line.
   */
  readonly address: string;
  /** Stops listening and closes its connections; resolves when done. Called once. */
  stop(): Promise<void>;
}

export interface DemoListener {
  /** Lower-case, no spaces, not `http` (the HTTP server's); the key of its registry entry. */
  readonly name: string;
  /** Its `loadr demo` flag, `--<name>-port`. */
  readonly flag: string;
  /**
   * Listens on `port` (0: a free one) and counts what it serves in `stats` under its protocol
   * name (`stats.count(label, name)`). Rejects when it cannot listen; must then hold nothing open.
   * Whatever it reads from a connection is bounded in size and time, as every endpoint of the demo.
   */
  start(port: number, stats: RequestStats, options: DemoListenerOptions): Promise<DemoListenerHandle>;
}
