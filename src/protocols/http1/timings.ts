// Per-phase request timings from the instants (performance.now(), ms) a connection marked,
// with k6's meanings. An instant that did not happen is 0. Pure.
//   blocked        start → connect began (includes DNS); 0 on a reused idle connection (connection.ts)
//   connecting     connect began → TCP open          (0 on a reused connection)
//   tlsHandshaking TCP open → TLS handshake done     (0 on plain or reused connections)
//   sending        first write → last byte written
//   waiting        last byte written → first response byte (TTFB)
//   receiving      first response byte → arrival of the bytes that completed the response (or the failure)
//   duration       sending + waiting + receiving
import type { RequestTimings } from "../types.ts";

export function phaseTimings(
  start: number,
  connectStart: number,
  open: number,
  secure: number,
  sendStart: number,
  sent: number,
  firstByte: number,
  end: number,
): RequestTimings {
  const blockedEnd = connectStart > 0 ? connectStart : sendStart > 0 ? sendStart : end;
  const blocked = blockedEnd - start;
  const connecting = connectStart > 0 && open > 0 ? open - connectStart : 0;
  const tlsHandshaking = secure > 0 && open > 0 ? secure - open : 0;
  let sending = 0;
  let waiting = 0;
  let receiving = 0;
  if (sendStart > 0) {
    // An answer can start before the request is fully written (e.g. an early 413).
    const written = sent > 0 ? sent : firstByte > 0 ? firstByte : end;
    sending = written - sendStart;
    if (firstByte > 0) {
      waiting = firstByte > written ? firstByte - written : 0;
      receiving = end - firstByte;
    } else {
      waiting = end - written;
    }
  }
  return {
    blocked: blocked > 0 ? blocked : 0,
    connecting,
    tlsHandshaking,
    sending,
    waiting,
    receiving,
    duration: sending + waiting + receiving,
  };
}
