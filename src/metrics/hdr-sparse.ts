// Merges an encoded histogram delta into histograms without materializing it. A per-second delta
// fills a few dozen of its ~4,000 buckets; decoding it into a full histogram and adding that
// (hdr-histogram-js's way) scans every bucket twice. Here the V2 payload is read as
// (bucket index, count) pairs and only those are recorded. Used by the aggregator on the
// controller's and the main thread's merge path (not a VU hot path, but 200 agents × 40 trends a
// second). Falls back to the library's decoder for histograms of another configuration.
import { inflateSync } from "node:zlib";
import { SIGNIFICANT_DIGITS, decodeHistogram, type Histogram } from "./hdr.ts";

const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;
const V2_COOKIE_BASE = 0x1c849303;
/** cookie, payload length, normalizing offset, significant digits, lowest (8), highest (8), ratio (8). */
const V2_HEADER_BYTES = 40;

export interface SparseDelta {
  /** Bucket indexes with a non-zero count, ascending. */
  indexes: number[];
  counts: number[];
  totalCount: number;
}

/** Decodes a compressed base64 V2 histogram into its non-zero buckets; undefined if its layout differs from ours. */
export function decodeSparse(base64: string): SparseDelta | undefined {
  const wrapped = Buffer.from(base64, "base64");
  if (wrapped.length < 8 || (wrapped.readInt32BE(0) & ~0xf0) !== V2_COMPRESSED_COOKIE_BASE) return undefined;
  const compressedLength = wrapped.readInt32BE(4);
  const raw = inflateSync(wrapped.subarray(8, 8 + compressedLength));
  if (raw.length < V2_HEADER_BYTES || (raw.readInt32BE(0) & ~0xf0) !== V2_COOKIE_BASE) return undefined;
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

/**
 * Adds the encoded delta to every target histogram (all built by `newHistogram`, so bucket index
 * i means the same value range in each). Returns the number of samples added.
 */
export function mergeEncoded(base64: string, targets: readonly Histogram[]): number {
  const sparse = decodeSparse(base64);
  if (sparse === undefined) {
    const h = decodeHistogram(base64);
    for (const target of targets) target.add(h);
    return h.totalCount;
  }
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
