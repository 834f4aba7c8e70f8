import { describe, expect, test } from "bun:test";
import { parseSeriesKey, seriesKey, tagsMatch } from "../../../src/metrics/series.ts";

describe("seriesKey", () => {
  test("sorts tags by name and omits braces without tags", () => {
    expect(seriesKey("http_reqs", { status: "200", method: "GET" })).toBe("http_reqs{method=GET,status=200}");
    expect(seriesKey("http_reqs", {})).toBe("http_reqs");
  });

  test("same tags in another order give the same key", () => {
    expect(seriesKey("m", { a: "1", b: "2" })).toBe(seriesKey("m", { b: "2", a: "1" }));
  });

  test("is unambiguous with , = { } % in names and values, and round-trips", () => {
    const tricky: Array<Record<string, string>> = [
      { a: "1,b=2" },
      { a: "1", b: "2" },
      { "a=1": "x" },
      { a: "{}" },
      { a: "%2C" },
      { a: "" },
      { url: "/users/{id}?q=a,b&x=%20", name: "ünïcode ✓" },
    ];
    const keys = tricky.map((t) => seriesKey("m", t));
    expect(new Set(keys).size).toBe(tricky.length);
    for (let i = 0; i < tricky.length; i++) {
      expect(parseSeriesKey(keys[i]!)).toEqual({ name: "m", tags: tricky[i]! });
    }
    expect(parseSeriesKey("http_reqs")).toEqual({ name: "http_reqs", tags: {} });
  });

  test("a reused tags object that is mutated gets a fresh key", () => {
    const tags: Record<string, string> = { status: "200" };
    expect(seriesKey("m", tags)).toBe("m{status=200}");
    tags.status = "500";
    expect(seriesKey("m", tags)).toBe("m{status=500}");
    tags.extra = "1";
    expect(seriesKey("m", tags)).toBe("m{extra=1,status=500}");
    delete tags.extra;
    expect(seriesKey("m", tags)).toBe("m{status=500}");
    // one tags object, two metric names
    expect(seriesKey("other", tags)).toBe("other{status=500}");
  });

  test("tagsMatch is a subset match", () => {
    expect(tagsMatch({ a: "1", b: "2" }, { a: "1" })).toBe(true);
    expect(tagsMatch({ a: "1", b: "2" }, {})).toBe(true);
    expect(tagsMatch({ a: "1" }, { a: "2" })).toBe(false);
    expect(tagsMatch({ a: "1" }, { c: "1" })).toBe(false);
  });
});
