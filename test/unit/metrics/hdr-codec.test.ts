import { describe, expect, test } from "bun:test";
import { JsHistogram, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from "hdr-histogram-js";
import { newHistogram } from "../../../src/metrics/hdr.ts";
import { decodeHistogram, decodeSparse, encodeHistogram, mergeEncoded } from "../../../src/metrics/hdr-codec.ts";

/** A deterministic pseudo-random generator, so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function randomDelta(random: () => number): Histogram {
  const delta = newHistogram();
  const n = 1 + Math.floor(random() * 2000);
  // Latencies from microseconds to minutes (stored as µs), with a long tail.
  for (let i = 0; i < n; i++) delta.recordValue(Math.floor(random() ** 6 * 120_000_000));
  return delta;
}

function expectSame(actual: Histogram, expected: Histogram): void {
  expect(actual.totalCount).toBe(expected.totalCount);
  for (const p of [0, 1, 25, 50, 90, 95, 99, 99.9, 99.99, 100]) {
    expect(actual.getValueAtPercentile(p)).toBe(expected.getValueAtPercentile(p));
  }
  expect(actual.minNonZeroValue).toBe(expected.minNonZeroValue);
  expect(actual.maxValue).toBe(expected.maxValue);
  expect(actual.mean).toBeCloseTo(expected.mean, 6);
}

describe("HDR V2 codec and sparse merge", () => {
  test("merging our encoding, or the library's compressed one, equals the library's decode-and-add", () => {
    const random = lcg(7);
    const reference = newHistogram(true);
    const merged = newHistogram(true);
    const interval = newHistogram(true);
    const fromCompressed = newHistogram(true);
    for (let d = 0; d < 50; d++) {
      const delta = randomDelta(random);
      const compressed = encodeIntoCompressedBase64(delta);
      reference.add(decodeFromCompressedBase64(compressed, 32, false));
      expect(mergeEncoded(encodeHistogram(delta), [merged, interval])).toBe(delta.totalCount);
      expect(mergeEncoded(compressed, [fromCompressed])).toBe(delta.totalCount);
    }
    expectSame(merged, reference);
    expectSame(interval, reference);
    expectSame(fromCompressed, reference);
  });

  test("our encoding is standard HDR V2: the library's own decoder reads it", () => {
    const delta = randomDelta(lcg(11));
    const decoded = (JsHistogram as unknown as { decode(bytes: Uint8Array): Histogram }).decode(
      new Uint8Array(Buffer.from(encodeHistogram(delta), "base64")),
    );
    expectSame(decoded, decodeFromCompressedBase64(encodeIntoCompressedBase64(delta), 32, false));
    expectSame(decodeHistogram(encodeHistogram(delta)), decoded);
  });

  test("an empty delta adds nothing; zero values are kept", () => {
    expect(decodeSparse(encodeHistogram(newHistogram()))?.totalCount).toBe(0);
    const zeros = newHistogram();
    zeros.recordValueWithCount(0, 5);
    zeros.recordValue(3);
    const target = newHistogram(true);
    expect(mergeEncoded(encodeHistogram(zeros), [target])).toBe(6);
    expect(target.getValueAtPercentile(50)).toBe(0);
    expect(target.maxValue).toBe(3);
  });
});
