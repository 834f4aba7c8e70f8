// Hermetic tests of the output parsers and the pure summary helpers (no tools, no network).
// Run: node scripts/bun.mjs test ./bench/test
import { describe, expect, test } from "bun:test";
import { renderTemplate } from "../lib/template.ts";
import { idealStallP99, showsStall } from "../lib/suites/latency.ts";
import { rotate, spread } from "../lib/stats.ts";
import { countVerdict, ratios, summarize } from "../lib/summary.ts";
import { durationToMs } from "../lib/tool.ts";
import { parseArtillery } from "../lib/tools/artillery.ts";
import { parseAutocannon } from "../lib/tools/autocannon.ts";
import { parseHey } from "../lib/tools/hey.ts";
import { parseLoadrSummary } from "../lib/tools/loadr.ts";
import { parseLocustCsv } from "../lib/tools/locust.ts";
import { parseWrk } from "../lib/tools/wrk.ts";
import type { RunRecord } from "../lib/types.ts";

const WRK = `Running 3s test @ http://127.0.0.1:37291/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.12ms    1.70ms  22.84ms   91.25%
    Req/Sec    36.05k     9.68k   57.99k    55.00%
  Latency Distribution
     50%  689.00us
     75%    1.23ms
     90%    2.52ms
     99%    8.76ms
  216439 requests in 3.04s, 30.76MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  71258.52
`;

const HEY = `Summary:
  Total:	3.0018 secs
  Slowest:	0.0159 secs
  Requests/sec:	31228.7438

Latency distribution:
  10% in 0.0005 secs
  50% in 0.0018 secs
  99% in 0.0076 secs

Status code distribution:
  [200]	93744 responses
  [503]	6 responses

Error distribution:
  [3]	Get "http://127.0.0.1:1/": context deadline exceeded
`;

describe("parsers", () => {
  test("wrk", () => {
    expect(parseWrk(WRK)).toEqual({ requests: 216439, rps: 71258.52, p50Ms: 0.689, p99Ms: 8.76, maxMs: 22.84, errors: 7 });
    expect(durationToMs("1.5m")).toBe(90_000);
  });
  test("hey", () => {
    const m = parseHey(HEY);
    expect(m.requests).toBe(93744 + 6 + 3);
    expect(m.errors).toBe(9);
    expect(m.p50Ms).toBeCloseTo(1.8);
    expect(m.p99Ms).toBeCloseTo(7.6);
    expect(m.maxMs).toBeCloseTo(15.9);
  });
  test("autocannon", () => {
    const json = JSON.stringify({
      requests: { total: 100, mean: 50 },
      latency: { p50: 2, p99: 9, max: 30, totalCount: 100 },
      errors: 1,
      timeouts: 0,
      non2xx: 2,
      duration: 2,
    });
    expect(parseAutocannon(`noise\n${json}`)).toMatchObject({ requests: 100, rps: 50, p50Ms: 2, p99Ms: 9, maxMs: 30, errors: 3 });
  });
  test("locust csv", () => {
    const csv = `Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,root,9804,4,0,0.39,0,29,0.0,3266.9,1.0,0,0,1,1,1,1,2,3,6,29,29
,Aggregated,9804,4,0,0.39,0,29,0.0,3266.9,1.0,10,0,1,1,1,1,2,12,6,29,29`;
    expect(parseLocustCsv(csv)).toEqual({ requests: 9804, rps: 3266.9, p50Ms: 10, p99Ms: 12, maxMs: 29, errors: 4 });
  });
  test("artillery", () => {
    const report = {
      aggregate: {
        counters: { "http.requests": 1200, "http.codes.200": 1190, "http.codes.500": 7, "errors.ETIMEDOUT": 3 },
        rates: { "http.request_rate": 400 },
        summaries: { "http.response_time": { median: 10.9, p99: 16.9, max: 23 } },
      },
    };
    expect(parseArtillery(JSON.stringify(report))).toEqual({ requests: 1200, rps: 400, p50Ms: 10.9, p99Ms: 16.9, maxMs: 23, errors: 10 });
  });
  test("loadr summary: failures are the rate's passes", () => {
    const summary = {
      metrics: {
        http_reqs: { count: 64642, rate: 20845 },
        http_req_duration: { med: 2.1, "p(99)": 14.4, max: 80.9 },
        http_req_failed: { passes: 2, fails: 64640 },
      },
    };
    expect(parseLoadrSummary(JSON.stringify(summary))).toMatchObject({ requests: 64642, rps: 20845, p50Ms: 2.1, p99Ms: 14.4, maxMs: 80.9, errors: 2 });
  });
});

describe("summary", () => {
  const rec = (tool: string, round: number, rps: number, delta = 0): RunRecord => ({
    kind: "throughput",
    tool,
    round,
    label: "64 conns",
    ok: true,
    metrics: { requests: 1000 + delta, rps, p50Ms: 1, p99Ms: 2, maxMs: 3, errors: 0 },
    targetCount: 1000,
    countDelta: delta,
  });
  test("spread and rotation", () => {
    expect(spread([3, 1, 2])).toEqual({ min: 1, median: 2, max: 3, n: 3 });
    expect(spread([4, 1])).toEqual({ min: 1, median: 2.5, max: 4, n: 2 });
    expect(spread([])).toBeNull();
    expect(rotate(["a", "b", "c"], 1)).toEqual(["b", "c", "a"]);
  });
  test("ratios are per round, then spread", () => {
    const runs = [rec("loadr", 1, 100), rec("wrk", 1, 200), rec("loadr", 2, 300), rec("wrk", 2, 300)];
    const [r] = ratios(runs, "throughput", "loadr", ["wrk"]);
    expect(r?.rps).toEqual({ min: 0.5, median: 0.75, max: 1, n: 2 });
  });
  test("count verdicts", () => {
    const [exact] = summarize([rec("hey", 1, 1)]);
    const [inflight] = summarize([rec("wrk", 1, 1, -30)]);
    const [miscount] = summarize([rec("locust", 1, 1, -500)]);
    expect(countVerdict(exact!, 64)).toBe("=");
    expect(countVerdict(inflight!, 64)).toBe("in-flight");
    expect(countVerdict(miscount!, 64)).toBe("MISCOUNT");
  });
  test("stall arithmetic", () => {
    expect(idealStallP99(1000, 10, 10)).toBe(910);
    expect(showsStall(11, 1000, 10)).toBe(false);
    expect(showsStall(900, 1000, 10)).toBe(true);
  });
  test("templates require every placeholder", () => {
    expect(renderTemplate("vus: __VUS__", { VUS: 3 })).toBe("vus: 3");
    expect(() => renderTemplate("__NOPE__", {})).toThrow("__NOPE__");
  });
});
