// recordStored (src/metrics/hdr.ts) records exactly what the library's recordValue records: the
// same encoded histogram (counts, min, max, total) for any values, including values past the
// histogram's initial range (it resizes) and past the integer path's 2^31 limit.
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { newHistogram, recordStored } from "../../../src/metrics/hdr.ts";
import { encodeHistogram } from "../../../src/metrics/hdr-codec.ts";

const stored = fc.oneof(
  fc.integer({ min: 0, max: 2_000 }),
  fc.integer({ min: 0, max: 2 ** 20 }),
  fc.integer({ min: 2 ** 30, max: 2 ** 31 + 5 }),
  fc.integer({ min: 0, max: 2 ** 40 }),
  fc.constantFrom(0, 1, 1023, 1024, 1025, 2047, 2048, 2 ** 31 - 1, 2 ** 31, 2 ** 32),
);

describe("recordStored", () => {
  test("equals recordValue on the same values (property)", () => {
    fc.assert(
      fc.property(fc.array(stored, { maxLength: 300 }), fc.boolean(), (values, wide) => {
        const fast = newHistogram(wide);
        const reference = newHistogram(wide);
        for (const v of values) {
          recordStored(fast, v);
          reference.recordValue(v);
        }
        expect(fast.totalCount).toBe(reference.totalCount);
        expect(fast.maxValue).toBe(reference.maxValue);
        expect(fast.minNonZeroValue).toBe(reference.minNonZeroValue);
        expect(encodeHistogram(fast)).toBe(encodeHistogram(reference));
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });

  test("every value of the first buckets lands where recordValue puts it", () => {
    const fast = newHistogram();
    const reference = newHistogram();
    for (let v = 0; v < 70_000; v++) {
      recordStored(fast, v);
      reference.recordValue(v);
    }
    expect(encodeHistogram(fast)).toBe(encodeHistogram(reference));
    expect(fast.getValueAtPercentile(99)).toBe(reference.getValueAtPercentile(99));
  });
});
