// Misbehaving WebSocket servers for the ws tests, on the scripted HTTP/1.1 server of
// bad-servers.ts (node:net, 127.0.0.1, port 0): each accepts the upgrade with a correct 101 and
// then does what the test needs to the raw socket (drop it mid-frame, send a malformed frame,
// close after N messages). Server frames are written unmasked, as RFC 6455 requires.
import { createHash } from "node:crypto";
import type { Socket } from "node:net";
import { scriptedServer, type RawRequest, type TestServer } from "./bad-servers.ts";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/** The 101 answer to a WebSocket upgrade request. */
export function acceptUpgrade(request: RawRequest): string {
  const accept = createHash("sha1").update(`${request.headers["sec-websocket-key"] ?? ""}${GUID}`).digest("base64");
  return `HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: ${accept}\r\n\r\n`;
}

/** An unmasked server text frame. */
export function textFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new Error("textFrame: short payloads only");
  return Buffer.concat([Buffer.from([0x81, payload.length]), payload]);
}

/** Upgrades every request, then hands the raw socket to `after`. */
export function upgradingServer(after: (socket: Socket) => void): Promise<TestServer> {
  return scriptedServer((request, socket) => {
    socket.write(acceptUpgrade(request));
    after(socket);
  });
}

/** Upgrades, then sends the head of a 100-byte text frame with 10 bytes of it and drops the connection. */
export function resetMidMessageServer(): Promise<TestServer> {
  return upgradingServer((socket) => socket.write(Buffer.concat([Buffer.from([0x81, 100]), Buffer.from("0123456789")]), () => socket.destroy()));
}

/** Upgrades, then sends a frame with a reserved opcode (0xF): a protocol error for the client. */
export function malformedFrameServer(): Promise<TestServer> {
  return upgradingServer((socket) => socket.write(Buffer.from([0x8f, 0x02, 0x41, 0x42])));
}

/** Upgrades, then sends a text frame (`hello`) and ends the TCP connection without a close frame. */
export function helloThenDropServer(): Promise<TestServer> {
  return upgradingServer((socket) => socket.write(textFrame("hello"), () => socket.destroy()));
}
