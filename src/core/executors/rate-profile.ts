// The arrival-rate function of a scenario: piecewise linear in time (k6's stages interpolate the
// rate linearly), with its integral A(t) = arrivals due by t. Pure and deterministic: every
// segment computes the same global arrival sequence, so their owned arrivals sum exactly.
//
// Arrival k (0-based) is scheduled at t_k = inf{ t : A(t) > k } (at a constant rate the first is
// at t = 0; a zero-rate start delays it), and the scenario has ceil(A(duration)) arrivals. Integrals are summed as integers (rate × ms) and divided
// by timeUnit once, so 1/s for 10 s is exactly 10 arrivals, 7 per minute for 1 min exactly 7.
import type { Stage } from "../../config/plan.ts";

export interface RatePiece {
  startMs: number;
  durationMs: number;
  /** Rate (arrivals per timeUnit) at the start and end of the piece. */
  from: number;
  to: number;
  /** 2 × timeUnit × A(startMs): the integral so far, scaled so it stays exact for integer inputs. */
  area2: number;
}

export interface RateProfile {
  timeUnit: number;
  pieces: RatePiece[];
  durationMs: number;
}

/** A constant rate for `durationMs`. */
export function constantProfile(rate: number, timeUnit: number, durationMs: number): RateProfile {
  return rampingProfile(rate, timeUnit, [{ duration: durationMs, target: rate }]);
}

/** Starts at `startRate`; each stage moves linearly to its target over its duration. */
export function rampingProfile(startRate: number, timeUnit: number, stages: readonly Stage[]): RateProfile {
  const pieces: RatePiece[] = [];
  let at = 0;
  let rate = startRate;
  let area2 = 0;
  for (const stage of stages) {
    if (stage.duration > 0) {
      pieces.push({ startMs: at, durationMs: stage.duration, from: rate, to: stage.target, area2 });
      area2 += (rate + stage.target) * stage.duration;
    }
    at += Math.max(0, stage.duration);
    rate = stage.target;
  }
  return { timeUnit, pieces, durationMs: at };
}

/** Arrivals of the whole profile: ceil(A(duration)). */
export function totalArrivals(profile: RateProfile): number {
  const last = profile.pieces[profile.pieces.length - 1];
  if (!last || !(profile.timeUnit > 0)) return 0;
  const area2 = last.area2 + (last.from + last.to) * last.durationMs;
  return Math.max(0, Math.ceil(area2 / (2 * profile.timeUnit)));
}

/**
 * Walks a profile forward in time (t and k must not decrease between calls): `due(t)` is how
 * many arrivals are due by t, `scheduledAt(k)` is t_k. O(1) amortized per call.
 */
export class RateCursor {
  private dueIndex = 0;
  private atIndex = 0;
  readonly total: number;

  constructor(private readonly profile: RateProfile) {
    this.total = totalArrivals(profile);
  }

  /** Arrivals due by timeline time t: #{ k : t_k <= t }, at most total. */
  due(t: number): number {
    if (this.total === 0) return 0;
    const pieces = this.profile.pieces;
    while (this.dueIndex < pieces.length - 1 && t >= pieces[this.dueIndex + 1]!.startMs) this.dueIndex++;
    const p = pieces[this.dueIndex]!;
    const s = Math.min(Math.max(0, t - p.startMs), p.durationMs);
    const area2 = p.area2 + 2 * p.from * s + ((p.to - p.from) * s * s) / p.durationMs;
    const x = area2 / (2 * this.profile.timeUnit);
    const whole = Math.floor(x);
    // At an exact integer level k, arrival k is due now only if the rate is positive from here on.
    const rising = s < p.durationMs && (p.from + ((p.to - p.from) * s) / p.durationMs > 0 || p.to > p.from);
    const n = whole === x ? whole + (rising ? 1 : 0) : whole + 1;
    return Math.min(this.total, n);
  }

  /** Timeline time t_k of arrival k (k < total). */
  scheduledAt(k: number): number {
    const pieces = this.profile.pieces;
    const target2 = 2 * k * this.profile.timeUnit;
    for (;;) {
      const p = pieces[this.atIndex]!;
      const end2 = p.area2 + (p.from + p.to) * p.durationMs;
      if (end2 > target2 || this.atIndex === pieces.length - 1) return p.startMs + offsetInPiece(p, (target2 - p.area2) / 2);
      this.atIndex++;
    }
  }
}

/** Smallest s in [0, d] with from·s + (to − from)·s²/(2d) = delta (rate·ms units); stable form. */
function offsetInPiece(p: RatePiece, delta: number): number {
  if (delta <= 0) return 0;
  const slope = (p.to - p.from) / p.durationMs;
  const root = Math.sqrt(Math.max(0, p.from * p.from + 2 * slope * delta));
  const denominator = p.from + root;
  if (denominator <= 0) return p.durationMs;
  return Math.min(p.durationMs, (2 * delta) / denominator);
}
