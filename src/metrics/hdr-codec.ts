// Encodes and decodes trend histograms for metric deltas, in the HDR V2 format (readable by any
// HdrHistogram implementation). Encoding writes the uncompressed V2 form: a worker encodes every
// trend once a second on the thread that also times responses, and a deflate per histogram took
// long enough to show in p99; the coordination stream gzips whole messages anyway. Decoding also
// accepts the compressed V2 form.
//
// Merging reads the payload as (bucket index, count) pairs and records only those: a per-second
// delta fills a few dozen of its ~4,000 buckets, and decoding into a full histogram then adding it
// (hdr-histogram-js's way) scans every bucket twice. This is the controller's merge path (200
// agents × 40 trends a second) and the main thread's.
//
// Decoding is bounded (an encoded histogram may come from an agent on the network): a compressed
// payload inflates to at most MAX_INFLATED_BYTES, and a histogram of another layout is handed to
// the library only when its header asks for a range and precision no larger than ours (the
// library sizes its arrays from the header).
import { inflateSync } from "node:zlib";
import { decodeFromCompressedBase64, type Histogram } from "hdr-histogram-js";
import { SIGNIFICANT_DIGITS, newHistogram } from "./hdr.ts";

const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;
const V2_COOKIE_BASE = 0x1c849303;
/** The word-size nibble of the cookie: LEB128-64b9B with zero-run encoding. */
const V2_COOKIE = V2_COOKIE_BASE | 0x10;
/** cookie, payload length, normalizing offset, significant digits, lowest (8), highest (8), ratio (8). */
const V2_HEADER_BYTES = 40;
/**
 * The largest stored trend value a histogram keeps exactly (a double's integer range; bucket
 * arithmetic beyond it goes wrong). metrics/delta-check.ts refuses deltas with larger values.
 */
export const MAX_TREND_STORED = Number.MAX_SAFE_INTEGER;
/** A full histogram of ours spans ~45k buckets of at most 9 bytes each: 1 MiB is ample. */
const MAX_INFLATED_BYTES = 1024 * 1024;

/** The bucket index of a stored value in our layout (newHistogram's). */
export function trendIndexOf(stored: number): number {
  return (newHistogram() as unknown as { countsArrayIndex(value: number): number }).countsArrayIndex(stored);
}

/** Inflates a compressed V2 payload, at most MAX_INFLATED_BYTES (throws past that). */
function inflateBounded(bytes: Buffer): Buffer {
  return inflateSync(bytes.subarray(8, 8 + Math.max(0, bytes.readInt32BE(4))), { maxOutputLength: MAX_INFLATED_BYTES });
}

export interface SparseDelta {
  /** Bucket indexes with a non-zero count, ascending. */
  indexes: number[];
  counts: number[];
  totalCount: number;
}

/** Decodes a compressed base64 V2 histogram into its non-zero buckets; undefined if its layout differs from ours. */
export function decodeSparse(base64: string): SparseDelta | undefined {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length < 8) return undefined;
  let raw: Buffer;
  const cookie = bytes.readInt32BE(0) & ~0xf0;
  if (cookie === V2_COOKIE_BASE) {
    raw = bytes;
  } else if (cookie === V2_COMPRESSED_COOKIE_BASE) {
    raw = inflateBounded(bytes);
    if (raw.length < V2_HEADER_BYTES || (raw.readInt32BE(0) & ~0xf0) !== V2_COOKIE_BASE) return undefined;
  } else {
    return undefined;
  }
  if (raw.length < V2_HEADER_BYTES) return undefined;
  const payloadLength = raw.readInt32BE(4);
  const digits = raw.readInt32BE(12);
  const lowest = raw.readInt32BE(16) * 2 ** 32 + raw.readUInt32BE(20);
  if (digits !== SIGNIFICANT_DIGITS || lowest !== 1) return undefined;

  const indexes: number[] = [];
  const counts: number[] = [];
  let totalCount = 0;
  let index = 0;
  let pos = V2_HEADER_BYTES;
  const end = Math.min(raw.length, V2_HEADER_BYTES + payloadLength);
  while (pos < end) {
    // ZigZag LEB128-64b9B: 7 bits a byte for 8 bytes, all 8 bits of a 9th.
    let value = 0;
    let scale = 1;
    for (let k = 0; k < 9; k++) {
      const b = raw[pos++]!;
      if (k === 8) {
        value += b * scale;
        break;
      }
      value += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) break;
    }
    const decoded = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (decoded < 0) {
      index += -decoded;
    } else {
      if (decoded > 0) {
        indexes.push(index);
        counts.push(decoded);
        totalCount += decoded;
      }
      index++;
    }
  }
  return { indexes, counts, totalCount };
}

/** JsHistogram methods the typings leave out. */
interface Internals {
  valueFromIndex(index: number): number;
  highestEquivalentValue(value: number): number;
  updatedMaxValue(value: number): void;
}

