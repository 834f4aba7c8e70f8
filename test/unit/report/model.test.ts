// The report's data model from a summary and a per-second series: what each section of the page
// will say, checked against the samples that went in.
import { describe, expect, test } from "bun:test";
import { buildReportModel, type ReportInput } from "../../../src/report/model.ts";
import { timelineOf } from "../../../src/report/timeline.ts";
import { reportRun } from "../../helpers/report-run.ts";

const base = (extra: Partial<ReportInput> = {}): ReportInput => {
  const { summary, series } = reportRun();
  return { source: "local run", planName: summary.planName, summary, series, exitCode: 99, generatedAtUnixMs: 0, ...extra };
};

describe("the summary's breakdown (core/run/breakdown.ts)", () => {
  test("latency by request name and by group from the merged histograms, errors by tag with the names", () => {
    const { summary } = reportRun();
    const byName = Object.fromEntries(summary.breakdown!.byName.map((r) => [r.key, r]));
    expect(byName.home!.requests).toBe(30);
    expect(byName.home!.failedRate).toBe(0);
    expect(byName.home!.duration.min).toBeCloseTo(10, 1);
    expect(byName.home!.duration.max).toBeCloseTo(100, 0);
    expect(byName.home!.duration.med).toBeCloseTo(50, 0);
    expect(byName.login!.requests).toBe(15);
    expect(byName.login!.failedRate).toBeCloseTo(6 / 15, 6);
    expect(summary.breakdown!.byGroup.map((r) => [r.key, r.requests])).toEqual([["", 15], ["::home", 30]]);
    expect(summary.breakdown!.errors).toEqual([{ protocol: "http", error: "ECONNREFUSED", count: 6, names: ["login"] }]);
  });
});

