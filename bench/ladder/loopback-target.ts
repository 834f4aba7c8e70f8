// A tiny HTTP/1.1 responder on Bun.listen that needs no install: the ladder's target in CI
// (bench/test/ladder.test.ts) and with `--target loopback`. It answers every request with the same
// `200 ok` as the bench's nginx and counts them exactly. Requests are recognised by the blank
// line that ends their head, which is all the ladder sends (GETs without a body). Runs in the
// caller's process on 127.0.0.1, port 0; `stop` closes the listener and every connection.
import type { Socket } from "bun";
import type { Target } from "../lib/nginx.ts";

const RESPONSE = Buffer.from("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok");

interface Peer {
  /** How much of "\r\n\r\n" the bytes so far end with (0–3). */
  matched: number;
  /** Response bytes a short write left over. */
  pending: Uint8Array | undefined;
}

/** The next `matched` after byte `c` (a CR LF CR LF matcher). */
function step(matched: number, c: number): number {
  if (c === 13) return matched === 2 ? 3 : 1;
  if (c === 10) return matched === 1 ? 2 : matched === 3 ? 4 : 0;
  return 0;
}

function send(socket: Socket<Peer>, bytes: Uint8Array): void {
  const peer = socket.data;
  const all = peer.pending === undefined ? bytes : Buffer.concat([peer.pending, bytes]);
  const n = socket.write(all);
  peer.pending = n < all.length ? all.subarray(Math.max(0, n)) : undefined;
}

export function startLoopbackTarget(): Target {
  let count = 0;
  const server = Bun.listen<Peer>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      binaryType: "uint8array",
      open(socket) {
        socket.data = { matched: 0, pending: undefined };
      },
      data(socket, chunk) {
        let matched = socket.data.matched;
        let requests = 0;
        for (let i = 0; i < chunk.length; i++) {
          matched = step(matched, chunk[i]!);
          if (matched === 4) {
            requests++;
            matched = 0;
          }
        }
        socket.data.matched = matched;
        if (requests === 0) return;
        count += requests;
        send(socket, requests === 1 ? RESPONSE : Buffer.concat(Array.from({ length: requests }, () => RESPONSE)));
      },
      drain(socket) {
        const pending = socket.data.pending;
        socket.data.pending = undefined;
        if (pending !== undefined) send(socket, pending);
      },
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}/`,
    port: server.port,
    counter: async () => count,
    served: (before, after) => after - before,
    async stop() {
      server.stop(true);
    },
  };
}
