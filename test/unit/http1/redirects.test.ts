import { describe, expect, test } from "bun:test";
import { followRedirect, isRedirect, type HopRequest } from "../../../src/protocols/http1/redirects.ts";

const post: HopRequest = {
  method: "POST",
  url: "http://127.0.0.1:1/a/b",
  headers: [["content-type", "application/json"], ["authorization", "Bearer x"], ["x-keep", "1"]],
  body: "{}",
};
const from = new URL(post.url);

describe("redirects", () => {
  test("which statuses redirect", () => {
    expect([301, 302, 303, 307, 308].every(isRedirect)).toBe(true);
    expect([200, 300, 304, 305, 400].some(isRedirect)).toBe(false);
  });

  test("303 and POST 301/302 become GET without body or content headers", () => {
    for (const status of [301, 302, 303]) {
      const next = followRedirect(post, from, status, "/c");
      if ("code" in next) throw new Error(next.message);
      expect(next.method).toBe("GET");
      expect(next.body).toBeUndefined();
      expect(next.url).toBe("http://127.0.0.1:1/c");
      expect(next.headers.map(([n]) => n)).toEqual(["authorization", "x-keep"]);
    }
  });

  test("307/308 keep method and body; relative Location resolves", () => {
    const next = followRedirect(post, from, 307, "c?q=1#frag");
    if ("code" in next) throw new Error(next.message);
    expect(next.method).toBe("POST");
    expect(next.body).toBe("{}");
    expect(next.url).toBe("http://127.0.0.1:1/a/c?q=1");
  });

  test("302 of a PUT stays a PUT; 303 of HEAD stays HEAD", () => {
    expect((followRedirect({ ...post, method: "PUT" }, from, 302, "/") as HopRequest).method).toBe("PUT");
    expect((followRedirect({ ...post, method: "HEAD" }, from, 303, "/") as HopRequest).method).toBe("HEAD");
  });

  test("credentials do not follow to another origin", () => {
    const next = followRedirect(post, from, 307, "http://127.0.0.2:1/");
    if ("code" in next) throw new Error(next.message);
    expect(next.headers.map(([n]) => n)).toEqual(["content-type", "x-keep"]);
  });

  test("missing or unusable Location is an error", () => {
    expect("code" in followRedirect(post, from, 302, undefined)).toBe(true);
    expect("code" in followRedirect(post, from, 302, "mailto:a@b")).toBe(true);
  });
});
