// What src/protocols/http1/response-parser.ts relies on from Bun (it keeps ranges of the chunks
// it is fed instead of copying them): every socket `data` callback gets a buffer of its own, and
// Bun never writes into it again after the callback returns. Real sockets on 127.0.0.1, port 0.
import { afterAll, expect, test } from "bun:test";
import type { Socket, TCPSocketListener } from "bun";

const ROUNDS = 400;
let server: TCPSocketListener<undefined> | undefined;

afterAll(() => server?.stop(true));

test("each data chunk is a buffer of its own, unchanged after later chunks arrive", async () => {
  // The server answers each 1-byte ping with a distinct 200-byte message (its round number repeated).
  server = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket: Socket<undefined>, chunk: Buffer) {
        for (const byte of chunk) socket.write(new Uint8Array(200).fill(byte));
      },
    },
  });
  const kept: Uint8Array[] = [];
  const copies: Uint8Array[] = [];
  let received = 0;
  let round = 0;
  const done = Promise.withResolvers<void>();
  const client = await Bun.connect({
    hostname: "127.0.0.1",
    port: server.port,
    socket: {
      binaryType: "uint8array",
      data(socket, chunk: Uint8Array) {
        kept.push(chunk);
        copies.push(chunk.slice());
        received += chunk.length;
        if (received === (round + 1) * 200) {
          round++;
          if (round === ROUNDS) done.resolve();
          else socket.write(new Uint8Array([round % 256]));
        }
      },
    },
  });
  client.write(new Uint8Array([0]));
  await done.promise;
  client.end();
  expect(kept.length).toBeGreaterThanOrEqual(ROUNDS);
  expect(new Set(kept.map((chunk) => chunk.buffer)).size).toBe(kept.length);
  for (let i = 0; i < kept.length; i++) expect(kept[i]).toEqual(copies[i]!);
});
