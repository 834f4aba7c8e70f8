// The demo's TCP line echo (`loadr demo --tcp-port N`): every `\n`-terminated line a client sends
// comes back as sent, and is counted once (`/_stats` byPath `tcp`, byProtocol `tcp`) when its
// newline arrives. Bounded: a line longer than MAX_LINE_BYTES closes the connection (its bytes
// are not counted), and a connection idle for IDLE_TIMEOUT_S is closed.
import type { Socket, TCPSocketListener } from "bun";
import type { DemoListener } from "./types.ts";

const MAX_LINE_BYTES = 64 * 1024;
const IDLE_TIMEOUT_S = 30;
const NAME = "tcp";
const NEWLINE = 0x0a;

interface LineState {
  /** Bytes of the current line not yet ended by a newline. */
  partial: Buffer;
}

export const tcpEchoListener: DemoListener = {
  name: NAME,
  flag: "--tcp-port",
  async start(port, stats, { hostname }) {
    const sockets = new Set<Socket<LineState>>();
    const listener: TCPSocketListener<LineState> = Bun.listen<LineState>({
      hostname,
      port,
      socket: {
        open(socket) {
          socket.data = { partial: Buffer.alloc(0) };
          socket.timeout(IDLE_TIMEOUT_S);
          sockets.add(socket);
        },
        data(socket, data) {
          let rest = socket.data.partial.length > 0 ? Buffer.concat([socket.data.partial, data]) : data;
          let at = rest.indexOf(NEWLINE);
          while (at >= 0) {
            stats.count(NAME, NAME);
            socket.write(rest.subarray(0, at + 1));
            rest = rest.subarray(at + 1);
            at = rest.indexOf(NEWLINE);
          }
          if (rest.length > MAX_LINE_BYTES) return void socket.end();
          socket.data.partial = Buffer.from(rest);
        },
        timeout(socket) {
          socket.end();
        },
        close(socket) {
          sockets.delete(socket);
        },
        error(socket) {
          sockets.delete(socket);
        },
      },
    });
    const host = hostname.includes(":") ? `[${hostname}]` : hostname;
    return {
      port: listener.port,
      address: `${host}:${listener.port}`,
      async stop() {
        for (const socket of sockets) socket.terminate();
        sockets.clear();
        listener.stop(true);
      },
    };
  },
};
