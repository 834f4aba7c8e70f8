// The bytes of a response head and body, read without building strings until someone asks:
// the status line and the framing headers' values straight from bytes (hot path), every header and
// the body decoded on first read. Pure functions; used by response-parser.ts and response-view.ts.

const CR = 13;
const LF = 10;
const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8");

export const COLON = 58;
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
export const CONTENT_LENGTH = ascii("content-length");
export const TRANSFER_ENCODING = ascii("transfer-encoding");
export const CONNECTION = ascii("connection");
export const SET_COOKIE = ascii("set-cookie");
export const CHUNKED = ascii("chunked");
export const CLOSE = ascii("close");
export const KEEP_ALIVE = ascii("keep-alive");

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

/**
 * Whitespace that String.prototype.trim removes from a latin1-decoded value: TAB, LF, VT, FF, CR,
 * SP and NBSP (0xA0). The byte readers below trim exactly what `headerValue` trims.
 */
function isTrimmed(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0;
}

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * The value of a Content-Length field (`from`..`to`, surrounding whitespace ignored) when it is
 * 1 to 15 decimal digits, else -1. No string is built.
 */
export function decimalValue(buf: Uint8Array, from: number, to: number): number {
  while (from < to && isTrimmed(buf[from]!)) from++;
  while (to > from && isTrimmed(buf[to - 1]!)) to--;
  const length = to - from;
  if (length < 1 || length > 15) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Whether the field value contains `lower` (lower-case ASCII), ignoring ASCII case. */
export function valueContains(buf: Uint8Array, from: number, to: number, lower: Uint8Array): boolean {
  const last = to - lower.length;
  outer: for (let i = from; i <= last; i++) {
    for (let k = 0; k < lower.length; k++) if (lowerAscii(buf[i + k]!) !== lower[k]) continue outer;
    return true;
  }
  return false;
}

/** Whether the field value, trailing whitespace ignored, ends with `lower`, ignoring ASCII case. */
export function valueEndsWith(buf: Uint8Array, from: number, to: number, lower: Uint8Array): boolean {
  while (to > from && isTrimmed(buf[to - 1]!)) to--;
  const at = to - lower.length;
  if (at < from) return false;
  for (let k = 0; k < lower.length; k++) if (lowerAscii(buf[at + k]!) !== lower[k]) return false;
  return true;
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

/**
 * The size of a chunk-size line (hex digits, then optionally whitespace or a ";ext" extension,
 * CRLF already removed), or why it is not one.
 */
export function chunkSizeOf(line: Uint8Array): number | string {
  let size = 0;
  let digits = 0;
  for (let k = 0; k < line.length; k++) {
    const c = line[k]!;
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (v < 0) {
      if (c === 59 || c === 32 || c === 9) break; // ';' extension, or whitespace before it
      return "a chunk size is not hexadecimal";
    }
    if (++digits > 12) return "a chunk size is too large";
    size = size * 16 + v;
  }
  return digits === 0 ? "a chunk size is missing" : size;
}

/** a followed by b, in a new array. */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
