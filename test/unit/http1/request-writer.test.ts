import { describe, expect, test } from "bun:test";
import { remainderOf, serializeRequest, USER_AGENT } from "../../../src/protocols/http1/request-writer.ts";
import { parseTarget, type Target } from "../../../src/protocols/http1/target.ts";

const target = parseTarget("http://127.0.0.1:8080/a/b?x=1#frag") as Target;
const text = (data: string | Uint8Array) => (typeof data === "string" ? data : new TextDecoder().decode(data));

describe("serializeRequest", () => {
  test("GET with default headers", () => {
    const out = serializeRequest("GET", target, [["accept", "*/*"]], undefined, "");
    if ("code" in out) throw new Error(out.message);
    expect(out.data).toBe(
      `GET /a/b?x=1 HTTP/1.1\r\naccept: */*\r\nhost: 127.0.0.1:8080\r\nuser-agent: ${USER_AGENT}\r\nconnection: keep-alive\r\n\r\n`,
    );
    expect(out.size).toBe((out.data as string).length);
  });

  test("string body: Content-Length in UTF-8 bytes; the caller's framing headers are replaced", () => {
    const out = serializeRequest("POST", target, [["content-length", "3"], ["transfer-encoding", "chunked"]], "héllo", "");
    if ("code" in out) throw new Error(out.message);
    expect(text(out.data)).toContain("content-length: 6\r\n\r\nhéllo");
    expect(text(out.data)).not.toContain("chunked");
    expect(out.size).toBe(Buffer.byteLength(out.data as string));
  });

  test("binary body in one buffer", () => {
    const out = serializeRequest("PUT", target, [], new Uint8Array([1, 2, 3]), "");
    if ("code" in out) throw new Error(out.message);
    expect(out.data).toBeInstanceOf(Uint8Array);
    const data = out.data as Uint8Array;
    expect(Array.from(data.subarray(data.length - 3))).toEqual([1, 2, 3]);
    expect(text(data)).toContain("content-length: 3\r\n\r\n");
    expect(out.size).toBe(data.length);
  });

  test("empty POST gets Content-Length: 0", () => {
    const out = serializeRequest("POST", target, [], undefined, "");
    if ("code" in out) throw new Error(out.message);
    expect(out.data).toContain("content-length: 0\r\n");
  });

  test("caller's host, user-agent and connection win; cookies merge", () => {
    const out = serializeRequest(
      "GET",
      target,
      [["host", "example.test"], ["user-agent", "me"], ["connection", "close"], ["cookie", "a=1"]],
      undefined,
      "b=2",
    );
    if ("code" in out) throw new Error(out.message);
    const head = out.data as string;
    expect(head).toContain("host: example.test\r\n");
    expect(head).not.toContain("127.0.0.1");
    expect(head).not.toContain(USER_AGENT);
    expect(head).not.toContain("keep-alive");
    expect(head).toContain("cookie: a=1; b=2\r\n");
  });

  test("default ports are left out of Host", () => {
    const https = parseTarget("https://example.test/") as Target;
    const out = serializeRequest("GET", https, [], undefined, "");
    if ("code" in out) throw new Error(out.message);
    expect(out.data).toContain("host: example.test\r\n");
  });

  test("header injection is refused", () => {
    const out = serializeRequest("GET", target, [["x", "a\r\nevil: 1"]], undefined, "");
    expect("code" in out && out.code).toBe("invalid_request");
    expect("code" in serializeRequest("GE T", target, [], undefined, "")).toBe(true);
  });

  test("remainderOf returns the unsent bytes", () => {
    expect(text(remainderOf("héllo", 3))).toBe("llo");
  });
});

describe("parseTarget", () => {
  test("rejects non-HTTP and invalid URLs with a sentence", () => {
    const bad = parseTarget("ftp://x/");
    expect("code" in bad && bad.message).toContain("ftp:");
    expect("code" in parseTarget("not a url")).toBe(true);
  });
  test("IPv6 literals connect without brackets", () => {
    const t = parseTarget("http://[::1]:9000/") as Target;
    expect(t.hostname).toBe("::1");
    expect(t.isIp).toBe(true);
    expect(t.hostHeader).toBe("[::1]:9000");
  });
});
