// Error codes of the SSE protocol and the sentences users read. A failed stream never throws: it
// ends with `{code, message}`, its `sse_sessions`/`sse_session_failed` samples carry the tag
// `error=<code>`, and the step's checks fail (core/checks/run.ts).

const SSE_CONNECT = "connect";
export const SSE_STATUS = "status";
export const SSE_MALFORMED = "malformed";
export const SSE_CLOSED = "closed";
export const SSE_TIMEOUT = "timeout";
export const SSE_ABORTED = "aborted";

export interface SseError {
  readonly code: string;
  readonly message: string;
}

export const sseError = (code: string, message: string): SseError => ({ code, message });

/** A rejected `fetch` (nothing answered), in words. */
export function connectFailure(url: string, error: unknown): SseError {
  const code = String((error as { code?: unknown })?.code ?? "");
  const detail = (error as Error)?.message ?? String(error);
  if (/refused/i.test(code) || /refused/i.test(detail)) return sseError(SSE_CONNECT, `connection to ${url} was refused (nothing is listening there)`);
  return sseError(SSE_CONNECT, `could not connect to ${url}: ${detail}${code ? ` (${code})` : ""}`);
}
