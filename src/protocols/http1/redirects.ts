// Redirect following (301/302/303/307/308), browser- and k6-compatible: 303 always becomes a
// GET without body, and so do 301/302 for a POST; 307/308 repeat method and body. A relative
// Location resolves against the current URL. Credentials do not cross origins.
import { ERR_INVALID_REQUEST, requestError, type RequestError } from "./errors.ts";

export interface HopRequest {
  method: string;
  url: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body?: string | Uint8Array | undefined;
}

export function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

/** Headers describing a body, dropped when a redirect turns the request into a body-less GET. */
const BODY_HEADERS = new Set(["content-type", "content-encoding", "content-language", "content-location"]);
/** Headers not sent to another origin after a redirect. */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie"]);

/**
 * The request to send after a redirect response, or an error when Location is missing or bad.
 * `current` is the URL that answered with `status`.
 */
export function followRedirect(
  previous: HopRequest,
  current: URL,
  status: number,
  location: string | undefined,
): HopRequest | RequestError {
  if (location === undefined || location === "") {
    return requestError(ERR_INVALID_REQUEST, `${current.host} answered ${status} without a Location header`);
  }
  let next: URL;
  try {
    next = new URL(location, current);
  } catch {
    return requestError(ERR_INVALID_REQUEST, `${current.host} redirected to an invalid Location ${JSON.stringify(location)}`);
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    return requestError(ERR_INVALID_REQUEST, `${current.host} redirected to unsupported scheme ${next.protocol}`);
  }
  const toGet = status === 303 ? previous.method !== "HEAD" : (status === 301 || status === 302) && previous.method === "POST";
  const crossOrigin = next.origin !== current.origin;
  let headers = previous.headers;
  if (toGet || crossOrigin) {
    headers = headers.filter(
      ([name]) => !(toGet && BODY_HEADERS.has(name)) && !(crossOrigin && CREDENTIAL_HEADERS.has(name)),
    );
  }
  next.hash = "";
  return {
    method: toGet ? "GET" : previous.method,
    url: next.href,
    headers,
    body: toGet ? undefined : previous.body,
  };
}
