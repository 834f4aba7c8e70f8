// MetricStore.add skips the series-key lookup when a frozen tags object repeats
// (src/metrics/store.ts): samples still land in the series their tags name, whether the same
// frozen object repeats, frozen objects alternate, or a mutable object is changed and reused.
import { describe, expect, test } from "bun:test";
import { MetricStore } from "../../../src/metrics/store.ts";
import type { Tags } from "../../../src/metrics/types.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

describe("MetricStore: repeated tags objects", () => {
  test("the same frozen object, and alternating frozen objects, count into their own series", () => {
    const store = new MetricStore(builtinRegistry());
    const a: Tags = Object.freeze({ name: "a", status: "200" });
    const b: Tags = Object.freeze({ name: "b", status: "500" });
    for (let i = 0; i < 5; i++) store.add("http_reqs", 1, a);
    for (let i = 0; i < 3; i++) {
      store.add("http_reqs", 1, b);
      store.add("http_reqs", 1, a);
    }
    store.add("http_req_failed", 1, b);
    store.add("http_req_failed", 0, a);
    const delta = store.takeDelta();
    expect(delta.counters).toEqual({ "http_reqs{name=a,status=200}": 8, "http_reqs{name=b,status=500}": 3 });
    expect(delta.rates).toEqual({ "http_req_failed{name=a,status=200}": [0, 1], "http_req_failed{name=b,status=500}": [1, 0] });
  });

  test("a mutable tags object changed between samples is keyed by its current contents", () => {
    const store = new MetricStore(builtinRegistry());
    const tags: Tags = { name: "a" };
    store.add("http_reqs", 1, tags);
    tags.name = "b";
    store.add("http_reqs", 1, tags);
    store.add("http_reqs", 1, tags);
    tags.name = "a";
    store.add("http_reqs", 1, tags);
    expect(store.takeDelta().counters).toEqual({ "http_reqs{name=a}": 2, "http_reqs{name=b}": 2 });
  });
});
