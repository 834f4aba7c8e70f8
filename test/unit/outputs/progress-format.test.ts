import { describe, expect, test } from "bun:test";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import { formatBytes, formatDuration, formatPercent } from "../../../src/outputs/format.ts";
import { formatProgressLine, formatProgressLog, liveFigures, type ProgressInput } from "../../../src/outputs/progress.ts";
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

describe("progress line", () => {
  const input: ProgressInput = { elapsedMs: 15_000, totalMs: 30_000, vus: 10, maxVus: 20, reqPerSec: 1234.4, p95Ms: 12.3, errorRate: 0.0012 };

  test("TTY line: bar, time, vus, req/s, p95, errors on one line", () => {
    const line = formatProgressLine(input);
    expect(line).toBe("[==========>         ] 15s/30s  vus 10/20  1234 req/s  p95 12.3ms  err 0.12%");
    expect(line).not.toContain("\n");
    expect(formatProgressLine({ ...input, overloaded: true })).toEndWith("! generator overloaded");
    expect(formatProgressLine({ ...input, totalMs: 0, p95Ms: null, errorRate: null })).toBe("15s  vus 10/20  1234 req/s  p95 -  err -");
    expect(formatProgressLine({ ...input, elapsedMs: 90_000, totalMs: 60_000 })).toStartWith("[====================] 1m30s/1m00s");
    expect(formatProgressLine(input, 40).length).toBe(39);
  });

  test("plain log line", () => {
    expect(formatProgressLog(input)).toBe("t=15s/30s vus=10/20 req/s=1234 p95=12.3ms errors=0.12%");
    expect(formatProgressLog({ ...input, overloaded: true })).toEndWith(" overloaded=true");
  });

  test("liveFigures reads the aggregator's interval snapshot", () => {
    let now = 0;
    const agg = new Aggregator(builtinRegistry(), { clock: () => now });
    const store = new MetricStore(builtinRegistry());
    for (let i = 1; i <= 100; i++) {
      store.add("http_reqs", 1, {});
      store.add("http_req_duration", i, {});
      store.add("http_req_failed", i <= 10 ? 1 : 0, {});
    }
    agg.merge(store.takeDelta());
    now = 1000;
    const live = liveFigures(agg.takeInterval());
    expect(live.reqPerSec).toBe(100);
    expect(live.p95Ms!).toBeCloseTo(95, 0);
    expect(live.errorRate).toBeCloseTo(0.1, 10);
    now = 2000;
    expect(liveFigures(agg.takeInterval())).toEqual({ reqPerSec: 0, p95Ms: null, errorRate: null });
  });
});
