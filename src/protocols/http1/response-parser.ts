// Incremental HTTP/1.1 response parser. One instance per connection, reset per exchange.
// Called synchronously from the socket's `data` callback with each chunk; never throws — a
// protocol violation moves it to the `failed` state with a reason. Not thread-safe (one VU).
//
// Framing, in RFC 9112 order: no body for HEAD requests and 1xx/204/304 responses;
// `Transfer-Encoding: chunked`; `Content-Length`; otherwise the body runs until the peer closes.
//
// A chunk fed to the parser must not change afterwards: the head and the first body bytes of a
// response are kept as ranges of the chunk they arrived in, not copied (hot path: no allocation
// per response for them). Bun hands each socket `data` callback a fresh buffer of its own and
// never reuses it (checked by test/contract/http1-socket-chunks.test.ts).

import type { RequestTimings } from "../types.ts";
import {
  CHUNKED,
  chunkSizeOf,
  concatBytes,
  CLOSE,
  COLON,
  CONNECTION,
  CONTENT_LENGTH,
  KEEP_ALIVE,
  SET_COOKIE,
  TRANSFER_ENCODING,
  decimalValue,
  headerValue,
  lineEndOf,
  nameIs,
  statusCodeOf,
  valueContains,
  valueEndsWith,
} from "./response-head.ts";
import { Http1Response } from "./response-view.ts";

/** Upper bound of a response head (status line + headers). Larger is `malformed`. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** Body bytes kept for `ResponseView.body`; the rest are counted and dropped. */
export const MAX_RETAINED_BODY_BYTES = 10 * 1024 * 1024;
/** Upper bound of a chunk-size line (hex size + extensions). */
const MAX_CHUNK_LINE_BYTES = 4096;

const enum State {
  Head,
  Length,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  UntilClose,
  Done,
  Failed,
}

const CR = 13;
const LF = 10;
const latin1 = new TextDecoder("latin1");
const EMPTY = new Uint8Array(0);
/** The body parts of a response without body bytes (shared; replaced on the first kept byte). */
const NO_PARTS: Uint8Array[] = Object.freeze([]) as unknown as Uint8Array[];
/** Timings of the views `headers` and `body()` build (they carry none). */
const NO_TIMINGS: RequestTimings = Object.freeze({ blocked: 0, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 });
/** `parseHead`: the buffer ends before the head's blank line. */
const INCOMPLETE = -1;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: (.*))?$/;

export class ResponseParser {
  status = 0;
  /** HTTP/1.0 response, or `Connection: close`: the connection cannot be reused. */
  closeAfter = false;
  /** `Set-Cookie` values of the final response, or undefined when it set none. */
  setCookies: string[] | undefined;
  /** Every byte received for this exchange (head, framing, body). */
  bytesReceived = 0;
  /** Why parsing failed, when `failed`. */
  failure = "";

  private state = State.Head;
  private noBody = false;
  private head: Uint8Array = EMPTY;
  /** The final response's status line and headers (without the blank line): headBuf[headFrom, headTo). */
  private headBuf: Uint8Array = EMPTY;
  private headFrom = 0;
  private headTo = 0;
  private remaining = 0;
  /** The first kept body bytes, bodyBuf[bodyFrom, bodyTo) (no copy); `parts` are copies of the rest. */
  private bodyBuf: Uint8Array = EMPTY;
  private bodyFrom = 0;
  private bodyTo = 0;
  private parts: Uint8Array[] = NO_PARTS;
  private retained = 0;
  private line: Uint8Array = EMPTY;

  /** Prepares for the next response; `headRequest` means the response carries no body. */
  reset(headRequest: boolean): void {
    this.status = 0;
    this.closeAfter = false;
    this.setCookies = undefined;
    this.headBuf = EMPTY;
    this.headFrom = this.headTo = 0;
    this.bodyBuf = EMPTY;
    this.bodyFrom = this.bodyTo = 0;
    this.bytesReceived = 0;
    this.failure = "";
    this.state = State.Head;
    this.noBody = headRequest;
    this.head = EMPTY;
    this.remaining = 0;
    this.parts = NO_PARTS;
    this.retained = 0;
    this.line = EMPTY;
  }

  /** Headers of the final response (parsed on each call: prefer `response(...).headers`, decoded once). */
  get headers(): Record<string, string[]> {
    return this.response("", NO_TIMINGS).headers;
  }

  /** The reason phrase of the final response ("OK"). */
  get statusText(): string {
    const line = latin1.decode(this.headBuf.subarray(this.headFrom, lineEndOf(this.headBuf, this.headFrom, this.headTo)));
    return STATUS_LINE.exec(line)?.[3] ?? "";
  }

  /** The finished response, detached from this parser (which may be reset right after). */
  response(url: string, timings: RequestTimings): Http1Response {
    const response = new Http1Response(this.status, this.setCookies, timings, url);
    response.setHead(this.headBuf, this.headFrom, this.headTo);
    if (this.retained > 0) response.setBody(this.bodyBuf, this.bodyFrom, this.bodyTo, this.parts, this.retained);
    return response;
  }

