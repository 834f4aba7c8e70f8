import { describe, expect, test } from "bun:test";
import { decodeHistogram, encodeHistogram, newHistogram } from "../../../src/metrics/hdr.ts";
import { decodeSparse, mergeEncoded } from "../../../src/metrics/hdr-sparse.ts";

/** A deterministic pseudo-random generator, so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe("sparse merge of encoded histograms", () => {
  test("equals the library's decode-and-add, bucket for bucket, over many deltas", () => {
    const random = lcg(7);
    const viaLibrary = newHistogram(true);
    const viaSparse = newHistogram(true);
    const interval = newHistogram(true);
    for (let d = 0; d < 50; d++) {
      const delta = newHistogram();
      const n = 1 + Math.floor(random() * 2000);
      // Latencies from microseconds to minutes (stored as µs), with a long tail.
      for (let i = 0; i < n; i++) delta.recordValue(Math.floor(random() ** 6 * 120_000_000));
      const encoded = encodeHistogram(delta);
      viaLibrary.add(decodeHistogram(encoded));
      expect(mergeEncoded(encoded, [viaSparse, interval])).toBe(n);
    }
    expect(viaSparse.totalCount).toBe(viaLibrary.totalCount);
    expect(interval.totalCount).toBe(viaLibrary.totalCount);
    for (const p of [0, 1, 25, 50, 90, 95, 99, 99.9, 99.99, 100]) {
      expect(viaSparse.getValueAtPercentile(p)).toBe(viaLibrary.getValueAtPercentile(p));
    }
    expect(viaSparse.minNonZeroValue).toBe(viaLibrary.minNonZeroValue);
    expect(viaSparse.maxValue).toBe(viaLibrary.maxValue);
    expect(viaSparse.mean).toBeCloseTo(viaLibrary.mean, 6);
  });

  test("an empty delta adds nothing; zero values are kept", () => {
    const empty = encodeHistogram(newHistogram());
    expect(decodeSparse(empty)?.totalCount).toBe(0);
    const zeros = newHistogram();
    zeros.recordValueWithCount(0, 5);
    zeros.recordValue(3);
    const target = newHistogram(true);
    expect(mergeEncoded(encodeHistogram(zeros), [target])).toBe(6);
    expect(target.getValueAtPercentile(50)).toBe(0);
    expect(target.maxValue).toBe(3);
  });
});
