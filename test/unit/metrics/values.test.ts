import { expect, test } from "bun:test";
import { fromStored, newHistogram, toStored } from "../../../src/metrics/hdr.ts";
import { trendValue } from "../../../src/metrics/values.ts";

test("trendValue's one-pass figures equal hdr-histogram-js's own, exactly", () => {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const shapes: Array<() => number> = [
    () => 5, // all equal
    () => random() * 50,
    () => Math.exp(random() * 12) / 10, // 0.1 ms .. 16 s, long tail
    () => (random() < 0.99 ? 2 + random() : 3000 + random() * 1000), // bimodal
  ];
  for (const shape of shapes) {
    for (const n of [1, 2, 7, 100, 10_000]) {
      const h = newHistogram(true);
      for (let i = 0; i < n; i++) h.recordValue(toStored(shape()));
      const v = trendValue(h, "time");
      const at = (p: number) => fromStored(h.getValueAtPercentile(p));
      expect([v.count, v.min, v.med, v.p90, v.p95, v.p99, v.max]).toEqual([n, at(Number.MIN_VALUE), at(50), at(90), at(95), at(99), at(100)]);
      expect(v.avg).toBe(fromStored(h.mean));
    }
  }
  const empty = trendValue(newHistogram(), "time");
  expect([empty.count, empty.avg, empty.min, empty.max, empty.p99]).toEqual([0, 0, 0, 0, 0]);
});

test("buckets(): every non-empty HDR bucket once, in order, zeros included, each read as the value percentiles report", () => {
  const h = newHistogram();
  const samples = [0, 0, 0.0004, 1, 1, 2.5, 17.3, 17.31, 950, 12_345.6];
  for (const ms of samples) h.recordValue(toStored(ms));
  const t = trendValue(h, "time");
  const buckets = t.buckets();
  expect(buckets.reduce((n, b) => n + b.count, 0)).toBe(samples.length);
  expect(buckets[0]).toEqual({ lowest: 0, highest: 0, count: 3 }); // 0.0004 ms rounds to 0 µs
  for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.lowest).toBeGreaterThan(buckets[i - 1]!.highest);
  // The bucket holding the k-th sample reads as the percentile of rank k.
  let seen = 0;
  for (const b of buckets) {
    seen += b.count;
    expect(t.percentile((seen / samples.length) * 100)).toBe(b.highest);
  }
  expect(buckets.at(-1)!.highest).toBe(t.max);
  expect(trendValue(newHistogram(), "time").buckets()).toEqual([]);
  const onlyZeros = newHistogram();
  onlyZeros.recordValueWithCount(0, 5);
  expect(trendValue(onlyZeros, "time").buckets()).toEqual([{ lowest: 0, highest: 0, count: 5 }]);
});
