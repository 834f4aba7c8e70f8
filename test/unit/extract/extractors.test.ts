import { describe, expect, test } from "bun:test";
import type { ExtractSpec, SourceLoc } from "../../../src/config/plan.ts";
import { setCookieValue, type CookieExtraction } from "../../../src/core/extract/cookie.ts";
import { compileExtractions, missMessage, runExtractors } from "../../../src/core/extract/extractors.ts";
import type { HeaderExtraction } from "../../../src/core/extract/header.ts";
import { SHARED_EXTRACTIONS } from "../../../src/core/extract/index.ts";
import type { JsonExtraction } from "../../../src/core/extract/json.ts";
import type { RegexExtraction } from "../../../src/core/extract/regex.ts";
import type { CookieJar, ResponseView } from "../../../src/protocols/types.ts";
import { loc, networkError, response, TestJar } from "../flow/fakes.ts";

/** A shared extraction kind and its spec, written flat (`{ variable, loc, kind: "json", path }`). */
type Flat = { variable?: string; loc?: SourceLoc } & (
  | ({ kind: "json" } & JsonExtraction)
  | ({ kind: "regex" } & RegexExtraction)
  | ({ kind: "header" } & HeaderExtraction)
  | ({ kind: "cookie" } & CookieExtraction)
);
const specOf = ({ variable = "v", loc: at = loc, kind, ...spec }: Flat): ExtractSpec => ({ variable, loc: at, kind, spec });
const compile = (flats: Flat[]) => compileExtractions(flats.map(specOf), SHARED_EXTRACTIONS);
const extractValue = (flat: Flat, on: ResponseView, from: CookieJar) => compile([flat])[0]!.extract(on, from);

const res = response({
  body: JSON.stringify({ token: "t-1", n: 42, ok: true, obj: { a: [1, "x"] }, nil: null, list: [{ id: "first" }, { id: "second" }] }),
  headers: { location: ["/a", "/b"], "set-cookie": ["sid=one; Path=/", "other=x", 'sid="two"; HttpOnly'] },
});
const jar = new TestJar();
const json = (path: string): Flat => ({ variable: "v", loc, kind: "json", path });

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
    const spec: Flat = { variable: "v", loc, kind: "regex", pattern: /"token":"([^"]+)"/g, group: 1 };
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
      compile([
        { variable: "token", loc, kind: "json", path: "$.token" },
        { variable: "stale", loc, kind: "json", path: "$.absent" },
      ]),
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
    runExtractors(compile([{ variable: "token", loc, kind: "json", path: "$.token" }]), networkError(), vars, jar);
    expect(vars).toEqual({});
  });

  test("a miss is named by the plan location and what each kind looked for", () => {
    const at: SourceLoc = { file: "plan.yaml", line: 7, column: 9 };
    const messages = compile([
      { variable: "a", loc: at, kind: "json", path: "$.id" },
      { variable: "b", loc: at, kind: "regex", pattern: /id=(\d+)/, group: 1 },
      { variable: "c", loc: at, kind: "header", header: "x-trace" },
      { variable: "d", loc: at, kind: "cookie", cookie: "sid" },
    ]).map(missMessage);
    expect(messages).toEqual([
      'plan.yaml:7:9: extract "a" found no JSON path $.id; the variable is unset (renders as "")',
      'plan.yaml:7:9: extract "b" found no pattern /id=(\\d+)/; the variable is unset (renders as "")',
      'plan.yaml:7:9: extract "c" found no header x-trace; the variable is unset (renders as "")',
      'plan.yaml:7:9: extract "d" found no cookie sid; the variable is unset (renders as "")',
    ]);
  });

  test("a kind the worker has no runtime for fails the compile with the plan location", () => {
    const unknown: ExtractSpec = { variable: "v", kind: "event", loc: { file: "p.yaml", line: 3, column: 5 }, spec: {} };
    expect(() => compileExtractions([unknown], SHARED_EXTRACTIONS)).toThrow('p.yaml:3:5: no runtime for extraction kind "event"');
  });
});
