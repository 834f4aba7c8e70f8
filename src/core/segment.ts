// Execution segments: a share [from, to) of a scenario's work, as in k6's --execution-segment.
// Shares are computed with floor differences, so over any partition of [0, 1) they add up to the
// whole exactly: no VU, iteration or arrival is lost or doubled. Pure functions, no I/O.

export interface Fraction {
  num: number;
  den: number;
}

export interface Segment {
  from: Fraction;
  to: Fraction;
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

export function fraction(num: number, den: number): Fraction {
  if (!Number.isInteger(num) || !Number.isInteger(den) || den <= 0) throw new Error(`invalid fraction ${num}/${den}`);
  const g = gcd(num, den);
  return { num: num / g, den: den / g };
}

export const WHOLE: Segment = { from: { num: 0, den: 1 }, to: { num: 1, den: 1 } };

/** Partition `index` (0-based) of `count` equal parts. */
export function partition(index: number, count: number): Segment {
  if (!(count >= 1) || !(index >= 0 && index < count)) throw new Error(`invalid partition ${index}/${count}`);
  return { from: fraction(index, count), to: fraction(index + 1, count) };
}

/** `inner` taken within `outer`, e.g. a worker's share of an agent's share. */
export function subSegment(outer: Segment, inner: Segment): Segment {
  const length = sub(outer.to, outer.from);
  return { from: add(outer.from, mul(length, inner.from)), to: add(outer.from, mul(length, inner.to)) };
}

/** floor(total × f), exact for integer totals (BigInt avoids overflow of total × num). */
export function floorOf(total: number, f: Fraction): number {
  if (Number.isInteger(total)) return Number((BigInt(total) * BigInt(f.num)) / BigInt(f.den));
  return Math.floor((total * f.num) / f.den);
}

/** This segment's share of an integer total (VUs, iterations): the shares of a partition sum to `total`. */
export function shareOf(total: number, segment: Segment): number {
  return floorOf(total, segment.to) - floorOf(total, segment.from);
}

/** Index of this segment's first unit of an integer total: its units are [offset, offset + share). */
export function offsetOf(total: number, segment: Segment): number {
  return floorOf(total, segment.from);
}

/**
 * Whether the k-th (0-based) unit of an open-ended sequence (arrivals) belongs to this segment.
 * Unit k sits at the point x_k = bitReverse32(k mod 2^32) / 2^32 of [0, 1) (the base-2 van der
 * Corput sequence) and belongs to the segment containing that point. So over ANY partition every
 * unit has exactly one owner (floor-difference shares are not monotone in the total, so they
 * cannot be used for a stream), partitions into 2^j equal parts are perfect round-robins, and any
 * segment owns length × N ± O(log N) of the first N units. Hot loops: use `indexOwner`.
 */
export function ownsIndex(k: number, segment: Segment): boolean {
  return indexOwner(segment)(k);
}

const POINTS = 2 ** 32;

/** The owned range [lo, hi) of 32-bit points of a segment: lo = ceil(from × 2^32). */
function pointRange(segment: Segment): [number, number] {
  const ceilPoint = (f: Fraction) => Number((BigInt(f.num) * BigInt(POINTS) + BigInt(f.den) - 1n) / BigInt(f.den));
  return [ceilPoint(segment.from), ceilPoint(segment.to)];
}

/** Reverses the 32 bits of an unsigned 32-bit integer. */
export function bitReverse32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) >>> 0;
}

/** A fast `ownsIndex` for one segment (a few integer operations per call; k any safe integer >= 0). */
export function indexOwner(segment: Segment): (k: number) => boolean {
  const [lo, hi] = pointRange(segment);
  return (k) => {
    const x = bitReverse32(k % POINTS);
    return x >= lo && x < hi;
  };
}

/** How many of the units 0 … n-1 this segment owns (as `ownsIndex`), in O(32): sums over a partition to n. */
export function ownedBelow(n: number, segment: Segment): number {
  const [lo, hi] = pointRange(segment);
  return pointsBelow(n, hi, 32) - pointsBelow(n, lo, 32);
}

