// The bytes of a response head and body, read without building strings until someone asks:
// the status line and framing headers straight from bytes (hot path), every header and the body
// decoded on first read. Pure functions and one small class; used by response-parser.ts.

const CR = 13;
const LF = 10;
const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8");

/**
 * What a finished response leaves behind, independent of the parser (which the connection reuses):
 * the head and body bytes, decoded only when someone reads `headers` or `body`. Most load-test
 * requests are never checked, so the hot path never builds header objects or body strings.
 */
export class ParsedResponse {
  #headers: Record<string, string[]> | undefined;
  #body: string | undefined;

  constructor(
    readonly status: number,
    private readonly headBytes: Uint8Array,
    private readonly parts: readonly Uint8Array[],
    private readonly retained: number,
    /** `Set-Cookie` values, read eagerly (the cookie jar needs them on every response). */
    readonly setCookies: readonly string[] | undefined,
  ) {}

  get headers(): Record<string, string[]> {
    return (this.#headers ??= parseHeaderBlock(this.headBytes));
  }

  get body(): string {
    return (this.#body ??= decodeBody(this.parts, this.retained));
  }

  /** The head as received, status line first (for --http-debug; not on the hot path). */
  headText(): string {
    return latin1.decode(this.headBytes);
  }
}


export const COLON = 58;
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
export const CONTENT_LENGTH = ascii("content-length");
export const TRANSFER_ENCODING = ascii("transfer-encoding");
export const CONNECTION = ascii("connection");
export const SET_COOKIE = ascii("set-cookie");

/** Index of the CRLF that ends the line starting at `from`, or `end` when none. */
export function lineEndOf(buf: Uint8Array, from: number, end: number): number {
  for (let i = from; i + 1 < end; i++) if (buf[i] === CR && buf[i + 1] === LF) return i;
  return end;
}

/** Case-insensitive match of a lower-case header name (letters and '-') at `at`. */
export function nameIs(buf: Uint8Array, at: number, lower: Uint8Array): boolean {
  for (let k = 0; k < lower.length; k++) if ((buf[at + k]! | 0x20) !== lower[k]) return false;
  return true;
}

/** A header value without surrounding whitespace. */
export function headerValue(buf: Uint8Array, from: number, to: number): string {
  return latin1.decode(buf.subarray(from, to)).trim();
}

/** The status code of `HTTP/1.x NNN[ reason]`, or -1 when the line is not that. */
export function statusCodeOf(buf: Uint8Array, from: number, to: number): number {
  const length = to - from;
  if (length < 12) return -1;
  // "HTTP/1."
  if (buf[from] !== 72 || buf[from + 1] !== 84 || buf[from + 2] !== 84 || buf[from + 3] !== 80) return -1;
  if (buf[from + 4] !== 47 || buf[from + 5] !== 49 || buf[from + 6] !== 46) return -1;
  const minor = buf[from + 7]!;
  if ((minor !== 48 && minor !== 49) || buf[from + 8] !== 32) return -1;
  const a = buf[from + 9]! - 48;
  const b = buf[from + 10]! - 48;
  const c = buf[from + 11]! - 48;
  if (a < 1 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return -1;
  if (length > 12 && buf[from + 12] !== 32) return -1;
  for (let i = from + 13; i < to; i++) if (buf[i] === LF || buf[i] === CR) return -1;
  return a * 100 + b * 10 + c;
}

/** Every header of a head block (status line first), lower-case names, values in order. */
export function parseHeaderBlock(head: Uint8Array): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  if (head.length === 0) return headers;
  const lines = latin1.decode(head).split("\r\n");
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).toLowerCase();
    if (name === "__proto__") continue;
    const value = line.slice(colon + 1).trim();
    const list = headers[name];
    if (list === undefined) headers[name] = [value];
    else list.push(value);
  }
  return headers;
}

export function decodeBody(parts: readonly Uint8Array[], retained: number): string {
  if (parts.length === 0) return "";
  if (parts.length === 1) return utf8.decode(parts[0]);
  const all = new Uint8Array(retained);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return utf8.decode(all);
}
