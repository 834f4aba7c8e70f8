import { describe, expect, test } from "bun:test";
import type { Segment } from "../../src/core/segment.ts";
import {
  WHOLE,
  bitReverse32,
  formatSegment,
  fraction,
  indexOwner,
  offsetOf,
  ownedBelow,
  ownsIndex,
  parseSegment,
  partition,
  shareOf,
  shareWithin,
  snapSegment,
  subSegment,
} from "../../src/core/segment.ts";

const partitions = (n: number): Segment[] => Array.from({ length: n }, (_, i) => partition(i, n));
const uneven: Segment[] = [
  { from: fraction(0, 1), to: fraction(1, 7) },
  { from: fraction(1, 7), to: fraction(1, 3) },
  { from: fraction(1, 3), to: fraction(2, 5) },
  { from: fraction(2, 5), to: fraction(99, 100) },
  { from: fraction(99, 100), to: fraction(1, 1) },
];

describe("shareOf / offsetOf", () => {
  test("shares of i/n sum to the total and offsets are contiguous (n = 1..64)", () => {
    for (let n = 1; n <= 64; n++) {
      for (const total of [0, 1, 2, 3, 7, 10, 64, 65, 1000, 12345]) {
        let next = 0;
        for (const s of partitions(n)) {
          expect(offsetOf(total, s)).toBe(next);
          next += shareOf(total, s);
        }
        expect(next).toBe(total);
      }
    }
  });
  test("7 over 3 parts is 2, 2, 3", () => {
    expect(partitions(3).map((s) => shareOf(7, s))).toEqual([2, 2, 3]);
  });
});

describe("ownsIndex / indexOwner / ownedBelow", () => {
  test("the old floor-difference striping double-owned indexes (5 parts); now every index has one owner", () => {
    for (const n of [1, 2, 3, 5, 7, 12, 64]) {
      for (let k = 0; k < 2000; k++) expect(partitions(n).filter((s) => ownsIndex(k, s)).length).toBe(1);
    }
    for (let k = 0; k < 2000; k++) expect(uneven.filter((s) => ownsIndex(k, s)).length).toBe(1);
  });
  test("2^j equal parts are a perfect round-robin", () => {
    for (const n of [2, 4, 8]) {
      for (let i = 0; i < n; i++) {
        const owns = indexOwner(partition(i, n));
        const owned = Array.from({ length: 64 }, (_, k) => k).filter(owns);
        expect(owned.length).toBe(64 / n);
        for (let j = 1; j < owned.length; j++) expect(owned[j]! - owned[j - 1]!).toBe(n);
      }
    }
  });
  test("ownedBelow matches counting indexOwner, and sums over partitions to n", () => {
    for (const segs of [partitions(3), partitions(5), partitions(7), partitions(64), uneven]) {
      const owners = segs.map(indexOwner);
      const counts = segs.map(() => 0);
      for (let n = 0; n <= 3000; n++) {
        if (n % 37 === 0 || n < 40) {
          segs.forEach((s, i) => expect(ownedBelow(n, s)).toBe(counts[i]!));
          expect(segs.reduce((a, s) => a + ownedBelow(n, s), 0)).toBe(n);
        }
        owners.forEach((owns, i) => (counts[i]! += owns(n) ? 1 : 0));
      }
    }
  });
  test("each segment owns its length's share within O(log n), also past 2^32", () => {
    for (const s of [...partitions(3), ...uneven]) {
      const length = (s.to.num / s.to.den) - (s.from.num / s.from.den);
      for (const n of [10_000, 1_000_000, 2 ** 33 + 12345]) expect(Math.abs(ownedBelow(n, s) - n * length)).toBeLessThan(34);
    }
  });
  test("bitReverse32", () => {
    expect(bitReverse32(1)).toBe(2 ** 31);
    expect(bitReverse32(0x80000000)).toBe(1);
    expect(bitReverse32(0xffffffff)).toBe(0xffffffff);
    expect(bitReverse32(6)).toBe(0x60000000);
  });
});

describe("snapSegment / shareWithin", () => {
  test("snapped segments of a partition form a partition; shares within never exceed the grid share", () => {
    for (const segs of [...Array.from({ length: 16 }, (_, n) => partitions(n + 1)), uneven]) {
      for (const total of [1, 2, 3, 7, 13, 100]) {
        const snapped = segs.map((s) => snapSegment(total, s));
        for (let i = 1; i < snapped.length; i++) expect(snapped[i]!.from).toEqual(snapped[i - 1]!.to);
        expect(snapped[0]!.from).toEqual(fraction(0, 1));
        expect(snapped[snapped.length - 1]!.to).toEqual(fraction(1, 1));
        for (let count = 0; count <= total * 3; count++) {
          const shares = segs.map((s) => shareWithin(count, total, s));
          expect(shares.reduce((a, b) => a + b, 0)).toBe(count);
          if (count <= total) segs.forEach((s, i) => expect(shares[i]!).toBeLessThanOrEqual(shareOf(total, s)));
        }
      }
    }
  });
});

describe("parse, format, subSegment", () => {
  test("round trip", () => {
    const s = parseSegment("1/4:0.5");
    expect(s).toEqual({ from: fraction(1, 4), to: fraction(1, 2) });
    expect(formatSegment(s as Segment)).toBe("1/4:1/2");
    expect("error" in (parseSegment("1:0") as object)).toBe(true);
  });
  test("subSegment of a partition partitions the outer segment", () => {
    const outer = partition(1, 3);
    expect(subSegment(outer, WHOLE)).toEqual(outer);
    expect(subSegment(outer, partition(0, 2))).toEqual({ from: fraction(1, 3), to: fraction(1, 2) });
  });
});
