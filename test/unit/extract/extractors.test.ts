import { describe, expect, test } from "bun:test";
import type { ExtractSpec } from "../../../src/config/plan.ts";
import { extractValue, runExtractors, setCookieValue } from "../../../src/core/extract/extractors.ts";
import { loc, networkError, response, TestJar } from "../flow/fakes.ts";

const res = response({
  body: JSON.stringify({ token: "t-1", n: 42, ok: true, obj: { a: [1, "x"] }, nil: null, list: [{ id: "first" }, { id: "second" }] }),
  headers: { location: ["/a", "/b"], "set-cookie": ["sid=one; Path=/", "other=x", 'sid="two"; HttpOnly'] },
});
const jar = new TestJar();
const json = (path: string): ExtractSpec => ({ variable: "v", loc, kind: "json", path });

describe("extractValue", () => {
  test("json: strings as-is, other values as JSON text, first match of a wildcard", () => {
    expect(extractValue(json("$.token"), res, jar)).toBe("t-1");
    expect(extractValue(json("$.n"), res, jar)).toBe("42");
    expect(extractValue(json("$.ok"), res, jar)).toBe("true");
    expect(extractValue(json("$.nil"), res, jar)).toBe("null");
    expect(extractValue(json("$.obj"), res, jar)).toBe('{"a":[1,"x"]}');
    expect(extractValue(json("$.list[*].id"), res, jar)).toBe("first");
    expect(extractValue(json("$..id"), res, jar)).toBe("first");
    expect(extractValue(json("$.missing"), res, jar)).toBeUndefined();
    expect(extractValue(json("$.token"), response({ body: "not json" }), jar)).toBeUndefined();
  });

  test("regex: capture group, repeatable with a global pattern", () => {
    const spec: ExtractSpec = { variable: "v", loc, kind: "regex", pattern: /"token":"([^"]+)"/g, group: 1 };
    expect(extractValue(spec, res, jar)).toBe("t-1");
    expect(extractValue(spec, res, jar)).toBe("t-1");
    expect(extractValue({ ...spec, group: 0 }, res, jar)).toBe('"token":"t-1"');
    expect(extractValue({ ...spec, group: 2 }, res, jar)).toBeUndefined();
    expect(extractValue({ ...spec, pattern: /nomatch(.)/ }, res, jar)).toBeUndefined();
  });

  test("header: first value, case-insensitive name", () => {
    expect(extractValue({ variable: "v", loc, kind: "header", header: "Location" }, res, jar)).toBe("/a");
    expect(extractValue({ variable: "v", loc, kind: "header", header: "x-none" }, res, jar)).toBeUndefined();
  });

  test("cookie: from Set-Cookie (last wins, quotes stripped), else from the jar", () => {
    expect(extractValue({ variable: "v", loc, kind: "cookie", cookie: "sid" }, res, jar)).toBe("two");
    const withJar = new TestJar();
    withJar.cookies.set("remembered", "r1");
    expect(extractValue({ variable: "v", loc, kind: "cookie", cookie: "remembered" }, res, withJar)).toBe("r1");
    expect(extractValue({ variable: "v", loc, kind: "cookie", cookie: "nope" }, res, withJar)).toBeUndefined();
    expect(setCookieValue(undefined, "x")).toBeUndefined();
  });
});

describe("runExtractors", () => {
  test("sets found values, unsets missed ones (even if set before) and reports each miss", () => {
    const vars: Record<string, string> = { stale: "old", keep: "k" };
    const misses: string[] = [];
    runExtractors(
      [
        { variable: "token", loc, kind: "json", path: "$.token" },
        { variable: "stale", loc, kind: "json", path: "$.absent" },
      ],
      res,
      vars,
      jar,
      (spec) => misses.push(spec.variable),
    );
    expect(vars).toEqual({ token: "t-1", keep: "k" });
    expect(misses).toEqual(["stale"]);
  });

  test("a network failure extracts nothing", () => {
    const vars: Record<string, string> = { token: "old" };
    runExtractors([{ variable: "token", loc, kind: "json", path: "$.token" }], networkError(), vars, jar);
    expect(vars).toEqual({});
  });
});
