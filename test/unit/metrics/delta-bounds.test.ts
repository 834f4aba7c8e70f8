// The bounds of metrics/delta-check.ts: a delta from the network with a negative, fractional,
// inexact or non-numeric count, an oversized key, a histogram past the value range, a bucket
// counting too much, or a compressed histogram that inflates without end is rejected whole (the
// aggregator unchanged); the largest values within bounds merge, and the summary built from them
// has finite figures.
import { describe, expect, test } from "bun:test";
import { buildSummary } from "../../../src/core/run/summary.ts";
import { Aggregator, RejectedDeltaError } from "../../../src/metrics/aggregator.ts";
import { MAX_BUCKET_COUNT, MAX_SERIES_KEY_LENGTH } from "../../../src/metrics/delta-check.ts";
import { encodeHistogram, trendIndexOf, MAX_TREND_STORED } from "../../../src/metrics/hdr-codec.ts";
import { newHistogram } from "../../../src/metrics/hdr.ts";
import type { MetricDelta } from "../../../src/metrics/types.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";
import { histogramAt, histogramBomb } from "../../helpers/hostile-histograms.ts";

const delta = (x: Partial<MetricDelta>): MetricDelta => ({ counters: {}, rates: {}, gauges: {}, trends: {}, ...x });
const REQS = "http_reqs{scenario=s}";
const DURATION = "http_req_duration{scenario=s}";

function rejected(d: MetricDelta): string {
  const aggregator = new Aggregator(builtinRegistry());
  aggregator.merge(delta({ counters: { [REQS]: 3 } }));
  let error: unknown;
  try {
    aggregator.merge(d);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RejectedDeltaError);
  // Nothing of it was merged.
  expect(aggregator.query("http_reqs")).toMatchObject({ count: 3 });
  expect(aggregator.query("http_req_duration")).toBeUndefined();
  return (error as Error).message;
}

describe("rejected whole", () => {
  const cases: Array<[string, MetricDelta, string]> = [
    ["a negative counter", delta({ counters: { [REQS]: -1 } }), `the value of ${REQS} is -1: counts are numbers from 0 to 2^53 - 1`],
    ["a counter past 2^53", delta({ counters: { [REQS]: 2 ** 60 } }), "counts are numbers from 0 to 2^53 - 1"],
    ["a counter that is a string", delta({ counters: { [REQS]: "4" as never } }), `the value of ${REQS} is not a number: "4"`],
    ["a counter that is null", delta({ counters: { [REQS]: null as never } }), `the value of ${REQS} is not a number: null`],
    ["a fractional rate count", delta({ rates: { "checks{scenario=s}": [0.5, 1] } }), "counts are whole numbers from 0 to 2^53 - 1"],
    ["a negative rate count", delta({ rates: { "checks{scenario=s}": [1, -1] } }), "is -1: counts are whole numbers"],
    ["an infinite gauge", delta({ gauges: { "vus{}": Infinity } }), "is not a number: null"],
    ["a key too long", delta({ counters: { [`http_reqs{name=${"x".repeat(MAX_SERIES_KEY_LENGTH)}}`]: 1 } }), `characters long (at most ${MAX_SERIES_KEY_LENGTH})`],
    ["a histogram past the value range", delta({ trends: { [DURATION]: histogramAt(100_000, 1) } }), `is out of bounds: it has values above ${MAX_TREND_STORED}`],
    ["a bucket counting past 2^31", delta({ trends: { [DURATION]: histogramAt(5, MAX_BUCKET_COUNT + 1) } }), `a bucket counts ${MAX_BUCKET_COUNT + 1} samples`],
    ["a histogram that inflates to 200 MB", delta({ trends: { [DURATION]: histogramBomb() } }), `the histogram of ${DURATION} cannot be decoded`],
    ["a histogram that is not a string", delta({ trends: { [DURATION]: 12 as never } }), `the histogram of ${DURATION} cannot be decoded`],
  ];
  for (const [what, d, message] of cases) {
    test(what, () => {
      expect(rejected(d)).toContain(message);
    });
  }

  test("a valid counter beside a bad histogram is not merged either", () => {
    rejected(delta({ counters: { [REQS]: 5 }, trends: { [DURATION]: histogramAt(100_000, 1) } }));
  });
});

test("the largest values within bounds merge, and the summary built from them has finite figures", () => {
  const aggregator = new Aggregator(builtinRegistry());
  const lastIndex = trendIndexOf(MAX_TREND_STORED);
  const h = newHistogram();
  h.recordValue(1_000);
  aggregator.merge(delta({
    counters: { [REQS]: Number.MAX_SAFE_INTEGER },
    trends: { [DURATION]: encodeHistogram(h) },
  }));
  // The top bucket, counting as much as a bucket may.
  aggregator.merge(delta({ trends: { [DURATION]: histogramAt(lastIndex, MAX_BUCKET_COUNT) } }));
  const summary = buildSummary(aggregator, [], { planName: "bounds", durationMs: 1_000, scenarios: [], notes: [] });
  const duration = summary.metrics.find((m) => m.name === "http_req_duration")!.values;
  expect(duration.count).toBe(MAX_BUCKET_COUNT + 1);
  for (const v of Object.values(duration)) expect(Number.isFinite(v)).toBe(true);
  expect(duration.max).toBeGreaterThan(1e9);
  expect(summary.metrics.find((m) => m.name === "http_reqs")!.values.count).toBe(Number.MAX_SAFE_INTEGER);
});
