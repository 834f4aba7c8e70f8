import { describe, expect, test } from "bun:test";
import type { ScenarioStatus } from "../../../src/core/scheduler.ts";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import { formatBytes, formatDuration, formatPercent } from "../../../src/outputs/format.ts";
import { expectedTotalMs, formatLiveLines, formatLiveLog, liveFigures, scenarioProgress, type LiveFrame } from "../../../src/outputs/progress.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

describe("format", () => {
  test("durations pick µs, ms, s, m like k6", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(0.81234)).toBe("812.34µs");
    expect(formatDuration(12.345)).toBe("12.35ms");
    expect(formatDuration(1000)).toBe("1s");
    expect(formatDuration(1234)).toBe("1.23s");
    expect(formatDuration(123_400)).toBe("2m3.4s");
  });
  test("bytes and percentages", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1_234_567)).toBe("1.2 MB");
    expect(formatPercent(0.985)).toBe("98.50%");
  });
});

const status = (name: string, over: Partial<ScenarioStatus> = {}): ScenarioStatus => ({
  name, executor: "constant-vus", state: "running", activeVus: 5, maxVus: 5, iterations: 92, completed: 92, interrupted: 0, dropped: 0,
  startTime: 0, elapsedMs: 2_000, durationMs: 4_000, plannedIterations: null, ...over,
});

const browse = status("browse");
const batch = status("batch", { executor: "shared-iterations", activeVus: 2, maxVus: 2, iterations: 21, completed: 20, interrupted: 0, durationMs: 600_000, plannedIterations: 40 });
const open = status("open", { executor: "constant-arrival-rate", activeVus: 1, maxVus: 2, completed: 8, dropped: 12, elapsedMs: 1_500, durationMs: 3_000 });
const frame: LiveFrame = { elapsedMs: 3_200, vus: 8, maxVus: 9, reqPerSec: 1234.4, p95Ms: 12.3, errorRate: 0.0012, scenarios: [browse, batch, open] };

describe("a scenario's progress", () => {
  test("by time for duration-bound executors, by iterations for iteration-bound ones", () => {
    expect(scenarioProgress(browse)).toEqual({ done: 0.5, text: "2s/4s" });
    // done + interrupted over planned; maxDuration is only a cap
    expect(scenarioProgress(batch)).toEqual({ done: 0.5, text: "20/40 iters" });
    expect(scenarioProgress({ ...batch, interrupted: 20 })).toEqual({ done: 1, text: "40/40 iters" });
    // a stop is the only end: time only, no fraction
    expect(scenarioProgress(status("ext", { durationMs: null, elapsedMs: 75_000 }))).toEqual({ done: null, text: "1m15s" });
    // past its duration (gracefulStop): the bar stays full
    expect(scenarioProgress({ ...browse, elapsedMs: 6_000 })).toEqual({ done: 1, text: "4s/4s" });
  });

  test("the run's expected end is known only when every scenario is time-bound", () => {
    expect(expectedTotalMs([browse, { ...open, startTime: 2_000 }])).toBe(5_000);
    expect(expectedTotalMs([browse, batch])).toBe(0);
    expect(expectedTotalMs([browse, status("ext", { durationMs: null })])).toBe(0);
  });
});

describe("the terminal block", () => {
  test("one line per scenario (aligned), then the run's line", () => {
    expect(formatLiveLines(frame)).toEqual([
      "browse  constant-vus           [==========>         ]       2s/4s  vus 5/5  92 complete, 0 interrupted",
      "batch   shared-iterations      [==========>         ] 20/40 iters  vus 2/2  20 complete, 0 interrupted",
      "open    constant-arrival-rate  [==========>         ]       1s/3s  vus 1/2  8 complete, 0 interrupted, 12 dropped",
      "running 3s  vus 8/9  1234 req/s  p95 12.3ms  err 0.12%",
    ]);
  });

  test("a time-bound plan shows its expected end; a waiting scenario says so; figures not known yet read -", () => {
    const lines = formatLiveLines({ ...frame, reqPerSec: null, p95Ms: null, errorRate: null, scenarios: [browse, status("later", { state: "waiting", activeVus: 0, elapsedMs: 0, startTime: 10_000 })] });
    expect(lines[1]).toBe("later   constant-vus  [                    ] waiting  vus 0/5  92 complete, 0 interrupted");
    expect(lines[2]).toBe("running 3s/14s  vus 8/9  - req/s  p95 -  err -");
  });

  test("a distributed run starts with the fleet line; an overloaded generator is named", () => {
    const lines = formatLiveLines({ ...frame, overloaded: true, fleet: { agents: 3, healthy: 2, done: 0, failed: 0, lost: 1 } });
    expect(lines[0]).toBe("agents 2/3 healthy, 1 lost");
    expect(lines.at(-1)).toEndWith("! generator overloaded");
    expect(formatLiveLines({ ...frame, fleet: { agents: 3, healthy: 0, done: 2, failed: 1, lost: 0 } })[0]).toBe("agents 0/3 healthy, 0 lost, 2 done, 1 failed");
  });

  test("every line is cut to the terminal's width, so rewriting the block never wraps", () => {
    for (const line of formatLiveLines(frame, 40)) expect(line.length).toBeLessThanOrEqual(39);
  });
});

describe("log lines off a terminal", () => {
  test("the run's line, then one per scenario", () => {
    expect(formatLiveLog({ ...frame, fleet: { agents: 2, healthy: 2, done: 0, failed: 0, lost: 0 } })).toEqual([
      "agents=2 healthy=2 lost=0 t=3s vus=8/9 req/s=1234 p95=12.3ms errors=0.12%",
      "  browse constant-vus vus=5/5 time=2s/4s complete=92 interrupted=0 dropped=0",
      "  batch shared-iterations vus=2/2 iterations=20/40 complete=20 interrupted=0 dropped=0",
      "  open constant-arrival-rate vus=1/2 time=1s/3s complete=8 interrupted=0 dropped=12",
    ]);
    expect(formatLiveLog({ ...frame, overloaded: true, scenarios: [{ ...browse, state: "waiting" }] })).toEqual([
      "t=3s/4s vus=8/9 req/s=1234 p95=12.3ms errors=0.12% overloaded=true",
      "  browse constant-vus vus=5/5 state=waiting complete=92 interrupted=0 dropped=0",
    ]);
  });
});

describe("liveFigures", () => {
  test("reads the aggregator's interval snapshot; before any request metric arrived req/s is not known", () => {
    let now = 0;
    const agg = new Aggregator(builtinRegistry(), { clock: () => now });
    now = 1000;
    expect(liveFigures(agg.takeInterval())).toEqual({ reqPerSec: null, p95Ms: null, errorRate: null });
    const store = new MetricStore(builtinRegistry());
    for (let i = 1; i <= 100; i++) {
      store.add("http_reqs", 1, {});
      store.add("http_req_duration", i, {});
      store.add("http_req_failed", i <= 10 ? 1 : 0, {});
    }
    agg.merge(store.takeDelta());
    now = 2000;
    const live = liveFigures(agg.takeInterval());
    expect(live.reqPerSec).toBe(100);
    expect(live.p95Ms!).toBeCloseTo(95, 0);
    expect(live.errorRate).toBeCloseTo(0.1, 10);
    now = 3000;
    expect(liveFigures(agg.takeInterval())).toEqual({ reqPerSec: 0, p95Ms: null, errorRate: null });
  });
});
