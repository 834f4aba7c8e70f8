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
