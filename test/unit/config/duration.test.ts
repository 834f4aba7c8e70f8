import { describe, expect, test } from "bun:test";
import { formatDuration, MAX_DURATION_MS, parseDuration } from "../../../src/config/duration.ts";

describe("parseDuration", () => {
  test.each([
    ["30s", 30_000],
    ["5m", 300_000],
    ["1h30m", 5_400_000],
    ["100ms", 100],
    ["1.5s", 1_500],
    ["2m30s500ms", 150_500],
    ["1d", 86_400_000],
    ["0", 0],
    [" 10s ", 10_000],
    [250, 250],
    [0, 0],
  ] as const)("%p → %p ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  test.each(["", "10", "10 s", "s", "1x", "-5s", "5s garbage", "1.s"])("%p is an error", (input) => {
    const result = parseDuration(input);
    expect(typeof result).toBe("object");
  });

  test("errors say what to write", () => {
    expect(parseDuration("10")).toEqual({ error: expect.stringContaining('add a unit, e.g. "10ms" or "10s"') });
    expect(parseDuration(-1)).toEqual({ error: expect.stringContaining("non-negative") });
    expect(parseDuration(true)).toEqual({ error: expect.stringContaining("expected a duration") });
  });

  test("a week is the longest duration; past it (or past what a number can hold) is an error", () => {
    expect(parseDuration("7d")).toBe(MAX_DURATION_MS);
    expect(parseDuration(MAX_DURATION_MS)).toBe(MAX_DURATION_MS);
    expect(parseDuration("7d1ms")).toEqual({ error: 'duration "7d1ms" is longer than the maximum of 7d (604800000 ms)' });
    expect(parseDuration(1e300)).toEqual({ error: "duration 1e+300 is longer than the maximum of 7d (604800000 ms)" });
    expect(parseDuration(`${"9".repeat(400)}d`)).toEqual({ error: expect.stringContaining("longer than the maximum of 7d") });
  });

  test("formatDuration writes durations back", () => {
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(3_600_000)).toBe("1h");
  });
});