describe("buildReportModel", () => {
  test("the verdict comes first and names what failed; thresholds carry their unit", () => {
    const model = buildReportModel(base());
    expect(model.verdict).toEqual({ state: "failed", headline: "1 of 2 thresholds failed", details: [], exitCode: 99 });
    expect(model.thresholds.map((t) => [t.metric, t.expression, t.ok, t.unit])).toEqual([
      ["http_req_duration", "p(95)<500", true, "ms"],
      ["http_req_failed", "rate<0.01", false, "percent"],
    ]);
    expect(model.thresholds[1]!.observed).toBeCloseTo(6 / 45, 6);
  });

  test("the verdict of a passing, an interrupted and a failed run, and of results without a summary", () => {
    const { summary, series } = reportRun();
    const passing = { ...summary, thresholds: [], metrics: summary.metrics.map((m) => ({ ...m, thresholds: [] })), thresholdsOk: true };
    expect(buildReportModel(base({ summary: passing, exitCode: 0 })).verdict).toMatchObject({ state: "passed", headline: "no thresholds were set" });
    expect(buildReportModel(base({ exitCode: 105 })).verdict).toMatchObject({ state: "failed", headline: "interrupted before the plan's end; 1 of 2 thresholds failed" });
    expect(buildReportModel(base({ exitCode: 1, error: "every agent was lost" })).verdict).toMatchObject({ state: "failed", details: ["every agent was lost"] });
    const bare = buildReportModel({ source: "jsonl results", planName: "x", series, generatedAtUnixMs: 0 });
    expect(bare.verdict.state).toBe("unknown");
    expect(bare.thresholds).toEqual([]);
    const live = buildReportModel({ source: "controller", planName: "x", series, status: "running", generatedAtUnixMs: 0 });
    expect(live.verdict).toEqual({ state: "unknown", headline: "the run has not ended (running): no summary yet", details: [] });
  });

  test("one timeline point per second: req/s, failed fraction, VUs and the merged percentiles", () => {
    const model = buildReportModel(base());
    const t = model.timeline;
    expect(t.t).toEqual([1, 2, 3]);
    expect(t.requestsPerSecond).toEqual([15, 15, 15]);
    expect(t.errorRate.map((r) => r!.toFixed(4))).toEqual(Array(3).fill((2 / 15).toFixed(4)));
    expect(t.vus).toEqual([5, 5, 5]);
    expect(t.latencyMetric).toBe("http_req_duration");
    // Each second: 10 samples of 10..100 ms and 5 of 200 ms → median (8th of 15) 80 ms, p99 200 ms.
    expect(t.p50[0]).toBeCloseTo(80, 0);
    expect(t.p99[0]).toBeCloseTo(200, 0);
  });

  test("a second without requests is a gap (null), not a zero", () => {
    const tl = timelineOf([{ elapsedMs: 1000, data: { vus: { value: 2, min: 2, max: 2 } } }]);
    expect([tl.requestsPerSecond[0], tl.errorRate[0], tl.p95[0], tl.vus[0]]).toEqual([null, null, null, 2]);
  });

  test("checks, errors with their meaning, figures, notes", () => {
    const model = buildReportModel(base());
    expect(model.checks).toEqual([
      { group: "", name: "logged in", passes: 9, fails: 6 },
      { group: "::home", name: "status is 200", passes: 30, fails: 0 },
    ]);
    expect(model.errors[0]).toMatchObject({ error: "ECONNREFUSED", count: 6, names: ["login"] });
    expect(model.errors[0]!.meaning).toContain("refused");
    const figure = Object.fromEntries(model.figures.map((f) => [f.label, f.value]));
    expect(figure.Requests).toBe(45);
    expect(figure["Requests per second"]).toBe(15);
    expect(figure.Iterations).toBe(15);
    expect(figure["Failed requests"]).toBeCloseTo(6 / 45, 6);
    expect(model.notes[0]).toContain("overloaded");
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  test("a distributed run: the agents with their shares, offsets and losses, per-agent req/s aligned with the timeline", () => {
    const { summary, series } = reportRun();
    const withAgents = series.map((p, i) => ({ ...p, data: { ...p.data, "agent_reqs{agent:a1}": { count: 10, rate: 10 }, ...(i < 2 ? { "agent_reqs{agent:a2}": { count: 5, rate: 5 } } : {}) } }));
    const fleetSummary = { agents: [{ id: "a2", state: "lost", lostAtMs: 2500, unreportedEstimate: { windowMs: 500, requests: 3, iterations: 1 } }], planned: 2, lost: 1 };
    const model = buildReportModel(
      base({
        source: "controller",
        summary: { ...summary, fleet: fleetSummary },
        series: withAgents,
        agents: [
          { agentId: "a1", name: "east", labels: { zone: "east" }, index: 0, count: 2, scenarios: [], state: "finished", clockOffsetMs: 12 },
          { agentId: "a2", name: "west", labels: {}, index: 1, count: 2, scenarios: [{ scenario: "browse", index: 1, count: 2 }], state: "lost", clockOffsetMs: -3, lostAtUnixMs: 5 },
        ],
      }),
    );
    expect(model.fleet!.agents).toEqual([
      { id: "a1", name: "east", labels: { zone: "east" }, share: "partition 1/2", state: "finished", clockOffsetMs: 12 },
      { id: "a2", name: "west", labels: {}, share: "partition 2/2 (browse 2/2)", state: "lost", clockOffsetMs: -3, lostAtMs: 2500, unreportedRequests: 3 },
    ]);
    expect(model.fleet!.lost).toBe(1);
    expect(model.fleet!.requestsPerSecond).toEqual({ a1: [10, 10, 10], a2: [5, 5, null] });
  });
});

test("the final, shorter interval's rate is over one second: it carries the last deltas, not a spike", () => {
  const tl = timelineOf([
    { elapsedMs: 1000, data: { http_reqs: { count: 100, rate: 100 } } },
    { elapsedMs: 2000, data: { http_reqs: { count: 120, rate: 120 } } },
    { elapsedMs: 2250, data: { http_reqs: { count: 110, rate: 440 } } },
  ]);
  expect(tl.requestsPerSecond).toEqual([100, 120, 110]);
  expect(tl.t).toEqual([1, 2, 2.25]);
});
