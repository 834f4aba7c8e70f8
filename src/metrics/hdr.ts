// The one place that builds HDR histograms (integer microseconds; percentiles only after merging); hdr-codec.ts encodes them.
//
// Trend values are stored as integers in milli-units: a time trend's milliseconds become integer
// microseconds, any other trend's value is multiplied by 1000 too, so fractional custom values
// keep three decimals. Negative values clamp to 0. Decoding therefore never needs the metric
// definition: divide by TREND_SCALE and the unit is the metric's own (ms for time trends).
import { build, type Histogram } from "hdr-histogram-js";

export type { Histogram };

/** Stored value = round(value * TREND_SCALE). */
export const TREND_SCALE = 1000;
/** Significant digits kept: values are exact to 0.1 %. */
export const SIGNIFICANT_DIGITS = 3;
/** Initial range; histograms grow (autoResize) when a larger value arrives. */
const INITIAL_HIGHEST = 1024;

/**
 * A new, empty histogram. `wide` (64-bit float counts) for long-lived cumulative histograms whose
 * per-bucket counts may pass 2^31; 32-bit counts for the per-second histograms of a worker.
 */
export function newHistogram(wide = false): Histogram {
  return build({
    useWebAssembly: false,
    bitBucketSize: wide ? 64 : 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: INITIAL_HIGHEST,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
  });
}

/** Converts a sample to the integer that is recorded. Hot path. */
export function toStored(value: number): number {
  const v = Math.round(value * TREND_SCALE);
  return v > 0 ? v : 0;
}

export function fromStored(stored: number): number {
  return stored / TREND_SCALE;
}
