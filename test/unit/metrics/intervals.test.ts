// Per-series intervals: what the run loop's one `takeInterval` per tick hands every consumer.
import { describe, expect, test } from "bun:test";
import { builtinRegistry } from "../../helpers/metrics.ts";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricRegistry } from "../../../src/metrics/registry.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import type { SeriesValue } from "../../../src/metrics/interval.ts";

function fakeClock(start = 0) {
  let now = start;
  return { clock: () => now, advance: (ms: number) => void (now += ms) };
}

/** HDR keeps 3 significant digits: values agree to 0.1 %. */
const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 0.001);

const byKey = (series: readonly SeriesValue[]) => Object.fromEntries(series.map((s) => [s.key, s]));

describe("takeInterval, per series", () => {
  test("every changed series with the interval's own figures; unchanged ones absent; gauges current", () => {
    const clock = fakeClock();
    const agg = new Aggregator(builtinRegistry(), { clock: clock.clock, wallClock: () => 1_700_000_000_000 + clock.clock() });
    const store = new MetricStore(builtinRegistry());
    for (let i = 1; i <= 10; i++) {
      store.add("http_reqs", 1, { name: "a", status: "200" });
      store.add("http_req_duration", i, { name: "a", status: "200" });
    }
    for (let i = 0; i < 4; i++) store.add("http_reqs", 1, { name: "b", status: "500" });
    store.add("http_req_failed", 1, { name: "b" });
    store.add("http_req_failed", 0, { name: "a" });
    agg.merge(store.takeDelta());
    agg.setGauge("vus", 7);
    clock.advance(2000);

    const first = agg.takeInterval();
    expect(first).toMatchObject({ startMs: 0, endMs: 2000, durationMs: 2000, startUnixMs: 1_700_000_000_000, endUnixMs: 1_700_000_002_000 });
    const s1 = byKey(first.series);
    expect(Object.keys(s1)).toEqual([
      "http_req_duration{name=a,status=200}",
      "http_req_failed{name=a}",
      "http_req_failed{name=b}",
      "http_reqs{name=a,status=200}",
      "http_reqs{name=b,status=500}",
      "vus",
    ]);
    expect(s1["http_reqs{name=a,status=200}"]!).toMatchObject({ name: "http_reqs", tags: { name: "a", status: "200" }, value: { type: "counter", count: 10, rate: 5 } });
    expect(s1["http_reqs{name=b,status=500}"]!.value).toMatchObject({ count: 4, rate: 2 });
    expect(s1["http_req_failed{name=b}"]!.value).toMatchObject({ type: "rate", passes: 1, fails: 0 });
    const d = s1["http_req_duration{name=a,status=200}"]!.value;
    if (d.type !== "trend") throw new Error("expected a trend");
    expect(d).toMatchObject({ contains: "time", count: 10, min: 1 });
    near(d.max, 10);
    expect(s1.vus!.value).toMatchObject({ type: "gauge", value: 7 });
    // Whole metrics are the sum of their series.
    expect(first.metrics.http_reqs).toMatchObject({ count: 14, rate: 7 });

    // Only series "a" changes in the second interval; the gauge is there with its current value.
    store.add("http_reqs", 1, { name: "a", status: "200" });
    store.add("http_req_duration", 500, { name: "a", status: "200" });
    agg.merge(store.takeDelta());
    agg.setGauge("vus", 3);
    clock.advance(1000);
    const second = agg.takeInterval();
    expect(second).toMatchObject({ startMs: 2000, endMs: 3000, durationMs: 1000 });
    const s2 = byKey(second.series);
    expect(Object.keys(s2)).toEqual(["http_req_duration{name=a,status=200}", "http_reqs{name=a,status=200}", "vus"]);
    expect(s2["http_reqs{name=a,status=200}"]!.value).toMatchObject({ count: 1, rate: 1 });
    const d2 = s2["http_req_duration{name=a,status=200}"]!.value;
    if (d2.type !== "trend") throw new Error("expected a trend");
    expect(d2.count).toBe(1);
    near(d2.min, 500);
    near(d2.max, 500);
    expect(s2.vus!.value).toMatchObject({ value: 3, min: 3, max: 7 });
    // The first snapshot still reads its own interval: its histogram was handed over, not reused.
    expect(s1["http_req_duration{name=a,status=200}"]!.value).toMatchObject({ count: 10 });
    near(d.percentile(100), 10);

    // Nothing new: only the gauge.
    clock.advance(1000);
    expect(agg.takeInterval().series.map((s) => s.key)).toEqual(["vus"]);
  });

  test("the caller's clocks define the interval; the snapshot is frozen", () => {
    const agg = new Aggregator(builtinRegistry());
    const store = new MetricStore(builtinRegistry());
    store.add("iterations", 3, { scenario: "s" });
    agg.merge(store.takeDelta());
    const a = agg.takeInterval({ elapsedMs: 1500, unixMs: 10_000 });
    expect(a).toMatchObject({ endMs: 1500, endUnixMs: 10_000, durationMs: 1500 });
    expect(a.series[0]!.value).toMatchObject({ count: 3, rate: 2 });
    const b = agg.takeInterval({ elapsedMs: 2500, unixMs: 11_000 });
    expect(b).toMatchObject({ startMs: 1500, startUnixMs: 10_000, endMs: 2500, durationMs: 1000 });
    expect(Object.isFrozen(a) && Object.isFrozen(a.series) && Object.isFrozen(a.metrics) && Object.isFrozen(a.series[0])).toBe(true);
    expect(() => (a.series as SeriesValue[]).push(a.series[0]!)).toThrow();
  });

  test("the series' counts over every interval add up to the cumulative counts, whatever the merge pattern", () => {
    const agg = new Aggregator(builtinRegistry(), { clock: fakeClock().clock });
    const workers = [new MetricStore(builtinRegistry()), new MetricStore(builtinRegistry()), new MetricStore(builtinRegistry())];
    const summed = new Map<string, number>();
    let samples = 0;
    for (let tick = 0; tick < 20; tick++) {
      for (let i = 0; i < 50 + tick * 7; i++) {
        const w = workers[(i * 31 + tick) % 3]!;
        const tags = { name: `n${(i + tick) % 5}`, status: i % 9 === 0 ? "500" : "200" };
        w.add("http_reqs", 1, tags);
        w.add("http_req_duration", (i % 40) + 1, tags);
        samples++;
      }
      // Workers report at different moments: some twice in a tick, some not at all.
      for (const [k, w] of workers.entries()) if ((tick + k) % 2 === 0 || tick === 19) agg.merge(w.takeDelta());
      const interval = agg.takeInterval({ elapsedMs: (tick + 1) * 1000 });
      for (const s of interval.series) {
        const v = s.value;
        const n = v.type === "counter" || v.type === "trend" ? v.count : 0;
        summed.set(s.key, (summed.get(s.key) ?? 0) + n);
      }
    }
    let reqs = 0;
    let durations = 0;
    for (const info of agg.seriesOf("http_reqs")) {
      const whole = agg.query("http_reqs", info.tags);
      expect(summed.get(info.key)).toBe(whole?.type === "counter" ? whole.count : -1);
      reqs += summed.get(info.key)!;
    }
    for (const info of agg.seriesOf("http_req_duration")) durations += summed.get(info.key)!;
    expect(reqs).toBe(samples);
    expect(durations).toBe(samples);
  });
});
