import { describe, expect, test } from "bun:test";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { newHistogram, toStored } from "../../../src/metrics/hdr.ts";
import { decodeHistogram, encodeHistogram } from "../../../src/metrics/hdr-codec.ts";
import { MetricRegistry } from "../../../src/metrics/registry.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import type { MetricDelta } from "../../../src/metrics/types.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** HDR keeps 3 significant digits: values agree to 0.1 %. */
function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * 0.001 + 1e-9);
}

function fakeClock(start = 0) {
  let now = start;
  return { clock: () => now, advance: (ms: number) => void (now += ms) };
}

describe("hdr encoding", () => {
  test("encode/decode round-trips counts and percentiles", () => {
    const h = newHistogram();
    const random = rng(1);
    for (let i = 0; i < 20_000; i++) h.recordValue(toStored(random() * 800));
    const back = decodeHistogram(encodeHistogram(h));
    expect(back.totalCount).toBe(20_000);
    for (const p of [0, 1, 50, 90, 95, 99, 99.9, 100]) expect(back.getValueAtPercentile(p)).toBe(h.getValueAtPercentile(p));
  });

  test("time samples are integer microseconds, negatives clamp to 0", () => {
    expect(toStored(1.2345)).toBe(1235);
    expect(toStored(-3)).toBe(0);
    expect(toStored(0)).toBe(0);
  });
});

describe("MetricStore", () => {
  test("takeDelta ships only changed series and resets them", () => {
    const store = new MetricStore(builtinRegistry());
    store.add("http_reqs", 1, { status: "200" });
    store.add("http_reqs", 1, { status: "200" });
    store.add("http_reqs", 1, { status: "500" });
    store.add("http_req_failed", 0, { status: "200" });
    store.add("http_req_failed", 1, { status: "500" });
    store.add("http_req_failed", 0, { status: "200" });
    store.add("vus", 7, {});
    store.add("vus", 9, {});
    store.add("http_req_duration", 12.5, { status: "200" });
    const d1 = store.takeDelta();
    expect(d1.counters).toEqual({ "http_reqs{status=200}": 2, "http_reqs{status=500}": 1 });
    expect(d1.rates).toEqual({ "http_req_failed{status=200}": [0, 2], "http_req_failed{status=500}": [1, 0] });
    expect(d1.gauges).toEqual({ vus: 9 });
    const h = decodeHistogram(d1.trends["http_req_duration{status=200}"]!);
    expect(h.totalCount).toBe(1);
    expectNear(h.getValueAtPercentile(50), 12_500);

    store.add("http_reqs", 1, { status: "500" });
    const d2 = store.takeDelta();
    expect(d2).toEqual({
      definitions: { http_reqs: { type: "counter", contains: "default" } },
      counters: { "http_reqs{status=500}": 1 },
      rates: {},
      gauges: {},
      trends: {},
    });
    expect(store.pending).toBe(false);
    expect(store.takeDelta()).toEqual({ definitions: {}, counters: {}, rates: {}, gauges: {}, trends: {} });
  });

  test("unknown metric names throw (strict) or are dropped with one warning", () => {
    expect(() => new MetricStore().add("no_such_metric", 1, {})).toThrow(/unknown metric "no_such_metric"/);
    const warnings: string[] = [];
    const lenient = new MetricStore(builtinRegistry(), { strict: false, onWarning: (m) => warnings.push(m) });
    lenient.add("no_such_metric", 1, {});
    lenient.add("no_such_metric", 1, {});
    expect(warnings).toHaveLength(1);
    expect(lenient.takeDelta().counters).toEqual({});
  });

  test("custom metrics registered in the registry are recorded", () => {
    const registry = new MetricRegistry();
    registry.register("cart_size", "trend");
    registry.register("orders", "counter");
    const store = new MetricStore(registry);
    store.add("cart_size", 2.5, {});
    store.add("orders", 3, {});
    const d = store.takeDelta();
    expect(d.counters.orders).toBe(3);
    expectNear(decodeHistogram(d.trends.cart_size!).getValueAtPercentile(50), 2500);
    expect(() => registry.register("orders", "rate")).toThrow(/already a counter/);
  });

  test("warns once when a metric passes the series limit", () => {
    const warnings: string[] = [];
    const store = new MetricStore(builtinRegistry(), { seriesLimit: 10, onWarning: (m) => warnings.push(m) });
    for (let i = 0; i < 50; i++) store.add("http_reqs", 1, { url: `/users/${i}` });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"http_reqs" has more than 10 series');
    expect(store.seriesCount("http_reqs")).toBe(50);
  });
});

