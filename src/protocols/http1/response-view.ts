// What one exchange (one redirect hop) leaves behind: the ResponseView checks and extractors read,
// plus the byte counts the metrics need. Built once per exchange by the connection (connection.ts)
// from the parser's bytes; its headers and body are decoded only when someone reads them — most
// load-test requests are never checked, so the hot path builds no header object and no body string.
// The session returns the final hop's object as is (no copy).
import type { RequestTimings, ResponseView } from "../types.ts";
import type { RequestError } from "./errors.ts";
import { decodeBody, parseHeaderBlock } from "./response-head.ts";

const EMPTY = new Uint8Array(0);
const LATIN1 = new TextDecoder("latin1");
const NO_PARTS: readonly Uint8Array[] = Object.freeze([]);

export class Http1Response implements ResponseView {
  error?: RequestError;
  /** Request bytes handed to the socket. */
  bytesSent = 0;
  /** Every byte received for this exchange (head, framing, body). */
  bytesReceived = 0;
  /** True once any request byte was handed to the socket (false: the target saw nothing). */
  wrote = false;
  #headers: Record<string, string[]> | undefined;
  #body: string | undefined;
  // The status line and headers, without the blank line: headBuf[headFrom, headTo) (empty when
  // no response arrived). The body: bodyBuf[bodyFrom, bodyTo) then `moreBody`, `retained` bytes
  // in all. Ranges of the buffers the parser was fed (response-parser.ts), never changed.
  private headBuf: Uint8Array = EMPTY;
  private headFrom = 0;
  private headTo = 0;
  private bodyBuf: Uint8Array = EMPTY;
  private bodyFrom = 0;
  private bodyTo = 0;
  private moreBody: readonly Uint8Array[] = NO_PARTS;
  private retained = 0;

  constructor(
    readonly status: number,
    /** `Set-Cookie` values, read eagerly (the cookie jar needs them on every response). */
    readonly setCookies: readonly string[] | undefined,
    readonly timings: RequestTimings,
    readonly url: string,
  ) {}

  /** A failed exchange: status 0, no headers, no body. */
  static failed(url: string, timings: RequestTimings, error: RequestError): Http1Response {
    const response = new Http1Response(0, undefined, timings, url);
    response.error = error;
    return response;
  }

  /** Sets the head's bytes (by the parser, once). */
  setHead(buf: Uint8Array, from: number, to: number): void {
    this.headBuf = buf;
    this.headFrom = from;
    this.headTo = to;
  }

  /** Sets the body's bytes (by the parser, once): a first range, then whole parts. */
  setBody(buf: Uint8Array, from: number, to: number, more: readonly Uint8Array[], retained: number): void {
    this.bodyBuf = buf;
    this.bodyFrom = from;
    this.bodyTo = to;
    this.moreBody = more;
    this.retained = retained;
  }

  get headers(): Record<string, string[]> {
    return (this.#headers ??= parseHeaderBlock(this.headBuf.subarray(this.headFrom, this.headTo)));
  }

  get body(): string {
    if (this.#body === undefined) {
      const first = this.bodyBuf.subarray(this.bodyFrom, this.bodyTo);
      this.#body = this.retained === 0 ? "" : decodeBody(this.moreBody.length === 0 ? [first] : [first, ...this.moreBody], this.retained);
    }
    return this.#body;
  }

  /** The head as received, status line first (for --http-debug; not on the hot path). */
  headText(): string {
    return LATIN1.decode(this.headBuf.subarray(this.headFrom, this.headTo));
  }
}
