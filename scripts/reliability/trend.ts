// The soak script's memory verdict: a least-squares line through (time, RSS) samples, its slope
// in MB per hour with the slope's standard error, and a verdict that a short or noisy soak
// cannot pass by luck. Pure.
//
// "growth": the slope's 95 % interval (slope ± 2 SE) lies wholly above the tolerance;
// "no growth trend": it lies wholly below; "inconclusive": it straddles the tolerance, or the
// samples span less than MIN_SPAN_SEC (a runtime's heap still settles for minutes: a short soak
// measures its warm-up, not a leak). Run longer.

/** Growth this slow is noise for a load generator (240 MB a day at most). */
export const TOLERANCE_MB_PER_HOUR = 10;
/** Samples spanning less than this give a slope, never a verdict. */
export const MIN_SPAN_SEC = 600;

export interface Sample {
  /** Seconds since the start. */
  t: number;
  mb: number;
}

export interface Trend {
  n: number;
  slopeMbPerHour: number;
  /** Standard error of the slope (MB/h); Infinity with fewer than 3 samples. */
  seMbPerHour: number;
  interceptMb: number;
  /** Seconds between the first and the last sample. */
  spanSec: number;
  verdict: "no growth trend" | "growth" | "inconclusive";
}

export function rssTrend(samples: readonly Sample[], toleranceMbPerHour = TOLERANCE_MB_PER_HOUR, minSpanSec = MIN_SPAN_SEC): Trend {
  const n = samples.length;
  const spanSec = n > 0 ? samples[n - 1]!.t - samples[0]!.t : 0;
  if (n < 2) return { n, slopeMbPerHour: 0, seMbPerHour: Infinity, interceptMb: samples[0]?.mb ?? 0, spanSec, verdict: "inconclusive" };
  const hours = samples.map((s) => s.t / 3600);
  const mx = hours.reduce((a, b) => a + b, 0) / n;
  const my = samples.reduce((a, s) => a + s.mb, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (hours[i]! - mx) ** 2;
    sxy += (hours[i]! - mx) * (samples[i]!.mb - my);
  }
  if (sxx === 0) return { n, slopeMbPerHour: 0, seMbPerHour: Infinity, interceptMb: my, spanSec, verdict: "inconclusive" };
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (samples[i]!.mb - (intercept + slope * hours[i]!)) ** 2;
  const se = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : Infinity;
  const low = slope - 2 * se;
  const high = slope + 2 * se;
  const verdict = spanSec < minSpanSec ? "inconclusive" : low > toleranceMbPerHour ? "growth" : high < toleranceMbPerHour ? "no growth trend" : "inconclusive";
  return { n, slopeMbPerHour: slope, seMbPerHour: se, interceptMb: intercept, spanSec, verdict };
}

/** Samples of a running process after the warm-up (the runtime's heap and pools fill in the first part of a run). */
export function afterWarmup(samples: readonly Sample[], warmupSec: number): Sample[] {
  return samples.filter((s) => s.t >= warmupSec && s.mb > 0);
}

/** The default warm-up: a fifth of the run, at most 5 minutes. */
export function defaultWarmupSec(runSec: number): number {
  return Math.min(300, runSec / 5);
}