describe("Aggregator", () => {
  test("merging deltas of several stores equals one histogram of all samples", () => {
    const stores = [new MetricStore(builtinRegistry()), new MetricStore(builtinRegistry()), new MetricStore(builtinRegistry())];
    const single = newHistogram(true);
    const random = rng(42);
    const agg = new Aggregator(builtinRegistry());
    for (let second = 0; second < 3; second++) {
      for (let i = 0; i < 30_000; i++) {
        // long-tailed latencies from 0.05 ms to several seconds
        const ms = Math.exp(random() * 11) / 20;
        stores[i % 3]!.add("http_req_duration", ms, { scenario: i % 2 ? "a" : "b" });
        single.recordValue(toStored(ms));
      }
      for (const s of stores) agg.merge(s.takeDelta());
    }
    const v = agg.query("http_req_duration");
    expect(v?.type).toBe("trend");
    if (v?.type !== "trend") return;
    expect(v.count).toBe(90_000);
    for (const p of [0.001, 25, 50, 90, 95, 99, 99.9, 100]) {
      expect(v.percentile(p)).toBe(single.getValueAtPercentile(p) / 1000);
    }
    expect(v.min).toBe(single.getValueAtPercentile(Number.MIN_VALUE) / 1000);
    expect(v.max).toBe(single.getValueAtPercentile(100) / 1000);
    expect(v.p95).toBe(single.getValueAtPercentile(95) / 1000);
    expect(v.med).toBe(single.getValueAtPercentile(50) / 1000);
    expect(v.avg).toBeCloseTo(single.mean / 1000, 6);
  });

  test("counters and rates sum across deltas; gauges keep the last value with min/max", () => {
    const clock = fakeClock();
    const agg = new Aggregator(builtinRegistry(), { clock: clock.clock });
    const d = (x: Partial<MetricDelta>): MetricDelta => ({ counters: {}, rates: {}, gauges: {}, trends: {}, ...x });
    agg.merge(d({ counters: { "http_reqs{status=200}": 10 }, rates: { "http_req_failed{status=200}": [0, 10] } }));
    agg.merge(d({ counters: { "http_reqs{status=200}": 5, "http_reqs{status=500}": 5 }, rates: { "http_req_failed{status=500}": [5, 0] } }));
    agg.setGauge("vus", 10);
    agg.setGauge("vus", 20);
    agg.setGauge("vus", 15);
    clock.advance(4000);
    expect(agg.query("http_reqs")).toMatchObject({ type: "counter", count: 20, rate: 5 });
    expect(agg.query("http_reqs", { status: "500" })).toMatchObject({ count: 5 });
    expect(agg.query("http_req_failed")).toMatchObject({ type: "rate", passes: 5, fails: 10, rate: 5 / 15 });
    expect(agg.query("vus")).toMatchObject({ type: "gauge", value: 15, min: 10, max: 20 });
    expect(agg.query("http_reqs", { status: "404" })).toBeUndefined();
    expect(agg.query("iterations")).toBeUndefined();
    expect(agg.seriesOf("http_reqs").map((s) => s.tags.status).sort()).toEqual(["200", "500"]);
    expect(agg.metricNames()).toEqual(["http_req_failed", "http_reqs", "vus"]);
  });

  test("sub-metric query merges only matching series", () => {
    const store = new MetricStore(builtinRegistry());
    for (let i = 1; i <= 100; i++) store.add("http_req_duration", i, { scenario: "burst", name: "a" });
    for (let i = 1; i <= 100; i++) store.add("http_req_duration", 1000 + i, { scenario: "smoke", name: "a" });
    const agg = new Aggregator(builtinRegistry());
    agg.merge(store.takeDelta());
    const burst = agg.query("http_req_duration", { scenario: "burst" });
    const all = agg.query("http_req_duration", { name: "a" });
    if (burst?.type !== "trend" || all?.type !== "trend") throw new Error("expected trends");
    expect(burst.count).toBe(100);
    expectNear(burst.max, 100);
    expectNear(burst.min, 1);
    expect(all.count).toBe(200);
    expectNear(all.max, 1100);
  });

  test("takeInterval gives per-interval figures and resets them", () => {
    const clock = fakeClock();
    const agg = new Aggregator(builtinRegistry(), { clock: clock.clock });
    const store = new MetricStore(builtinRegistry());
    for (let i = 0; i < 200; i++) store.add("http_reqs", 1, {});
    for (let i = 1; i <= 100; i++) store.add("http_req_duration", i, {});
    store.add("http_req_failed", 1, {});
    store.add("http_req_failed", 0, {});
    agg.merge(store.takeDelta());
    clock.advance(2000);
    const first = agg.takeInterval();
    expect(first.durationMs).toBe(2000);
    expect(first.metrics.http_reqs).toMatchObject({ count: 200, rate: 100 });
    expect(first.metrics.http_req_failed).toMatchObject({ rate: 0.5 });
    const p95 = first.metrics.http_req_duration;
    if (p95?.type !== "trend") throw new Error("expected trend");
    expectNear(p95.p95, 95);

    store.add("http_reqs", 1, {});
    store.add("http_req_duration", 500, {});
    agg.merge(store.takeDelta());
    clock.advance(1000);
    const second = agg.takeInterval();
    expect(second.metrics.http_reqs).toMatchObject({ count: 1, rate: 1 });
    const t = second.metrics.http_req_duration;
    if (t?.type !== "trend") throw new Error("expected trend");
    expect(t.count).toBe(1);
    expectNear(t.p95, 500);
    // cumulative state is untouched
    expect(agg.query("http_reqs")).toMatchObject({ count: 201 });
  });

  test("unknown metrics in a delta are registered with the section's type", () => {
    const agg = new Aggregator(builtinRegistry());
    agg.merge({ counters: { "orders{kind=x}": 2 }, rates: {}, gauges: {}, trends: {} });
    expect(agg.definition("orders")?.type).toBe("counter");
    expect(() => agg.merge({ counters: {}, rates: { orders: [1, 0] }, gauges: {}, trends: {} })).toThrow(/registered as a counter/);
  });
});
