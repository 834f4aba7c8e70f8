// A TCP proxy on 127.0.0.1, port 0, in front of a real server: it counts the connections a client
// opens (and how many are still open), and can cut every connection once the server has sent
// `cutAfterBytes` bytes back — a reset in the middle of a response, whatever the protocol.
import { connect, createServer, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  /** Client connections accepted so far. */
  readonly connections: number;
  /** Client connections still open. */
  readonly open: number;
  close(): Promise<void>;
}

export async function tcpProxy(targetPort: number, options: { cutAfterBytes?: number } = {}): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let open = 0;
  const server = createServer((client) => {
    connections++;
    open++;
    sockets.add(client);
    const upstream = connect(targetPort, "127.0.0.1");
    sockets.add(upstream);
    let fromServer = 0;
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", () => {
      open--;
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on("error", closeBoth);
    upstream.on("error", closeBoth);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk: Buffer) => {
      const cut = options.cutAfterBytes;
      if (cut !== undefined && fromServer + chunk.length > cut) {
        client.write(chunk.subarray(0, Math.max(0, cut - fromServer)), () => closeBoth());
        fromServer = cut;
        return;
      }
      fromServer += chunk.length;
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    get connections() {
      return connections;
    },
    get open() {
      return open;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