/** #{k < n : bitReverse_bits(k mod 2^bits) < t}: recursion on k's lowest bit (its point's top bit). */
function pointsBelow(n: number, t: number, bits: number): number {
  const period = 2 ** bits;
  if (n <= 0 || t <= 0) return 0;
  if (t >= period) return n;
  const whole = Math.floor(n / period) * t;
  n %= period;
  const half = period / 2;
  // k = 2j + b with j < n_b; the point is b × half + bitReverse_{bits-1}(j).
  const evens = Math.ceil(n / 2);
  const odds = Math.floor(n / 2);
  const rest = t <= half ? pointsBelow(evens, t, bits - 1) : evens + pointsBelow(odds, t - half, bits - 1);
  return whole + rest;
}

/**
 * The segment snapped to the grid of `total` units (e.g. an executor's maximum VUs): the segment
 * [offset / total, (offset + share) / total) of exactly the units it owns. Shares of smaller counts
 * taken within it (`shareWithin`) never exceed its share of `total`, and a segment that owns no
 * unit of `total` owns nothing of anything scaled by it. Snapped segments of a partition are a
 * partition. `total` must be a positive integer.
 */
export function snapSegment(total: number, segment: Segment): Segment {
  const start = offsetOf(total, segment);
  return { from: fraction(start, total), to: fraction(start + shareOf(total, segment), total) };
}

/**
 * This segment's share of `count` units laid over the `total`-unit grid (count <= total):
 * floor(count × end / total) - floor(count × start / total), where [start, end) are the units of
 * `total` it owns. Sums over a partition to `count`; at most `shareOf(total, segment)`.
 */
export function shareWithin(count: number, total: number, segment: Segment): number {
  if (total <= 0) return 0;
  return shareOf(count, snapSegment(total, segment));
}

/** Length of the segment as a number in [0, 1] (for scaling rates). */
export function lengthOf(segment: Segment): number {
  const l = sub(segment.to, segment.from);
  return l.num / l.den;
}

/** Parses `"1/4:1/2"`, `"0.25:0.5"` or `"0:1/3"`. */
export function parseSegment(text: string): Segment | { error: string } {
  const parts = text.split(":");
  const parsed = parts.map(parseFraction);
  const [from, to] = parsed;
  if (parts.length !== 2 || !from || !to) {
    return { error: `execution segment "${text}" must look like "0:1/4" or "0.25:0.5" (from:to, fractions of 1)` };
  }
  if (compareFractions(from, to) >= 0 || from.num < 0 || compareFractions(to, { num: 1, den: 1 }) > 0) {
    return { error: `execution segment "${text}" must satisfy 0 <= from < to <= 1` };
  }
  return { from, to };
}

export function formatSegment(segment: Segment): string {
  const f = (x: Fraction) => (x.den === 1 ? `${x.num}` : `${x.num}/${x.den}`);
  return `${f(segment.from)}:${f(segment.to)}`;
}

function parseFraction(text: string): Fraction | undefined {
  const t = text.trim();
  const ratio = /^(\d+)\/(\d+)$/.exec(t);
  if (ratio) return Number(ratio[2]) > 0 ? fraction(Number(ratio[1]), Number(ratio[2])) : undefined;
  const decimal = /^(\d+)(?:\.(\d+))?$/.exec(t);
  if (!decimal) return undefined;
  const digits = decimal[2] ?? "";
  return fraction(Number(`${decimal[1]}${digits}`), 10 ** digits.length);
}

function add(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.den + b.num * a.den, a.den * b.den);
}
function sub(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.den - b.num * a.den, a.den * b.den);
}
function mul(a: Fraction, b: Fraction): Fraction {
  return fraction(a.num * b.num, a.den * b.den);
}
function compareFractions(a: Fraction, b: Fraction): number {
  return a.num * b.den - b.num * a.den;
}
