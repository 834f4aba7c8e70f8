// Error codes the HTTP/2 session adds to HTTP/1.1's (../http1/errors.ts): a stream the server
// reset and a connection the server sent GOAWAY on before answering. Recorded as the `error` tag.
export const ERR_GOAWAY = "goaway";
export const ERR_RST_STREAM = "rst_stream";

/** The `proto` tag of HTTP/2 samples (k6's value). */
export const PROTO_H2 = "HTTP/2.0";