  get done(): boolean {
    return this.state === State.Done;
  }
  get failed(): boolean {
    return this.state === State.Failed;
  }
  /** True once any byte of this response arrived. */
  get started(): boolean {
    return this.bytesReceived > 0;
  }
  /** The body is delimited by the connection closing (no length, not chunked). */
  get untilClose(): boolean {
    return this.state === State.UntilClose;
  }

  /**
   * Feeds one chunk. Returns true when the response is complete (`done`) or broken (`failed`).
   * Bytes after the end of the response are an error for a client that does not pipeline:
   * they make the connection unusable (`closeAfter`).
   */
  feed(chunk: Uint8Array): boolean {
    this.bytesReceived += chunk.length;
    let pos = 0;
    const len = chunk.length;
    // Bounded: every iteration consumes bytes or changes state towards Done/Failed.
    while (pos < len || this.state === State.Done || this.state === State.Failed) {
      switch (this.state) {
        case State.Head:
          pos = this.feedHead(chunk, pos);
          break;
        case State.Length: {
          const take = Math.min(this.remaining, len - pos);
          this.keep(chunk, pos, pos + take);
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.Done;
          break;
        }
        case State.ChunkSize:
        case State.Trailers:
        case State.ChunkDataEnd:
          pos = this.feedLine(chunk, pos);
          break;
        case State.ChunkData: {
          const take = Math.min(this.remaining, len - pos);
          this.keep(chunk, pos, pos + take);
          pos += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.ChunkDataEnd;
          break;
        }
        case State.UntilClose:
          this.keep(chunk, pos, len);
          pos = len;
          break;
        case State.Done:
          if (pos < len) this.closeAfter = true;
          return true;
        case State.Failed:
          return true;
      }
    }
    return false;
  }

  /** The peer closed the connection: completes a close-delimited body. Returns `done`. */
  finishOnClose(): boolean {
    if (this.state === State.UntilClose) this.state = State.Done;
    return this.state === State.Done;
  }

  /** The body decoded as UTF-8 (up to MAX_RETAINED_BODY_BYTES; decoded on each call, as `headers`). */
  body(): string {
    return this.response("", NO_TIMINGS).body;
  }

  private fail(reason: string): number {
    this.state = State.Failed;
    this.failure = reason;
    this.closeAfter = true;
    return Number.MAX_SAFE_INTEGER;
  }

  private keep(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    const room = MAX_RETAINED_BODY_BYTES - this.retained;
    if (room <= 0) return;
    const end = Math.min(to, from + room);
    if (this.retained === 0) {
      // The first kept bytes: a range of the chunk, no copy (see the file header).
      this.bodyBuf = chunk;
      this.bodyFrom = from;
      this.bodyTo = end;
    } else {
      // Later chunks are copied, so a body in many chunks is held as its own bytes only.
      if (this.parts === NO_PARTS) this.parts = [];
      this.parts.push(chunk.slice(from, end));
    }
    this.retained += end - from;
  }

  /** Accumulates the head until its blank line, then reads it. Returns the new position in `chunk`. */
  private feedHead(chunk: Uint8Array, pos: number): number {
    const prevLen = this.head.length;
    if (prevLen === 0) {
      // The common case, the whole head in this chunk: one pass finds its end and reads it.
      const next = this.parseHead(chunk, pos);
      if (next !== INCOMPLETE) return next;
      if (chunk.length - pos > MAX_HEAD_BYTES) return this.fail("the response head is larger than 64 KiB");
      this.head = chunk.slice(pos);
      return chunk.length;
    }
    const buf = new Uint8Array(prevLen + chunk.length - pos);
    buf.set(this.head, 0);
    buf.set(chunk.subarray(pos), prevLen);
    // Only the new bytes can end the head: look for CRLFCRLF there (from just before them, so a
    // terminator split across chunks is found) before reading the head, so a head arriving in many
    // small chunks is read once, not once per chunk.
    let complete = false;
    for (let i = Math.max(0, prevLen - 3); i + 3 < buf.length; i++) {
      if (buf[i] === CR && buf[i + 1] === LF && buf[i + 2] === CR && buf[i + 3] === LF) {
        complete = true;
        break;
      }
    }
    if (!complete) {
      if (buf.length > MAX_HEAD_BYTES) return this.fail("the response head is larger than 64 KiB");
      this.head = buf;
      return chunk.length;
    }
    this.head = EMPTY;
    const next = this.parseHead(buf, 0);
    // Position in `chunk` just after the head's blank line.
    return next === Number.MAX_SAFE_INTEGER ? next : pos + (next - prevLen);
  }

