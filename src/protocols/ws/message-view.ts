// What checks and extractions see of a WebSocket message and of a whole session: the shared
// ResponseView (src/protocols/types.ts), so the shared kinds (json, body, duration, regex …) apply.
// - A message: status 101 (the session's), no headers, `body` its text — or, for a binary
//   message, its bytes as base64 (the way `send: { binary }` writes them); `timings.duration` the
//   ms from the start of the wait to its arrival (0 for one already queued); attributes `type`
//   ("text" | "binary") and `bytes`.
// - A session (the step's own `checks:`/`extract:`): status 101 once it opened (the refusing
//   status, or 0, otherwise), `body` the last message taken by an action, `timings.connecting`
//   the time to open and `duration` the whole session; `error` when it failed.
import type { RequestTimings, ResponseView } from "../types.ts";
import type { WsMessage } from "./connection.ts";
import type { WsError } from "./errors.ts";

const timings = (duration: number, connecting = 0): RequestTimings => ({
  blocked: 0,
  connecting,
  tlsHandshaking: 0,
  sending: 0,
  waiting: duration,
  receiving: 0,
  duration,
});

const textOf = (message: WsMessage): string =>
  typeof message.data === "string" ? message.data : Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength).toString("base64");

export function messageView(url: string, message: WsMessage, waitStartedAt: number): ResponseView {
  const binary = typeof message.data !== "string";
  return {
    status: 101,
    headers: {},
    body: textOf(message),
    timings: timings(Math.max(0, message.at - waitStartedAt)),
    url,
    attributes: { type: binary ? "binary" : "text", bytes: binary ? (message.data as Uint8Array).length : Buffer.byteLength(message.data as string) },
  };
}

/** No message: the wait failed (its checks fail, its extractions unset their variables). */
export function failedView(url: string, error: WsError, status: number): ResponseView {
  return { status, headers: {}, body: "", timings: timings(0), url, error };
}

interface SessionOutcome {
  readonly status: number;
  readonly connectMs: number;
  readonly durationMs: number;
  readonly last: WsMessage | undefined;
  readonly error: WsError | undefined;
}

export function sessionView(url: string, outcome: SessionOutcome): ResponseView {
  return {
    status: outcome.status,
    headers: {},
    body: outcome.last ? textOf(outcome.last) : "",
    timings: timings(outcome.durationMs, outcome.connectMs),
    url,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}
