// MetricStore.series (src/metrics/store.ts, store-series.ts): a handle records exactly what `add`
// records for the same (metric, tags), delta after delta, for every metric type; unknown metrics
// are treated as `add` treats them; and recordHop (src/protocols/http1/record-metrics.ts), which
// writes through handles, leaves the same delta as eleven `add` calls into a sink without them.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { MetricStore } from "../../../src/metrics/store.ts";
import { MetricRegistry } from "../../../src/metrics/registry.ts";
import type { MetricDelta, MetricSink, Tags } from "../../../src/metrics/types.ts";
import { recordHop, type HopRecord } from "../../../src/protocols/http1/record-metrics.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

const TAGS: Tags = Object.freeze({ name: "root", status: "200" });

function registry(): MetricRegistry {
  const r = builtinRegistry();
  r.register("t_counter", "counter");
  r.register("t_rate", "rate");
  r.register("t_gauge", "gauge");
  r.register("t_trend", "trend", "time");
  return r;
}

/** The delta with its histograms decoded to comparable text (the encoding is deterministic). */
function comparable(delta: MetricDelta): MetricDelta {
  return JSON.parse(JSON.stringify(delta)) as MetricDelta;
}

describe("MetricStore.series", () => {
  test("handles and add give identical deltas for every metric type, across deltas (property)", () => {
    const metrics = ["t_counter", "t_rate", "t_gauge", "t_trend"] as const;
    const sample = fc.record({ metric: fc.constantFrom(...metrics), value: fc.double({ min: 0, max: 1e6, noNaN: true }), cut: fc.boolean() });
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 200 }), (samples) => {
        const byAdd = new MetricStore(registry());
        const byHandle = new MetricStore(registry());
        const handles = Object.fromEntries(metrics.map((m) => [m, byHandle.series(m, TAGS)]));
        for (const { metric, value, cut } of samples) {
          byAdd.add(metric, value, TAGS);
          handles[metric]!.add(value);
          if (cut) expect(comparable(byHandle.takeDelta())).toEqual(comparable(byAdd.takeDelta()));
        }
        expect(comparable(byHandle.takeDelta())).toEqual(comparable(byAdd.takeDelta()));
      }),
      { seed: 9, numRuns: 200 },
    );
  });

  test("a handle and add on the same series accumulate into one series", () => {
    const store = new MetricStore(registry());
    const handle = store.series("t_counter", TAGS);
    handle.add(2);
    store.add("t_counter", 3, { ...TAGS });
    handle.add(5);
    expect(store.takeDelta().counters).toEqual({ "t_counter{name=root,status=200}": 10 });
    expect(store.pending).toBe(false);
    handle.add(1);
    expect(store.pending).toBe(true);
    expect(store.takeDelta().counters).toEqual({ "t_counter{name=root,status=200}": 1 });
  });

  test("an unknown metric: strict stores throw, lenient ones drop its samples and warn once", () => {
    expect(() => new MetricStore(registry()).series("nope", TAGS)).toThrow(/unknown metric "nope"/);
    const warnings: string[] = [];
    const lenient = new MetricStore(registry(), { strict: false, onWarning: (w) => warnings.push(w) });
    const handle = lenient.series("nope", TAGS);
    handle.add(1);
    lenient.add("nope", 1, TAGS);
    expect(lenient.pending).toBe(false);
    expect(warnings).toEqual(['samples of the unknown metric "nope" were dropped (it was never registered)']);
  });
});

describe("recordHop through handles", () => {
  test("leaves the same delta as a sink that has only add", () => {
    const hop = (status: number, duration: number): HopRecord => ({
      status,
      timings: { duration, blocked: 0.01, connecting: 0, tlsHandshaking: 0, sending: 0.02, waiting: duration - 0.05, receiving: 0.03 },
      bytesSent: 80,
      bytesReceived: 150,
    });
    const withHandles = new MetricStore(builtinRegistry());
    const plain = new MetricStore(builtinRegistry());
    const addOnly: MetricSink = { add: (metric, value, tags) => plain.add(metric, value, tags) };
    const base: Tags = Object.freeze({ scenario: "load", group: "" });
    for (let i = 0; i < 300; i++) {
      const h = hop(i % 7 === 0 ? 503 : 200, 0.4 + (i % 50) / 10);
      recordHop(withHandles, base, "root", "GET", h);
      recordHop(addOnly, base, "root", "GET", h);
    }
    const delta = comparable(withHandles.takeDelta());
    expect(delta).toEqual(comparable(plain.takeDelta()));
    expect(delta.counters['http_reqs{group=,method=GET,name=root,scenario=load,status=503}']).toBe(43);
    expect(delta.rates['http_req_failed{group=,method=GET,name=root,scenario=load,status=503}']).toEqual([43, 0]);
  });
});
