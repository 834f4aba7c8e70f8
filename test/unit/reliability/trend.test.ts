// The soak script's RSS verdict (scripts/reliability/trend.ts): a least-squares slope with its
// standard error, a verdict a short or noisy soak cannot pass by luck, and the warm-up cut.
import { describe, expect, test } from "bun:test";
import { prng } from "../../../bench/lib/cluster/delta.ts";
import { afterWarmup, defaultWarmupSec, rssTrend, type Sample } from "../../../scripts/reliability/trend.ts";

/** Samples every 10 s for `minutes`, RSS = 120 MB + growth (MB/h) × t + noise of ± `noise` MB. */
function soak(minutes: number, growthMbPerHour: number, noise: number, seed = 1): Sample[] {
  const rand = prng(seed);
  return Array.from({ length: minutes * 6 + 1 }, (_, i) => ({ t: i * 10, mb: 120 + (growthMbPerHour * i * 10) / 3600 + (rand() * 2 - 1) * noise }));
}

describe("RSS trend", () => {
  test("a straight line gives its slope exactly, with no error", () => {
    const t = rssTrend([0, 600, 1200, 1800].map((s) => ({ t: s, mb: 100 + (20 * s) / 3600 })));
    expect(t.slopeMbPerHour).toBeCloseTo(20, 9);
    expect(t.seMbPerHour).toBeCloseTo(0, 9);
    expect(t.interceptMb).toBeCloseTo(100, 9);
    expect(t.verdict).toBe("growth");
  });

  test("30 minutes of flat, noisy RSS: no growth trend", () => {
    const t = rssTrend(soak(30, 0, 4));
    expect(Math.abs(t.slopeMbPerHour)).toBeLessThan(10);
    expect(t.verdict).toBe("no growth trend");
  });

  test("30 minutes of a 60 MB/h leak under the same noise: growth", () => {
    const t = rssTrend(soak(30, 60, 4));
    expect(t.slopeMbPerHour).toBeGreaterThan(50);
    expect(t.slopeMbPerHour).toBeLessThan(70);
    expect(t.verdict).toBe("growth");
  });

  test("a 2-minute soak gives a slope, never a verdict, even when it grows", () => {
    expect(rssTrend(soak(2, 600, 1)).verdict).toBe("inconclusive");
    expect(rssTrend(soak(2, 0, 1)).verdict).toBe("inconclusive");
  });

  test("noise that hides a slow leak is inconclusive, not a pass", () => {
    expect(rssTrend(soak(12, 12, 40)).verdict).toBe("inconclusive");
  });

  test("fewer than two samples, or all at one time, are inconclusive", () => {
    expect(rssTrend([]).verdict).toBe("inconclusive");
    expect(rssTrend([{ t: 5, mb: 100 }]).verdict).toBe("inconclusive");
    expect(rssTrend([{ t: 5, mb: 100 }, { t: 5, mb: 110 }]).verdict).toBe("inconclusive");
  });

  test("the warm-up and samples of a process not yet running are left out", () => {
    const samples = [{ t: 0, mb: 0 }, { t: 10, mb: 50 }, { t: 400, mb: 90 }, { t: 410, mb: 0 }, { t: 420, mb: 91 }];
    expect(afterWarmup(samples, defaultWarmupSec(1800))).toEqual([{ t: 400, mb: 90 }, { t: 420, mb: 91 }]);
    expect(defaultWarmupSec(120)).toBe(24);
  });
});
