import { describe, expect, test } from "bun:test";
import { RateCursor, constantProfile, rampingProfile, totalArrivals } from "../../../src/core/executors/rate-profile.ts";

const S = 1000;

describe("rate profile", () => {
  test("low rates are exact: 1/s, 0.5/s, 7 per minute", () => {
    expect(totalArrivals(constantProfile(1, S, 10 * S))).toBe(10);
    expect(totalArrivals(constantProfile(0.5, S, 10 * S))).toBe(5);
    expect(totalArrivals(constantProfile(7, 60 * S, 60 * S))).toBe(7);
    expect(totalArrivals(constantProfile(0, S, 60 * S))).toBe(0);
  });

  test("due(t) counts arrivals scheduled at or before t, scheduledAt(k) inverts it", () => {
    const profile = rampingProfile(0, S, [
      { duration: 10 * S, target: 10 },
      { duration: 5 * S, target: 0 },
      { duration: 5 * S, target: 0 },
      { duration: 10 * S, target: 4 },
    ]);
    const total = totalArrivals(profile);
    expect(total).toBe(50 + 25 + 0 + 20);
    const times = Array.from({ length: total }, (_, k) => new RateCursor(profile).scheduledAt(k));
    for (let k = 1; k < total; k++) expect(times[k]!).toBeGreaterThanOrEqual(times[k - 1]!);
    const cursor = new RateCursor(profile);
    for (let t = 0; t <= 31 * S; t += 7) {
      expect(cursor.due(t)).toBe(times.filter((at) => at <= t + 1e-9).length);
    }
  });

  test("a zero-rate plateau holds the next arrival until the rate rises again", () => {
    const profile = rampingProfile(10, S, [
      { duration: 1 * S, target: 10 },
      { duration: 0, target: 0 },
      { duration: 5 * S, target: 0 },
      { duration: 0, target: 10 },
      { duration: 1 * S, target: 10 },
    ]);
    const cursor = new RateCursor(profile);
    expect(cursor.due(999)).toBe(10);
    expect(cursor.due(3 * S)).toBe(10);
    expect(cursor.scheduledAt(10)).toBe(6 * S);
    expect(cursor.due(6 * S)).toBe(11);
    expect(cursor.total).toBe(20);
  });
});
