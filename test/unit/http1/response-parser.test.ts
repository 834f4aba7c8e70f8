import { describe, expect, test } from "bun:test";
import { MAX_RETAINED_BODY_BYTES, ResponseParser } from "../../../src/protocols/http1/response-parser.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds `raw` in pieces of `step` bytes; returns the parser and whether it finished. */
function parse(raw: string | Uint8Array, step = Infinity, head = false) {
  const parser = new ResponseParser();
  parser.reset(head);
  const data = typeof raw === "string" ? bytes(raw) : raw;
  let finished = false;
  for (let i = 0; i < data.length && !finished; i += step === Infinity ? data.length : step) {
    finished = parser.feed(data.subarray(i, step === Infinity ? data.length : i + step));
  }
  return { parser, finished };
}

describe("ResponseParser", () => {
  const fixed = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nX-A: 1\r\nx-a: 2\r\n\r\nhello world";

  test("Content-Length body in one chunk and byte by byte", () => {
    for (const step of [Infinity, 1, 3, 7]) {
      const { parser, finished } = parse(fixed, step);
      expect(finished).toBe(true);
      expect(parser.done).toBe(true);
      expect(parser.status).toBe(200);
      expect(parser.statusText).toBe("OK");
      expect(parser.headers["content-type"]).toEqual(["text/plain"]);
      expect(parser.headers["x-a"]).toEqual(["1", "2"]);
      expect(parser.body()).toBe("hello world");
      expect(parser.bytesReceived).toBe(bytes(fixed).length);
      expect(parser.closeAfter).toBe(false);
    }
  });

  test("chunked body with extensions and trailers, split anywhere", () => {
    const raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=v\r\nhello\r\n1\r\n \r\nc\r\nworld, héé\r\n0\r\nTrailer: x\r\n\r\n";
    for (const step of [Infinity, 1, 2, 5]) {
      const { parser, finished } = parse(raw, step);
      expect(finished).toBe(true);
      expect(parser.failed).toBe(false);
      expect(parser.body()).toBe("hello world, héé");
    }
  });

  test("no body for HEAD, 204 and 304 whatever the headers say", () => {
    expect(parse("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", Infinity, true).parser.done).toBe(true);
    expect(parse("HTTP/1.1 204 No Content\r\nContent-Length: 50\r\n\r\n").parser.done).toBe(true);
    expect(parse("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n").parser.done).toBe(true);
  });

  test("close-delimited body completes on close", () => {
    const { parser, finished } = parse("HTTP/1.1 200 OK\r\n\r\nsome data");
    expect(finished).toBe(false);
    expect(parser.untilClose).toBe(true);
    expect(parser.finishOnClose()).toBe(true);
    expect(parser.body()).toBe("some data");
    expect(parser.closeAfter).toBe(true);
  });

  test("a truncated Content-Length body does not complete on close", () => {
    const { parser } = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    expect(parser.finishOnClose()).toBe(false);
  });

  test("skips 1xx informational responses", () => {
    const { parser } = parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok");
    expect(parser.status).toBe(201);
    expect(parser.body()).toBe("ok");
    expect(parser.headers.link).toBeUndefined();
  });

  test("HTTP/1.0 and Connection: close make the connection single-use", () => {
    expect(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").parser.closeAfter).toBe(true);
    expect(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").parser.closeAfter).toBe(false);
    expect(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").parser.closeAfter).toBe(true);
  });

  test("bytes after the response mark the connection unusable", () => {
    const { parser } = parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naEXTRA");
    expect(parser.done).toBe(true);
    expect(parser.closeAfter).toBe(true);
  });

  test("malformed responses fail with a reason", () => {
    for (const raw of [
      "HTPP/1.1 200 OK\r\n\r\n",
      "HTTP/1.1 2000 OK\r\n\r\n",
      "HTTP/2 200\r\n\r\n",
      "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n",
    ]) {
      const { parser, finished } = parse(raw);
      expect(finished).toBe(true);
      expect(parser.failed).toBe(true);
      expect(parser.failure.length).toBeGreaterThan(5);
    }
  });

  test("framing headers are read from bytes with the same trimming and case rules as strings", () => {
    // Tabs, spaces and NBSP (0xA0) around the value are ignored, as String.prototype.trim does.
    const lengthWithSpace = new Uint8Array([...bytes("HTTP/1.1 200 OK\r\nContent-Length:\t 2"), 0xa0, ...bytes(" \r\n\r\nok")]);
    expect(parse(lengthWithSpace).parser.body()).toBe("ok");
    expect(parse("HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 000000000000002\r\n\r\nok").parser.body()).toBe("ok");
    const chunked = parse("HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, CHUNKED \t\r\n\r\n2\r\nok\r\n0\r\n\r\n").parser;
    expect(chunked.done).toBe(true);
    expect(chunked.body()).toBe("ok");
    // Not "ending with chunked": the length applies.
    expect(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 2\r\n\r\nok").parser.body()).toBe("ok");
    expect(parse("HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n").parser.closeAfter).toBe(true);
    expect(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n").parser.closeAfter).toBe(false);
    expect(parse("HTTP/1.0 200 OK\r\nConnection: keep\ralive\r\nContent-Length: 0\r\n\r\n").parser.closeAfter).toBe(true);
  });

  test("a header line ends only at CR LF: a bare LF or CR is part of the line, before or after its colon", () => {
    for (const step of [Infinity, 1, 5]) {
      const ok = parse("HTTP/1.1 200 OK\r\nX-A: a\nb\rc\r\nX\nB: 1\r\nContent-Length: 2\r\n\r\nok", step).parser;
      expect(ok.done).toBe(true);
      expect(ok.body()).toBe("ok");
      expect(ok.headers["x-a"]).toEqual(["a\nb\rc"]);
      // A "Content-Length" after a bare LF is part of the value before it, not a header.
      expect(parse("HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 5\r\nContent-Length: 2\r\n\r\nok", step).parser.body()).toBe("ok");
      for (const raw of ["HTTP/1.1 200 OK\r\nno colon\nhere\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\n\r\n\r\nok"]) {
        const broken = parse(raw, step).parser;
        expect(broken.failed).toBe(true);
        expect(broken.failure).toContain("has no name");
      }
    }
  });

  test("an invalid Content-Length fails naming the value as sent", () => {
    for (const value of ["+2", "2 3", "", "0x2", "1234567890123456", "２"]) {
      const { parser } = parse(`HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\nok`);
      expect(parser.failed).toBe(true);
      expect(parser.failure).toBe(`the Content-Length ${JSON.stringify(new TextDecoder("latin1").decode(bytes(value)).trim())} is invalid`);
    }
  });

  test("a head without end larger than 64 KiB fails", () => {
    const { parser } = parse(`HTTP/1.1 200 OK\r\nX: ${"a".repeat(70 * 1024)}`, 4096);
    expect(parser.failed).toBe(true);
  });

  test("retains at most the cap of body bytes but counts all", () => {
    const size = MAX_RETAINED_BODY_BYTES + 1000;
    const head = bytes(`HTTP/1.1 200 OK\r\nContent-Length: ${size}\r\n\r\n`);
    const parser = new ResponseParser();
    parser.reset(false);
    parser.feed(head);
    const block = new Uint8Array(1024 * 1024).fill(97);
    let left = size;
    while (left > 0) {
      const n = Math.min(left, block.length);
      parser.feed(block.subarray(0, n));
      left -= n;
    }
    expect(parser.done).toBe(true);
    expect(parser.body().length).toBe(MAX_RETAINED_BODY_BYTES);
    expect(parser.bytesReceived).toBe(head.length + size);
  });

  test("reset makes the parser reusable", () => {
    const parser = new ResponseParser();
    parser.reset(false);
    parser.feed(bytes("HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nx"));
    parser.reset(false);
    parser.feed(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    expect(parser.status).toBe(200);
    expect(parser.body()).toBe("ok");
  });
});
