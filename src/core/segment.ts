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

/** Whether the k-th (0-based) unit of an evenly striped sequence belongs to this segment. */
export function ownsIndex(k: number, segment: Segment): boolean {
  return shareOf(k + 1, segment) > shareOf(k, segment);
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
