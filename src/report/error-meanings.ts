// What a request's `error` tag means, in words, for the report's error table. The codes are the
// protocol handlers' (src/protocols/http1/errors.ts and the other protocols' error modules); a
// code not listed here is shown without a meaning.
const MEANINGS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused: nothing was listening on the target's port",
  reset: "the connection was reset by the other side",
  malformed: "the response could not be parsed (not valid HTTP)",
  dns: "the host name could not be resolved",
  tls: "the TLS handshake failed (certificate, protocol or cipher)",
  timeout: "no (complete) response arrived within the request's timeout",
  aborted: "the request was cut off when the run stopped",
  too_many_redirects: "the redirect limit was reached",
  invalid_request: "the request could not be built (bad URL, header or body)",
  connect: "the connection could not be opened",
  goaway: "the HTTP/2 server closed the connection (GOAWAY)",
  rst_stream: "the HTTP/2 server reset the stream (RST_STREAM)",
  graphql: "the GraphQL response carried errors",
};

export function errorMeaning(code: string): string | undefined {
  return Object.hasOwn(MEANINGS, code) ? MEANINGS[code] : undefined;
}
