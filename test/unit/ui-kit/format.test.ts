// The ui-kit's number formatting: what a table cell or an axis label reads.
import { describe, expect, test } from "bun:test";
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate, formatValue } from "../../../src/ui-kit/format.ts";

describe("ui-kit format", () => {
  test("durations pick µs, ms, s, then minutes and hours", () => {
    expect([0, 0.85, 0.0123, 12.34, 999.9, 1520, 125_000, 7_200_000].map(formatDuration)).toEqual([
      "0 ms", "850 µs", "12.3 µs", "12.3 ms", "1 s", "1.52 s", "2m 05s", "2h 00m",
    ]);
  });
  test("rates, counts, percentages and bytes", () => {
    expect(formatRate(1234, "req")).toBe("1,234 req/s");
    expect(formatRate(0.5)).toBe("0.5/s");
    expect(formatRate(2.5e6, "req")).toBe("2.5M req/s");
    expect(formatCount(123_456)).toBe("123k");
    expect(formatCount(12.3456)).toBe("12.3");
    expect([0.0123, 1, 0, 0.000_01].map(formatPercent)).toEqual(["1.23%", "100%", "0%", "<0.01%"]);
    expect([512, 1536, 2.13e7].map(formatBytes)).toEqual(["512 B", "1.5 KiB", "20.3 MiB"]);
  });
  test("non-finite values print as an empty cell, never NaN", () => {
    for (const unit of ["ms", "reqps", "persec", "percent", "count", "bytes", "vus"] as const) {
      expect(formatValue(Number.NaN, unit)).toBe("–");
      expect(formatValue(Number.POSITIVE_INFINITY, unit)).toBe("–");
    }
  });
});
