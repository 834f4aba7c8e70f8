// Hand-made encoded histograms for the trust-boundary tests of the delta checks: our HDR V2 layout
// with a payload that reaches past the value range or counts too much in a bucket, and a
// compressed one that inflates to 200 MB (a zlib bomb of ~270 KB in base64).
import { deflateSync } from "node:zlib";
import { encodeHistogram } from "../../src/metrics/hdr-codec.ts";
import { newHistogram } from "../../src/metrics/hdr.ts";

/** ZigZag LEB128 as HDR V2 writes it. */
function zigzag(value: number): number[] {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  const out: number[] = [];
  for (let k = 0; k < 8; k++) {
    if (v < 128) return [...out, v];
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  return [...out, v];
}

/** A histogram of our layout whose payload skips `skip` buckets, then counts `count` in the next one. */
export function histogramAt(skip: number, count: number): string {
  const header = Buffer.from(encodeHistogram(newHistogram()), "base64").subarray(0, 40);
  const payload = Buffer.from([...zigzag(-skip), ...zigzag(count)]);
  const out = Buffer.concat([header, payload]);
  out.writeInt32BE(payload.length, 4);
  return out.toString("base64");
}

/** A compressed V2 histogram of our layout that inflates to 200 MB of zero payload. */
export function histogramBomb(): string {
  const raw = Buffer.alloc(200 * 1024 * 1024);
  Buffer.from(encodeHistogram(newHistogram()), "base64").copy(raw, 0, 0, 40);
  const z = deflateSync(raw, { level: 9 });
  const out = Buffer.alloc(8 + z.length);
  out.writeInt32BE(0x1c849304 | 0x10, 0);
  out.writeInt32BE(z.length, 4);
  z.copy(out, 8);
  return out.toString("base64");
}