  /**
   * Reads a head starting at `start` in one pass: line ends, the status line, and the headers that
   * decide framing and connection reuse, straight from the bytes (hot path: no strings for other
   * headers); then picks the body framing and keeps a copy of the head for `headers`. Returns the
   * position just after the head's blank line, INCOMPLETE when `buf` ends before it, or (after
   * `fail`) MAX_SAFE_INTEGER. A problem is reported only once the head is complete, and it is the
   * first one: the status line, then each header line in order.
   */
  private parseHead(buf: Uint8Array, start: number): number {
    const limit = buf.length;
    const statusEnd = lineEndOf(buf, start, limit);
    if (statusEnd === limit) return INCOMPLETE;
    const code = statusCodeOf(buf, start, statusEnd);
    let problem: string | undefined;
    if (code < 0) {
      problem = `the status line ${JSON.stringify(latin1.decode(buf.subarray(start, Math.min(statusEnd, start + 80))))} is not HTTP/1.x`;
    }
    const http10 = buf[start + 7] === 48; // "HTTP/1.0"
    let contentLength = -1;
    let chunked = false;
    let connectionClose = false;
    let connectionKeepAlive = false;
    let setCookies: string[] | undefined;
    let ls = statusEnd + 2;
    // Bounded: every line moves `ls` forward; the scan ends at the blank line or the buffer's end.
    for (;;) {
      // One pass over the line: its first colon, then where it ends (the LF of a CR LF). Past the
      // colon a byte costs one test: value bytes are most of a head.
      let colon = -1;
      let lf = ls;
      for (; lf < limit; lf++) {
        const c = buf[lf]!;
        if (c === LF) {
          if (lf > ls && buf[lf - 1] === CR) break;
        } else if (c === COLON) {
          colon = lf;
          break;
        }
      }
      if (colon >= 0) for (lf = colon + 1; lf < limit; lf++) if (buf[lf] === LF && buf[lf - 1] === CR) break;
      if (lf >= limit) return INCOMPLETE;
      const le = lf - 1;
      if (le === ls) break; // the blank line
      if (problem === undefined) {
        const nameLength = colon - ls;
        if (colon < 0 || nameLength === 0) {
          problem = `the header line ${JSON.stringify(latin1.decode(buf.subarray(ls, Math.min(le, ls + 80))))} has no name`;
        } else if (nameLength === 14 && nameIs(buf, ls, CONTENT_LENGTH)) {
          const n = decimalValue(buf, colon + 1, le);
          if (n < 0 || (contentLength >= 0 && contentLength !== n)) {
            problem = `the Content-Length ${JSON.stringify(headerValue(buf, colon + 1, le))} is invalid`;
          }
          contentLength = n;
        } else if (nameLength === 17 && nameIs(buf, ls, TRANSFER_ENCODING)) {
          chunked = valueEndsWith(buf, colon + 1, le, CHUNKED);
        } else if (nameLength === 10 && nameIs(buf, ls, CONNECTION)) {
          connectionClose = valueContains(buf, colon + 1, le, CLOSE);
          connectionKeepAlive = valueContains(buf, colon + 1, le, KEEP_ALIVE);
        } else if (nameLength === 10 && nameIs(buf, ls, SET_COOKIE)) {
          (setCookies ??= []).push(headerValue(buf, colon + 1, le));
        }
      }
      ls = le + 2;
    }
    if (problem !== undefined) return this.fail(problem);
    const headEnd = ls - 2;
    const next = ls + 2;
    // 1xx informational responses (100 Continue, 103 Early Hints) precede the real one.
    if (code < 200 && code !== 101) {
      this.state = State.Head;
      return next;
    }
    this.status = code;
    this.headBuf = buf;
    this.headFrom = start;
    this.headTo = headEnd;
    this.setCookies = setCookies;
    this.closeAfter = connectionClose || (http10 && !connectionKeepAlive);
    if (this.noBody || code === 204 || code === 304 || code === 101) {
      this.state = State.Done;
    } else if (chunked) {
      this.state = State.ChunkSize;
    } else if (contentLength >= 0) {
      this.remaining = contentLength;
      this.state = contentLength === 0 ? State.Done : State.Length;
    } else {
      this.closeAfter = true;
      this.state = State.UntilClose;
    }
    return next;
  }

  /** Collects a CRLF-terminated line for the chunk-size, chunk-end and trailer states. */
  private feedLine(chunk: Uint8Array, pos: number): number {
    let i = pos;
    const len = chunk.length;
    while (i < len && chunk[i] !== LF) i++;
    if (i === len) {
      this.line = concatBytes(this.line, chunk.subarray(pos));
      if (this.line.length > MAX_CHUNK_LINE_BYTES) return this.fail("a chunk-size line is too long");
      return len;
    }
    let line = this.line.length === 0 ? chunk.subarray(pos, i) : concatBytes(this.line, chunk.subarray(pos, i));
    this.line = EMPTY;
    if (line.length > 0 && line[line.length - 1] === CR) line = line.subarray(0, line.length - 1);
    const next = i + 1;
    switch (this.state) {
      case State.ChunkDataEnd:
        if (line.length !== 0) return this.fail("a chunk is not followed by CRLF");
        this.state = State.ChunkSize;
        return next;
      case State.Trailers:
        if (line.length === 0) this.state = State.Done;
        return next;
      default: {
        const size = chunkSizeOf(line);
        if (typeof size === "string") return this.fail(size);
        if (size === 0) this.state = State.Trailers;
        else {
          this.remaining = size;
          this.state = State.ChunkData;
        }
        return next;
      }
    }
  }
}
