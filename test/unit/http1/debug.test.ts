// --http-debug's text of one exchange: the request as written and the response head, bodies
// with `full`, credentials [redacted] unless `unsafe`.
import { expect, test } from "bun:test";
import { formatExchange } from "../../../src/protocols/http1/debug.ts";
import { Http1Response } from "../../../src/protocols/http1/response-view.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const head = "HTTP/1.1 200 OK\r\nSet-Cookie: session=s3cr3t; Path=/\r\nContent-Type: application/json\r\n\r\n";
const body = '{"token":"t0k"}';
const timings = { blocked: 0, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: 1, receiving: 0, duration: 1 };
const hop = new Http1Response(200, ["session=s3cr3t; Path=/"], timings, "http://127.0.0.1:9/login");
hop.setHead(bytes(head), 0, head.length);
hop.setBody(bytes(body), 0, body.length, [], body.length);
hop.wrote = true;
const request = "POST /login HTTP/1.1\r\nhost: 127.0.0.1:9\r\nAuthorization: Bearer abc\r\ncookie: session=s3cr3t\r\ncontent-length: 12\r\n\r\n{\"user\":\"é\"}";
const label = { vu: 3, name: "login", scenario: "browse", group: "" };

test("heads only, credentials redacted", () => {
  const text = formatExchange(label, { data: request, size: request.length }, hop, { bodies: false, unsafe: false });
  expect(text).toBe(
    [
      "http-debug vu=3 scenario=browse name=login",
      "Request:",
      "POST /login HTTP/1.1",
      "host: 127.0.0.1:9",
      "Authorization: [redacted]",
      "cookie: [redacted]",
      "content-length: 12",
      "",
      "Response:",
      "HTTP/1.1 200 OK",
      "Set-Cookie: [redacted]",
      "Content-Type: application/json",
      "",
      "",
    ].join("\n"),
  );
});

test("full adds both bodies (bytes decoded as UTF-8); unsafe shows credentials too", () => {
  const full = formatExchange(label, { data: Buffer.from(request, "utf8"), size: 0 }, hop, { bodies: true, unsafe: false });
  expect(full).toContain('content-length: 12\n\n{"user":"é"}\n\nResponse:');
  expect(full).toContain(`Content-Type: application/json\n\n${body}\n\n`);
  expect(full).not.toContain("s3cr3t");
  const unsafe = formatExchange(label, { data: request, size: 0 }, hop, { bodies: true, unsafe: true });
  expect(unsafe).toContain("Authorization: Bearer abc");
  expect(unsafe).toContain("Set-Cookie: session=s3cr3t; Path=/");
});

test("a request that got no response says why", () => {
  const failed = Http1Response.failed("http://127.0.0.1:9/login", timings, { code: "ECONNREFUSED", message: "connection refused" });
  expect(formatExchange(label, { data: request, size: 0 }, failed, { bodies: false, unsafe: false })).toContain("Response:\n(no response: ECONNREFUSED: connection refused)\n");
});
