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

  constructor(
    readonly status: number,
    /** The status line and headers, without the blank line (EMPTY when no response arrived). */
    private readonly headBytes: Uint8Array,
    private readonly parts: readonly Uint8Array[],
    private readonly retained: number,
    /** `Set-Cookie` values, read eagerly (the cookie jar needs them on every response). */
    readonly setCookies: readonly string[] | undefined,
    readonly timings: RequestTimings,
    readonly url: string,
  ) {}

  /** A failed exchange: status 0, no headers, no body. */
  static failed(url: string, timings: RequestTimings, error: RequestError): Http1Response {
    const response = new Http1Response(0, EMPTY, NO_PARTS, 0, undefined, timings, url);
    response.error = error;
    return response;
  }

  get headers(): Record<string, string[]> {
    return (this.#headers ??= parseHeaderBlock(this.headBytes));
  }

  get body(): string {
    return (this.#body ??= decodeBody(this.parts, this.retained));
  }

  /** The head as received, status line first (for --http-debug; not on the hot path). */
  headText(): string {
    return LATIN1.decode(this.headBytes);
  }
}
