import { describe, expect, test } from "bun:test";
import { formatDuration, parseDuration } from "../../../src/config/duration.ts";

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

  test("formatDuration writes durations back", () => {
    expect(formatDuration(250)).toBe("250ms");
    expect(formatDuration(1500)).toBe("1.5s");
    expect(formatDuration(90_000)).toBe("1m30s");
    expect(formatDuration(3_600_000)).toBe("1h");
  });
});
