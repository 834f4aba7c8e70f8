// Metric batches an agent may send (MetricsBatch.delta, UTF-8 JSON of a MetricDelta): valid ones
// that carry a known number of requests, and bad ones of every kind a validating controller must
// reject whole (not JSON, wrong shapes, non-numbers, negative or non-finite values, undecodable or
// hostile histograms, prototype keys). Each bad kind says whether the controller handles it today
// (`ci`: rejected whole, at no great cost): the CI property sends those only, the finding property
// sends them all.
import fc from "fast-check";
import { deflateSync } from "node:zlib";
import { newHistogram, toStored } from "../../../src/metrics/hdr.ts";
import { encodeHistogram } from "../../../src/metrics/hdr-codec.ts";
import { seriesKey } from "../../../src/metrics/series.ts";

export const FUZZ_SCENARIO = "fuzz";
const REQS = seriesKey("http_reqs", { scenario: FUZZ_SCENARIO });
const DURATION = seriesKey("http_req_duration", { scenario: FUZZ_SCENARIO });

/** A valid delta of `requests` requests (http_reqs and as many http_req_duration samples). */
export function validDelta(requests: number, vus = 1): Uint8Array {
  const h = newHistogram();
  for (let i = 0; i < requests; i++) h.recordValue(toStored(1 + (i % 50)));
  const delta = { counters: { [REQS]: requests }, rates: {}, gauges: { vus, vus_max: vus }, trends: requests > 0 ? { [DURATION]: encodeHistogram(h) } : {} };
  return new TextEncoder().encode(JSON.stringify(delta));
}

const text = (s: string) => new TextEncoder().encode(s);
const deltaJson = (d: unknown) => text(JSON.stringify(d));
const histogramOf = (n: number) => {
  const h = newHistogram();
  for (let i = 0; i < n; i++) h.recordValue(toStored(5));
  return encodeHistogram(h);
};

/** A compressed-V2 HDR cookie over deflate of `bytes` zero bytes: a small payload that inflates to `bytes`. */
function hdrInflateBomb(bytes: number): string {
  const body = deflateSync(Buffer.alloc(bytes), { level: 9 });
  const head = Buffer.alloc(8);
  head.writeInt32BE(0x1c849304 | 0x10, 0);
  head.writeInt32BE(body.length, 4);
  return Buffer.concat([head, body]).toString("base64");
}

export interface BadBatch {
  kind: string;
  /** The controller rejects it whole today, at no great cost (metrics/delta-check.ts); false: a finding. */
  ci: boolean;
  bytes: Uint8Array;
}

const bad = (kind: string, ci: boolean, bytes: Uint8Array): BadBatch => ({ kind, ci, bytes });

/** Every bad kind (with `n`, a count that would show if it were merged). */
export function badBatches(n: number): BadBatch[] {
  const h = histogramOf(n);
  return [
    bad("not-json", true, text("{counters:")),
    bad("empty", true, new Uint8Array()),
    bad("binary", true, new Uint8Array([0xff, 0xfe, 0x00, 0x7b])),
    bad("json-null", true, text("null")),
    bad("json-number", true, text("42")),
    bad("json-string", true, text('"counters"')),
    bad("json-array", true, deltaJson([{ counters: { [REQS]: n } }])),
    bad("counter-string", true, deltaJson({ counters: { [REQS]: String(n) }, rates: {}, gauges: {}, trends: {} })),
    bad("counter-null", true, deltaJson({ counters: { [REQS]: null }, rates: {}, gauges: {}, trends: {} })),
    bad("counter-infinite", true, text(`{"counters":{${JSON.stringify(REQS)}:1e999},"rates":{},"gauges":{},"trends":{}}`)),
    bad("rate-short", true, deltaJson({ counters: { [REQS]: n }, rates: { [seriesKey("checks", { scenario: FUZZ_SCENARIO })]: [1] }, gauges: {}, trends: {} })),
    bad("bad-series-key", true, deltaJson({ counters: { [REQS]: n, "http_reqs{": 1 }, rates: {}, gauges: {}, trends: {} })),
    bad("trend-not-base64", true, deltaJson({ counters: { [REQS]: n }, rates: {}, gauges: {}, trends: { [DURATION]: "%%%not base64%%%" } })),
    bad("trend-truncated", true, deltaJson({ counters: { [REQS]: n }, rates: {}, gauges: {}, trends: { [DURATION]: h.slice(0, 12) } })),
    bad("type-clash", true, deltaJson({ counters: { [REQS]: n }, rates: {}, gauges: {}, trends: { [REQS]: h } })),
    bad("counters-null", false, deltaJson({ counters: null, rates: {}, gauges: {}, trends: {} })),
    bad("counters-array", false, deltaJson({ counters: [n], rates: {}, gauges: {}, trends: {} })),
    bad("counter-negative", false, deltaJson({ counters: { [REQS]: -n }, rates: {}, gauges: {}, trends: {} })),
    bad("counter-fraction", false, deltaJson({ counters: { [REQS]: n + 0.5 }, rates: {}, gauges: {}, trends: {} })),
    bad("counter-huge", false, deltaJson({ counters: { [REQS]: 1e300 }, rates: {}, gauges: {}, trends: {} })),
    bad("rate-negative", false, deltaJson({ counters: {}, rates: { [seriesKey("checks", { scenario: FUZZ_SCENARIO })]: [-n, n] }, gauges: {}, trends: {} })),
    bad("proto-key", false, text(`{"counters":{"__proto__":${n},${JSON.stringify(REQS)}:${n}},"rates":{},"gauges":{},"trends":{}}`)),
    bad("trend-inflate-bomb", false, deltaJson({ counters: { [REQS]: n }, rates: {}, gauges: {}, trends: { [DURATION]: hdrInflateBomb(64 * 1024 * 1024) } })),
    bad("gauge-vus-string", false, deltaJson({ counters: {}, rates: {}, gauges: { vus: "many", vus_max: -5 }, trends: {} })),
  ];
}

/** One agent's batch plan: valid batches (with their request counts), bad ones, duplicates of a valid one. */
export type BatchStep = { kind: "valid"; requests: number } | { kind: "bad"; index: number } | { kind: "duplicate" } | { kind: "other-run"; requests: number };

export function batchSteps(badCount: number): fc.Arbitrary<BatchStep[]> {
  return fc.array(
    fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 40 }).map((requests): BatchStep => ({ kind: "valid", requests })) },
      { weight: 3, arbitrary: fc.nat({ max: badCount - 1 }).map((index): BatchStep => ({ kind: "bad", index })) },
      { weight: 1, arbitrary: fc.constant<BatchStep>({ kind: "duplicate" }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }).map((requests): BatchStep => ({ kind: "other-run", requests })) },
    ),
    { minLength: 1, maxLength: 8 },
  );
}
