// Serializes one HTTP/1.1 request into the bytes (or one string) written to the socket.
// Pure and synchronous. Header names arrive lower-case (ResolvedRequest contract) and are sent
// as-is; the handler owns framing, so a caller's content-length / transfer-encoding is replaced.

import { ERR_INVALID_REQUEST, requestError, type RequestError } from "./errors.ts";
import type { Target } from "./target.ts";

export const USER_AGENT = "loadr/0.1";

export interface SerializedRequest {
  /** Head and body in one piece: a string when the body is a string (or absent). */
  data: string | Uint8Array;
  /** Byte length of `data`. */
  size: number;
}

const encoder = new TextEncoder();
/** Methods whose empty body still gets `Content-Length: 0` (servers may demand a length). */
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

function hasLineBreak(text: string): boolean {
  return text.indexOf("\n") !== -1 || text.indexOf("\r") !== -1;
}

/**
 * Builds the request. `cookie` is the jar's Cookie value for this URL ("" when none); it is
 * joined with a caller-given `cookie` header. Returns an error for header injection attempts.
 */
export function serializeRequest(
  method: string,
  target: Target,
  headers: ReadonlyArray<readonly [string, string]>,
  body: string | Uint8Array | undefined,
  cookie: string,
): SerializedRequest | RequestError {
  if (hasLineBreak(method) || method.indexOf(" ") !== -1 || method === "") {
    return requestError(ERR_INVALID_REQUEST, `the method ${JSON.stringify(method)} is not a valid HTTP method`);
  }
  let head = `${method} ${target.path} HTTP/1.1\r\n`;
  let hasHost = false;
  let hasAgent = false;
  let hasConnection = false;
  let userCookie = "";
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!;
    const name = header[0];
    const value = header[1];
    if (hasLineBreak(name) || hasLineBreak(value) || name === "" || name.indexOf(":") !== -1) {
      return requestError(ERR_INVALID_REQUEST, `the header ${JSON.stringify(name)} contains a line break or colon`);
    }
    switch (name) {
      case "content-length":
      case "transfer-encoding":
        continue;
      case "cookie":
        userCookie = userCookie === "" ? value : `${userCookie}; ${value}`;
        continue;
      case "host":
        hasHost = true;
        break;
      case "user-agent":
        hasAgent = true;
        break;
      case "connection":
        hasConnection = true;
        break;
    }
    head += `${name}: ${value}\r\n`;
  }
  if (!hasHost) head += `host: ${target.hostHeader}\r\n`;
  if (!hasAgent) head += `user-agent: ${USER_AGENT}\r\n`;
  if (!hasConnection) head += "connection: keep-alive\r\n";
  if (userCookie !== "" || cookie !== "") {
    head += `cookie: ${userCookie === "" ? cookie : cookie === "" ? userCookie : `${userCookie}; ${cookie}`}\r\n`;
  }
  if (body === undefined || (typeof body === "string" && body === "") || (typeof body !== "string" && body.length === 0)) {
    if (body !== undefined || BODY_METHODS.has(method)) head += "content-length: 0\r\n";
    head += "\r\n";
    return { data: head, size: Buffer.byteLength(head) };
  }
  if (typeof body === "string") {
    const bodySize = Buffer.byteLength(body);
    head += `content-length: ${bodySize}\r\n\r\n`;
    const data = head + body;
    return { data, size: Buffer.byteLength(head) + bodySize };
  }
  head += `content-length: ${body.length}\r\n\r\n`;
  const headBytes = encoder.encode(head);
  const data = new Uint8Array(headBytes.length + body.length);
  data.set(headBytes, 0);
  data.set(body, headBytes.length);
  return { data, size: data.length };
}

/** The bytes of `data` from `offset` on (to resend what a short write left over). */
export function remainderOf(data: string | Uint8Array, offset: number): Uint8Array {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  return bytes.subarray(offset);
}
