// The demo's UDP echo (`loadr demo --udp-port N`): every datagram comes back to its sender as
// sent, and is counted once (`/_stats` byPath `udp`, byProtocol `udp`). A datagram is bounded by
// UDP itself (at most 64 KiB); nothing is kept between datagrams.
import type { DemoListener } from "./types.ts";

const NAME = "udp";

export const udpEchoListener: DemoListener = {
  name: NAME,
  flag: "--udp-port",
  async start(port, stats, { hostname }) {
    const socket = await Bun.udpSocket({
      hostname,
      port,
      socket: {
        data(s, data, fromPort, fromAddress) {
          stats.count(NAME, NAME);
          s.send(data, fromPort, fromAddress);
        },
      },
    });
    const host = hostname.includes(":") ? `[${hostname}]` : hostname;
    return {
      port: socket.port,
      address: `${host}:${socket.port}`,
      async stop() {
        socket.close();
      },
    };
  },
};
