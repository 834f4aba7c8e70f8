import { describe, expect, test } from "bun:test";
import { JsonPathError, parseJsonPath, queryFirst, queryJson } from "../../../src/core/extract/jsonpath.ts";

const doc = {
  token: "abc",
  user: { id: 7, name: "ann", tags: ["a", "b", "c"], "odd key": true },
  items: [
    { id: 1, price: 9.5 },
    { id: 2, price: 3, nested: { id: 99 } },
  ],
  empty: null,
};

describe("queryJson", () => {
  test("root, members, brackets", () => {
    expect(queryJson(doc, "$")).toEqual([doc]);
    expect(queryJson(doc, "$.token")).toEqual(["abc"]);
    expect(queryJson(doc, "$.user.name")).toEqual(["ann"]);
    expect(queryJson(doc, "$['user']['odd key']")).toEqual([true]);
    expect(queryJson(doc, '$["user"].id')).toEqual([7]);
    expect(queryJson(doc, "$.empty")).toEqual([null]);
  });

  test("implicit root", () => {
    expect(queryJson(doc, "user.id")).toEqual([7]);
    expect(queryJson(doc, "items[1].id")).toEqual([2]);
  });

  test("indexes, negative indexes, out of range", () => {
    expect(queryJson(doc, "$.user.tags[0]")).toEqual(["a"]);
    expect(queryJson(doc, "$.user.tags[-1]")).toEqual(["c"]);
    expect(queryJson(doc, "$.user.tags[3]")).toEqual([]);
    expect(queryJson(doc, "$.user.tags[-4]")).toEqual([]);
    expect(queryJson(doc, "$.user[0]")).toEqual([]);
  });

  test("wildcards", () => {
    expect(queryJson(doc, "$.items[*].id")).toEqual([1, 2]);
    expect(queryJson(doc, "$.user.tags.*")).toEqual(["a", "b", "c"]);
    expect(queryFirst(doc, "$.items[*].price")).toBe(9.5);
  });

  test("recursive descent in document order", () => {
    expect(queryJson(doc, "$..id")).toEqual([7, 1, 2, 99]);
    expect(queryFirst(doc, "$..id")).toBe(7);
    expect(queryJson(doc, "$.items..id")).toEqual([1, 2, 99]);
    expect(queryJson(doc, "$..['price']")).toEqual([9.5, 3]);
  });

  test("missing members and non-objects select nothing", () => {
    expect(queryJson(doc, "$.nope")).toEqual([]);
    expect(queryJson(doc, "$.token.length")).toEqual([]);
    expect(queryJson("text", "$.a")).toEqual([]);
    expect(queryFirst(doc, "$.user.nope")).toBeUndefined();
    // inherited properties are not members
    expect(queryJson({}, "$.constructor")).toEqual([]);
  });

  test("invalid syntax throws from parseJsonPath and selects nothing in queryJson", () => {
    for (const bad of ["$.items[?(@.id==1)]", "$.a[1:2]", "$.", "$[", "$['x", "$x", "$..[0]"]) {
      expect(() => parseJsonPath(bad)).toThrow(JsonPathError);
      expect(queryJson(doc, bad)).toEqual([]);
    }
  });
});
