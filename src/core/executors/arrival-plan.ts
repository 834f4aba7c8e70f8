// The pure plan of an executor of the arrival-rate family for one segment. The VUs are shared on the grid of the
// scenario's maxVUs; the arrivals a segment owns are the global indexes striped onto the same
// segment snapped to that grid, so a segment's share of the rate follows its share of the VUs
// (a segment with no VU owns no arrival) and the shares of any partition sum to the whole.
import type { Segment } from "../segment.ts";
import { ownedBelow, snapSegment } from "../segment.ts";
import type { ArrivalRatePlan } from "./types.ts";
import type { RateProfile } from "./rate-profile.ts";
import { totalArrivals } from "./rate-profile.ts";
import { planVus } from "./plan-helpers.ts";

/** The most VUs of the whole scenario: maxVUs, at least preAllocatedVUs. */
export function arrivalsMaxVus(preAllocatedVUs: number, maxVUs: number): number {
  return Math.max(0, Math.floor(Math.max(maxVUs, preAllocatedVUs)));
}

/** PURE. `type` is the executor's name; `profile` the whole scenario's rate over time. */
export function planArrivals(
  type: string,
  profile: RateProfile,
  preAllocatedVUs: number,
  maxVUs: number,
  segment: Segment,
): ArrivalRatePlan {
  const maximum = arrivalsMaxVus(preAllocatedVUs, maxVUs);
  const total = totalArrivals(profile);
  const warnings: string[] = [];
  // With no VU at all nothing can run: every arrival is dropped, each by its striped owner.
  const arrivalSegment = maximum > 0 ? snapSegment(maximum, segment) : segment;
  const iterations = ownedBelow(total, arrivalSegment);
  if (maximum === 0 && iterations > 0) warnings.push("maxVUs is 0: every arrival will be dropped");
  return {
    type,
    segment,
    vus: planVus(maximum, segment, preAllocatedVUs),
    profile,
    totalArrivals: total,
    arrivalSegment,
    iterations,
    durationMs: profile.durationMs,
    warnings,
  };
}
