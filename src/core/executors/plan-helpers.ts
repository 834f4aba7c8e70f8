// Pure helpers for executor plans: a segment's VUs, and the shares of counts laid over them.
import type { Segment } from "../segment.ts";
import { offsetOf, shareOf, shareWithin } from "../segment.ts";
import type { PlanVus } from "./types.ts";

/**
 * The VUs of a segment when the scenario needs at most `maximum` VUs: ids offset+1 … offset+max.
 * `initial` is how many to create up front: a count laid over the same grid (`shareWithin`), so
 * it sums exactly over a partition and never exceeds `max`.
 */
export function planVus(maximum: number, segment: Segment, initialOfWhole = maximum): PlanVus {
  const total = Math.max(0, Math.floor(maximum));
  return {
    offset: offsetOf(total, segment),
    max: shareOf(total, segment),
    initial: shareWithin(Math.min(Math.max(0, Math.floor(initialOfWhole)), total), total, segment),
  };
}
