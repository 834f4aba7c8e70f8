// Scriptable raw TCP and UDP peers on 127.0.0.1, port 0, for the tcp/udp contract tests: each
// counts what it saw (connections, open sockets, lines, datagrams) and `stop()` closes everything.
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, type Server, type Socket } from "node:net";

export interface RawTcpServer {
  port: number;
  target: string;
  readonly connections: number;
  /** Sockets currently open on the server side. */
  readonly open: number;
  /** `\n`-terminated lines received, across connections. */
  readonly lines: number;
  stop(): Promise<void>;
}

/** What to do with each complete line: write something back, act on the socket, or nothing. */
export type LineResponder = (line: string, socket: Socket) => string | Uint8Array | void;

export async function rawTcpServer(respond: LineResponder): Promise<RawTcpServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let lines = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let buffer = "";
    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("latin1");
      let at = buffer.indexOf("\n");
      while (at >= 0 && !socket.destroyed) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
        lines++;
        const reply = respond(line, socket);
        if (reply !== undefined) socket.write(reply);
        at = buffer.indexOf("\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    target: `127.0.0.1:${port}`,
    get connections() {
      return connections;
    },
    get open() {
      return sockets.size;
    },
    get lines() {
      return lines;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface RawUdpServer {
  port: number;
  target: string;
  readonly datagrams: number;
  stop(): Promise<void>;
}

/** Each datagram received is counted, then answered with what `respond` returns (or not at all). */
export async function rawUdpServer(respond: (message: Buffer) => string | Uint8Array | void): Promise<RawUdpServer> {
  let datagrams = 0;
  const socket: UdpSocket = createSocket("udp4");
  socket.on("message", (message, remote) => {
    datagrams++;
    const reply = respond(message);
    if (reply !== undefined) socket.send(reply, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  return {
    port,
    target: `127.0.0.1:${port}`,
    get datagrams() {
      return datagrams;
    },
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A port on 127.0.0.1 where no UDP socket listens (bound, then released). */
export async function closedUdpPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
