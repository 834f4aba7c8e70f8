// Error codes of the HTTP/1.1 handler and the sentences users read. A failed request never
// throws: it becomes a `ResponseView` with status 0 (or the last status, for redirects) and
// `error: {code, message}`, and its metrics carry the tag `error=<code>`.

export const ERR_REFUSED = "ECONNREFUSED";
export const ERR_RESET = "reset";
export const ERR_MALFORMED = "malformed";
export const ERR_DNS = "dns";
export const ERR_TLS = "tls";
export const ERR_TIMEOUT = "timeout";
export const ERR_ABORTED = "aborted";
export const ERR_TOO_MANY_REDIRECTS = "too_many_redirects";
export const ERR_INVALID_REQUEST = "invalid_request";
export const ERR_CONNECT = "connect";

export interface RequestError {
  code: string;
  message: string;
}

export function requestError(code: string, message: string): RequestError {
  return { code, message };
}

/** Maps a `connectError` from Bun.connect to one of our codes with a readable sentence. */
export function connectFailure(hostPort: string, error: Error | undefined): RequestError {
  const sysCode = (error as { code?: string } | undefined)?.code ?? "";
  if (sysCode === "ECONNREFUSED") {
    return requestError(ERR_REFUSED, `connection to ${hostPort} was refused (nothing is listening there)`);
  }
  if (sysCode === "ECONNRESET") {
    return requestError(ERR_RESET, `connection to ${hostPort} was reset while connecting`);
  }
  if (sysCode === "ETIMEDOUT") {
    return requestError(ERR_TIMEOUT, `connecting to ${hostPort} timed out`);
  }
  const detail = error?.message ? `: ${error.message}${sysCode ? ` (${sysCode})` : ""}` : "";
  return requestError(ERR_CONNECT, `could not connect to ${hostPort}${detail}`);
}
