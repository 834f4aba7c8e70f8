// What a lost agent's work missing from the figures is estimated to be (cluster/controller/unreported.ts).
import { describe, expect, test } from "bun:test";
import { describeUnreported, emptyReportLog, markOf, recordBatch, sentAtOf, unreportedEstimate, type ReportLog } from "../../../src/cluster/controller/unreported.ts";
import { seriesKey } from "../../../src/metrics/series.ts";

const START = 1_000_000;

/** An agent that reported `perSecond` requests (and half as many iterations) once a second for `seconds`. */
function steadyLog(seconds: number, perSecond: number): ReportLog {
  const log = emptyReportLog();
  for (let s = 1; s <= seconds; s++) recordBatch(log, { atUnixMs: START + s * 1000, requests: perSecond, iterations: perSecond / 2 }, false);
  return log;
}

describe("the unreported estimate of a lost agent", () => {
  test("its recent rate × (the time from its last batch to its loss + the second a batch cuts before it is sent)", () => {
    const log = steadyLog(10, 200);
    const e = unreportedEstimate(log, { lostAtUnixMs: START + 10_750, startAtUnixMs: START, endedAtUnixMs: START + 20_000 });
    expect(e).toEqual({ windowMs: 750, requests: 350, iterations: 175, rateKnown: true });
    expect(log.lastAtUnixMs).toBe(START + 10_000);
  });

  test("the rate follows the last batches, not the whole run", () => {
    const log = steadyLog(20, 1000);
    for (let s = 21; s <= 30; s++) recordBatch(log, { atUnixMs: START + s * 1000, requests: 100, iterations: 100 }, false);
    const e = unreportedEstimate(log, { lostAtUnixMs: START + 31_000, startAtUnixMs: START, endedAtUnixMs: START + 40_000 });
    expect(e.requests).toBe(200);
  });

  test("one batch: its count over the time since the start", () => {
    const log = emptyReportLog();
    recordBatch(log, { atUnixMs: START + 2_000, requests: 100, iterations: 40 }, false);
    expect(unreportedEstimate(log, { lostAtUnixMs: START + 3_000, startAtUnixMs: START, endedAtUnixMs: START + 9_000 })).toEqual({
      windowMs: 1_000, requests: 100, iterations: 40, rateKnown: true,
    });
  });

  test("nothing is missing once its final batch arrived, or when it was lost before the start", () => {
    const log = steadyLog(5, 100);
    expect(unreportedEstimate(log, { lostAtUnixMs: START - 10, startAtUnixMs: START, endedAtUnixMs: START + 9_000 }).requests).toBe(0);
    recordBatch(log, { atUnixMs: START + 9_000, requests: 0, iterations: 0 }, true);
    expect(unreportedEstimate(log, { lostAtUnixMs: START + 6_000, startAtUnixMs: START, endedAtUnixMs: START + 9_500 })).toEqual({
      windowMs: 0, requests: 0, iterations: 0, rateKnown: true,
    });
    expect(describeUnreported(log, { lostAtUnixMs: START + 6_000, startAtUnixMs: START, endedAtUnixMs: START + 9_500 })).toContain("none of its work is missing");
  });

  test("batches after the loss without the final one: the window runs to the end of the run", () => {
    const log = steadyLog(8, 100);
    // Lost at 6 s (silent), then spoke again until 8 s; the run ended at 9 s without its final batch.
    const e = unreportedEstimate(log, { lostAtUnixMs: START + 6_000, startAtUnixMs: START, endedAtUnixMs: START + 9_000 });
    expect(e).toMatchObject({ windowMs: 1_000, requests: 200 });
  });

  test("without any batch the window is named and the rate is unknown", () => {
    const t = { lostAtUnixMs: START + 2_500, startAtUnixMs: START, endedAtUnixMs: START + 5_000 };
    expect(unreportedEstimate(emptyReportLog(), t)).toEqual({ windowMs: 2_500, requests: 0, iterations: 0, rateKnown: false });
    expect(describeUnreported(emptyReportLog(), t)).toBe("No metrics of it arrived, so what it did in the 2.5s before it was lost is not in the figures and cannot be estimated.");
  });

  test("the sentence names the last batch, the counts and the window", () => {
    const log = steadyLog(4, 300);
    expect(describeUnreported(log, { lostAtUnixMs: START + 4_500, startAtUnixMs: START, endedAtUnixMs: START + 8_000 })).toBe(
      "Its last metrics arrived 4.0s into the run; about 450 request(s) and 225 iteration(s) of the 0.5s after that are not in the figures (at most, from its last batches' rate).",
    );
  });
});

test("a batch's marks count every series of the request counters and of iterations, nothing else", () => {
  const delta = {
    counters: {
      [seriesKey("http_reqs", { scenario: "a" })]: 3,
      [seriesKey("http_reqs", { scenario: "b", status: "200" })]: 4,
      [seriesKey("grpc_reqs", {})]: 2,
      [seriesKey("iterations", { scenario: "a" })]: 5,
      [seriesKey("dropped_iterations", {})]: 7,
      [seriesKey("data_sent", {})]: 900,
    },
    rates: {}, gauges: {}, trends: {},
  };
  expect(markOf(delta, 42)).toEqual({ atUnixMs: 42, requests: 9, iterations: 5 });
});

test("a batch is placed at its send time on the controller's clock, unless its stamp is implausible", () => {
  // The agent's clock runs 5 s ahead; the batch was sent 300 ms before it arrived.
  expect(sentAtOf(START + 5_000 - 300, 5_000, START)).toBe(START - 300);
  expect(sentAtOf(START + 5_000 + 50, 5_000, START)).toBe(START); // "sent" after it arrived
  expect(sentAtOf(START - 60_000, 0, START)).toBe(START); // a minute old: not believed
  expect(sentAtOf(Number.NaN, 0, START)).toBe(START);
});