/** An encoded delta histogram read and ready to add: its non-zero buckets, or (another layout) a decoded histogram. */
export type DecodedDelta = { sparse: SparseDelta } | { histogram: Histogram };

/** Reads an encoded delta histogram; throws on a payload that is not an HDR histogram, or one too large to decode. */
export function decodeDelta(base64: string): DecodedDelta {
  const sparse = decodeSparse(base64);
  if (sparse !== undefined) return { sparse };
  // Another histogram layout (not one of ours): the library decodes it, if its header is within bounds.
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length < 8 || (bytes.readInt32BE(0) & ~0xf0) !== V2_COMPRESSED_COOKIE_BASE) throw new Error("not a compressed HDR V2 histogram");
  const raw = inflateBounded(bytes);
  if (raw.length < V2_HEADER_BYTES) throw new Error("truncated HDR header");
  const digits = raw.readInt32BE(12);
  const lowest = raw.readInt32BE(16) * 2 ** 32 + raw.readUInt32BE(20);
  const highest = raw.readInt32BE(24) * 2 ** 32 + raw.readUInt32BE(28);
  if (!(digits >= 0 && digits <= SIGNIFICANT_DIGITS) || !(lowest >= 1) || !(highest >= 2 * lowest) || !(highest <= MAX_TREND_STORED)) {
    throw new Error("an HDR layout with a larger range or precision than loadr's");
  }
  return { histogram: decodeFromCompressedBase64(base64, 32, false) };
}

/**
 * Adds a decoded delta to every target histogram (all built by `newHistogram`, so bucket index i
 * means the same value range in each). Returns the number of samples added.
 */
export function addDecoded(decoded: DecodedDelta, targets: readonly Histogram[]): number {
  if ("histogram" in decoded) {
    for (const target of targets) target.add(decoded.histogram);
    return decoded.histogram.totalCount;
  }
  const { sparse } = decoded;
  if (sparse.totalCount === 0) return 0;
  const last = sparse.indexes.length - 1;
  for (const target of targets) {
    const t = target as unknown as Internals;
    for (let i = 0; i <= last; i++) target.recordValueWithCount(t.valueFromIndex(sparse.indexes[i]!), sparse.counts[i]!);
    // As a decoded histogram would: its max is the top of its highest bucket, not the bottom.
    const top = t.highestEquivalentValue(t.valueFromIndex(sparse.indexes[last]!));
    if (top > target.maxValue) t.updatedMaxValue(top);
  }
  return sparse.totalCount;
}

/** Adds the encoded delta to every target histogram (`decodeDelta` then `addDecoded`). */
export function mergeEncoded(base64: string, targets: readonly Histogram[]): number {
  return addDecoded(decodeDelta(base64), targets);
}

/** The histogram as base64 of its uncompressed HDR V2 encoding. */
export function encodeHistogram(h: Histogram): string {
  const t = h as unknown as Internals & { countsArrayIndex(value: number): number; getCountAtIndex(index: number): number };
  const limit = h.totalCount > 0 ? t.countsArrayIndex(h.maxValue) + 1 : 0;
  const out = Buffer.allocUnsafe(V2_HEADER_BYTES + Math.max(1, limit) * 9);
  out.writeInt32BE(V2_COOKIE, 0);
  out.writeInt32BE(1, 8); // normalizing index offset, as hdr-histogram-js writes it
  out.writeInt32BE(h.numberOfSignificantValueDigits, 12);
  writeInt64(out, 16, (h as unknown as { lowestDiscernibleValue: number }).lowestDiscernibleValue);
  writeInt64(out, 24, h.highestTrackableValue);
  writeInt64(out, 32, 1); // integer-to-double conversion ratio
  let pos = V2_HEADER_BYTES;
  for (let i = 0; i < limit; ) {
    const count = t.getCountAtIndex(i++);
    if (count === 0) {
      let zeros = 1;
      while (i < limit && t.getCountAtIndex(i) === 0) {
        zeros++;
        i++;
      }
      pos = writeZigZag(out, pos, zeros > 1 ? -zeros : 0);
    } else {
      pos = writeZigZag(out, pos, count);
    }
  }
  out.writeInt32BE(pos - V2_HEADER_BYTES, 4);
  return out.toString("base64", 0, pos);
}

/** A full histogram from an encoded one (tests, tools; the merge path uses `mergeEncoded`). */
export function decodeHistogram(base64: string): Histogram {
  const h = newHistogram(true);
  mergeEncoded(base64, [h]);
  return h;
}

function writeInt64(out: Buffer, at: number, value: number): void {
  out.writeInt32BE(Math.floor(value / 2 ** 32), at);
  out.writeUInt32BE(value % 2 ** 32, at + 4);
}

/** ZigZag LEB128-64b9B, as hdr-histogram-js and HdrHistogram write it. Returns the new position. */
function writeZigZag(out: Buffer, pos: number, value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  for (let k = 0; k < 8; k++) {
    if (v < 128) {
      out[pos++] = v;
      return pos;
    }
    out[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[pos++] = v;
  return pos;
}
