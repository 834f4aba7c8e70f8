import { describe, expect, test } from "bun:test";
import { MemoryCookieJar, defaultPath, domainMatches, pathMatches } from "../../src/core/cookies.ts";

const u = (s: string) => new URL(s);

function jarAt(start = 1_000_000) {
  let now = start;
  const jar = new MemoryCookieJar(() => now);
  return { jar, advance: (ms: number) => void (now += ms) };
}

describe("MemoryCookieJar", () => {
  test("host-only cookies go back to the same host only", () => {
    const { jar } = jarAt();
    jar.store(u("http://api.example.test/login"), ["session=abc; Path=/; HttpOnly"]);
    expect(jar.cookieHeader(u("http://api.example.test/me"))).toBe("session=abc");
    expect(jar.cookieHeader(u("http://www.api.example.test/me"))).toBe("");
    expect(jar.cookieHeader(u("http://example.test/"))).toBe("");
    expect(jar.get("session")).toBe("abc");
  });

  test("Domain= cookies go to the domain and its subdomains; foreign domains are refused", () => {
    const { jar } = jarAt();
    jar.store(u("http://a.example.test/"), ["d=1; Domain=.example.test", "evil=1; Domain=other.test"]);
    expect(jar.cookieHeader(u("http://example.test/"))).toBe("d=1");
    expect(jar.cookieHeader(u("http://b.example.test/"))).toBe("d=1");
    expect(jar.cookieHeader(u("http://notexample.test/"))).toBe("");
    expect(jar.get("evil")).toBeUndefined();
  });

  test("IP hosts are host-only", () => {
    const { jar } = jarAt();
    jar.store(u("http://127.0.0.1:8080/"), ["a=1; Domain=127.0.0.1"]);
    expect(jar.cookieHeader(u("http://127.0.0.1:9090/x"))).toBe("a=1");
    expect(jar.cookieHeader(u("http://127.0.0.2/"))).toBe("");
  });

  test("Path and the default path; longer paths first", () => {
    const { jar } = jarAt();
    jar.store(u("http://h.test/account/login"), ["dflt=1", "root=2; Path=/", "deep=3; Path=/account/settings"]);
    expect(jar.cookieHeader(u("http://h.test/"))).toBe("root=2");
    expect(jar.cookieHeader(u("http://h.test/account/x"))).toBe("dflt=1; root=2");
    expect(jar.cookieHeader(u("http://h.test/account/settings/a"))).toBe("deep=3; dflt=1; root=2");
    expect(jar.cookieHeader(u("http://h.test/accounts"))).toBe("root=2");
  });

  test("same name+domain+path overwrites; different path coexists", () => {
    const { jar } = jarAt();
    jar.store(u("http://h.test/"), ["a=1; Path=/"]);
    jar.store(u("http://h.test/"), ["a=2; Path=/"]);
    jar.store(u("http://h.test/"), ["a=3; Path=/x"]);
    expect(jar.cookieHeader(u("http://h.test/"))).toBe("a=2");
    expect(jar.cookieHeader(u("http://h.test/x"))).toBe("a=3; a=2");
  });

  test("Max-Age and Expires expire cookies; Max-Age wins; Max-Age=0 deletes", () => {
    const { jar, advance } = jarAt(Date.parse("2030-01-01T00:00:00Z"));
    jar.store(u("http://h.test/"), [
      "short=1; Max-Age=10",
      "dated=2; Expires=Tue, 01 Jan 2030 00:01:00 GMT",
      "both=3; Max-Age=5; Expires=Wed, 01 Jan 2031 00:00:00 GMT",
      "past=4; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    ]);
    expect(jar.cookieHeader(u("http://h.test/"))).toBe("short=1; dated=2; both=3");
    advance(6_000);
    expect(jar.cookieHeader(u("http://h.test/"))).toBe("short=1; dated=2");
    advance(5_000);
    expect(jar.cookieHeader(u("http://h.test/"))).toBe("dated=2");
    jar.store(u("http://h.test/"), ["dated=x; Max-Age=0"]);
    expect(jar.cookieHeader(u("http://h.test/"))).toBe("");
    expect(jar.get("dated")).toBeUndefined();
  });

  test("Secure cookies are set and sent over https only", () => {
    const { jar } = jarAt();
    jar.store(u("http://h.test/"), ["plain=1; Secure"]);
    expect(jar.get("plain")).toBeUndefined();
    jar.store(u("https://h.test/"), ["s=1; Secure", "n=2"]);
    expect(jar.cookieHeader(u("https://h.test/"))).toBe("s=1; n=2");
    expect(jar.cookieHeader(u("http://h.test/"))).toBe("n=2");
  });

  test("quoted values are unquoted; nameless and malformed cookies are ignored", () => {
    const { jar } = jarAt();
    jar.store(u("http://h.test/"), ['q="v 1"', "=nope", "noequals", "e="]);
    expect(jar.cookieHeader(u("http://h.test/"))).toBe("q=v 1; e=");
  });

  test("clear empties the jar", () => {
    const { jar } = jarAt();
    jar.store(u("http://h.test/"), ["a=1"]);
    jar.clear();
    expect(jar.cookieHeader(u("http://h.test/"))).toBe("");
  });
});

describe("matching rules", () => {
  test("domainMatches", () => {
    expect(domainMatches("a.b.test", "b.test")).toBe(true);
    expect(domainMatches("ab.test", "b.test")).toBe(false);
    expect(domainMatches("1.2.3.4", "2.3.4")).toBe(false);
  });
  test("pathMatches and defaultPath", () => {
    expect(pathMatches("/a/b", "/a")).toBe(true);
    expect(pathMatches("/ab", "/a")).toBe(false);
    expect(pathMatches("/a/", "/a/")).toBe(true);
    expect(defaultPath("/a/b/c")).toBe("/a/b");
    expect(defaultPath("/a")).toBe("/");
    expect(defaultPath("")).toBe("/");
  });
});
