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

/**
 * The fields of hdr-histogram-js 3.0.1's JsHistogram/TypedArrayHistogram (package.json pins the
 * version) that `recordStored` reads and writes. test/unit/metrics/hdr-record.test.ts holds
 * `recordStored` to `recordValue` on the same values, so an upgrade that changes them fails there.
 */
interface HistogramInternals {
  readonly subBucketHalfCountMagnitude: number;
  readonly subBucketHalfCount: number;
  readonly unitMagnitude: number;
  readonly countsArrayLength: number;
  readonly maxValue: number;
  readonly minNonZeroValue: number;
  _totalCount: number;
  incrementCountAtIndex(index: number): void;
  updatedMaxValue(value: number): void;
  updateMinNonZeroValue(value: number): void;
}

/** Below this, a stored value's bucket is found with integer arithmetic (Math.clz32, shifts). */
const INTEGER_PATH_LIMIT = 2 ** 31;

/**
 * Records one stored value (a non-negative integer: toStored's result): exactly what `hist.recordValue(stored)` records,
 * with the bucket index computed by integer arithmetic instead of the library's Math.log2 and
 * Math.pow (hot path: seven trend samples per HTTP request). Values outside the histogram's
 * current range, and values from 2^31 µs (~36 minutes) up, go through `recordValue` (which resizes).
 */
export function recordStored(hist: Histogram, stored: number): void {
  const h = hist as unknown as HistogramInternals;
  if (stored >= 0 && stored < INTEGER_PATH_LIMIT) {
    const unit = h.unitMagnitude;
    const halfMagnitude = h.subBucketHalfCountMagnitude;
    const bucketIndex = Math.max(31 - Math.clz32(stored) - halfMagnitude - unit, 0);
    const subBucketIndex = stored >>> (bucketIndex + unit);
    const index = ((bucketIndex + 1) << halfMagnitude) + subBucketIndex - h.subBucketHalfCount;
    if (index < h.countsArrayLength) {
      h.incrementCountAtIndex(index);
      if (stored > h.maxValue) h.updatedMaxValue(stored);
      if (stored < h.minNonZeroValue && stored !== 0) h.updateMinNonZeroValue(stored);
      h._totalCount++;
      return;
    }
  }
  hist.recordValue(stored);
}
