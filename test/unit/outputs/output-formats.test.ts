// The pure halves of the outputs: the tag filter's merging (outputs/series-view.ts), CSV rows,
// StatsD lines and datagrams, InfluxDB lines and write URLs; and the InfluxDB 2.x write against a
// local HTTP receiver on port 0 that records what it was sent.
import { afterEach, describe, expect, test } from "bun:test";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { IntervalSnapshot, SeriesValue } from "../../../src/metrics/interval.ts";
import { counterValue, rateValue, type TrendValue } from "../../../src/metrics/values.ts";
import type { RunSnapshot } from "../../../src/core/run/run-loop.ts";
import { pointsOf } from "../../../src/outputs/series-view.ts";
import { csvCell, csvRow } from "../../../src/outputs/csv/rows.ts";
import { MAX_PACKET_BYTES, packets, statsdLines } from "../../../src/outputs/statsd/lines.ts";
import { lineOf } from "../../../src/outputs/influxdb/lines.ts";
import { influxdbOutput, influxTarget } from "../../../src/outputs/influxdb/index.ts";
import { ConfigError } from "../../../src/shared/errors.ts";

const trend = (count: number, avg: number, min: number, max: number, p: number): TrendValue => ({
  type: "trend", contains: "time", count, avg, min, med: p, max, p90: p, p95: p, p99: p, percentile: () => p, buckets: () => [],
});

const series = (name: string, tags: Record<string, string>, value: SeriesValue["value"]): SeriesValue => ({ key: `${name}|${JSON.stringify(tags)}`, name, tags, value });

function interval(list: SeriesValue[]): IntervalSnapshot {
  return { startMs: 0, endMs: 1000, startUnixMs: 1_735_689_600_000, endUnixMs: 1_735_689_601_000, durationMs: 1000, metrics: {}, series: list };
}

describe("pointsOf (tag filter, extra tags)", () => {
  const list = [
    series("http_reqs", { name: "a", url: "/a?1" }, counterValue(3, 1000, "default")),
    series("http_reqs", { name: "a", url: "/a?2" }, counterValue(4, 1000, "default")),
    series("http_req_failed", { name: "a", url: "/a?1" }, rateValue(1, 2, "default")),
    series("http_req_failed", { name: "a", url: "/a?2" }, rateValue(3, 0, "default")),
    series("http_req_duration", { name: "a", url: "/a?1" }, trend(1, 10, 10, 10, 10)),
    series("http_req_duration", { name: "a", url: "/a?2" }, trend(3, 30, 20, 50, 40)),
  ];

  test("without a filter the series pass as they are, with the extra tags added", () => {
    const points = pointsOf(interval(list), {}, { run_id: "r1" });
    expect(points).toHaveLength(6);
    expect(points[0]!.tags).toEqual({ name: "a", url: "/a?1", run_id: "r1" });
  });

  test("dropping a tag merges the series it told apart: counts exact, trend count/min/max/avg exact", () => {
    const points = pointsOf(interval(list), { drop: ["url"] });
    expect(points.map((p) => [p.name, p.tags])).toEqual([
      ["http_reqs", { name: "a" }],
      ["http_req_failed", { name: "a" }],
      ["http_req_duration", { name: "a" }],
    ]);
    expect(points[0]!.value).toMatchObject({ count: 7, rate: 7 });
    expect(points[1]!.value).toMatchObject({ passes: 4, fails: 2, rate: 4 / 6 });
    expect(points[2]!.value).toMatchObject({ count: 4, min: 10, max: 50, avg: 25, p95: 40 });
    expect(pointsOf(interval(list), { keep: ["url"] }).map((p) => p.tags)).toContainEqual({ url: "/a?2" });
  });
});

describe("csv rows", () => {
  test("k6's columns: tags in their columns, the rest in extra_tags, a trend's figures in metadata", () => {
    const row = csvRow({ name: "http_req_duration", tags: { name: "home", method: "GET", status: "200", run_id: "r1", team: "x" }, value: trend(2, 12.5, 10, 15, 15) }, 1_735_689_601_500);
    const cells = row.trimEnd().split(",");
    expect(cells[0]).toBe("http_req_duration");
    expect(cells[1]).toBe("1735689601");
    expect(cells[2]).toBe("12.5");
    expect(cells[8]).toBe("GET");
    expect(cells[9]).toBe("home");
    expect(cells[13]).toBe("200");
    expect(cells[17]).toBe("run_id=r1&team=x");
    expect(cells[18]).toBe("count=2&min=10&med=15&max=15&p(90)=15&p(95)=15&p(99)=15");
    expect(csvRow({ name: "http_reqs", tags: {}, value: counterValue(5, 500, "default") }, 0)).toBe("http_reqs,0,5,,,,,,,,,,,,,,,,rate=10\n");
  });

  test("cells with commas, quotes or line breaks are quoted", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("plain")).toBe("plain");
  });
});

describe("statsd lines", () => {
  test("counters exact and unsampled, rates as passes/fails counters, trends as gauges of their figures plus a count", () => {
    expect(statsdLines("http_reqs", counterValue(12, 1000, "default"), "k6.")).toEqual(["k6.http_reqs:12|c"]);
    expect(statsdLines("checks", rateValue(9, 1, "default"), "k6.")).toEqual(["k6.checks.passes:9|c", "k6.checks.fails:1|c"]);
    expect(statsdLines("http_req_duration", trend(2, 12.345, 10, 15, 14.5), "k6.")).toEqual([
      "k6.http_req_duration.count:2|c",
      "k6.http_req_duration.avg:12.345|g",
      "k6.http_req_duration.min:10|g",
      "k6.http_req_duration.med:14.5|g",
      "k6.http_req_duration.max:15|g",
      "k6.http_req_duration.p90:14.5|g",
      "k6.http_req_duration.p95:14.5|g",
      "k6.http_req_duration.p99:14.5|g",
    ]);
    expect(statsdLines("http_reqs", counterValue(1, 1000, "default"), "", { name: "a:b", status: "200" })).toEqual(["http_reqs:1|c|#name:a_b,status:200"]);
  });

  test("datagrams hold whole lines and never exceed the packet size; every line is sent once", () => {
    const lines = Array.from({ length: 500 }, (_, i) => `k6.metric_${i}:${i}|c|#name:some-request-name-${i}`);
    const out = packets(lines);
    for (const p of out) expect(Buffer.byteLength(p.text)).toBeLessThanOrEqual(MAX_PACKET_BYTES);
    expect(out.flatMap((p) => p.text.split("\n"))).toEqual(lines);
    expect(out.reduce((n, p) => n + p.lines, 0)).toBe(500);
  });
});

describe("influxdb", () => {
  test("line protocol: escaped measurement and tags, value first, float fields, ms timestamp", () => {
    expect(lineOf({ name: "http_reqs", tags: { name: "a b", status: "200", url: "x=1,y" }, value: counterValue(12, 1000, "default") }, 1_735_689_601_000)).toBe(
      "http_reqs,name=a\\ b,status=200,url=x\\=1\\,y value=12,count=12,rate=12 1735689601000",
    );
    expect(lineOf({ name: "http_req_duration", tags: {}, value: trend(2, 12.5, 10, 15, 15) }, 0)).toBe(
      "http_req_duration value=12.5,count=2,avg=12.5,min=10,med=15,max=15,p90=15,p95=15,p99=15 0",
    );
  });

  test("the URL names the API: 1.x /write?db=, k6's /DB, 2.x /api/v2/write with org and bucket; mistakes name where", () => {
    expect(influxTarget("http://h:8086/write?db=k6", undefined, "--out x").url).toBe("http://h:8086/write?db=k6&precision=ms");
    expect(influxTarget("http://h:8086/k6", undefined, "--out x")).toMatchObject({ url: "http://h:8086/write?db=k6&precision=ms", version: 1 });
    const basic = influxTarget("http://me:pw@h:8086/k6", undefined, "--out x");
    expect(basic.url).toBe("http://h:8086/write?db=k6&precision=ms");
    expect(basic.headers.Authorization).toBe(`Basic ${Buffer.from("me:pw").toString("base64")}`);
    expect(influxTarget("http://h:8086/api/v2/write?org=o&bucket=b", "t0k", "--out x")).toMatchObject({ version: 2, headers: { Authorization: "Token t0k" } });
    expect(() => influxTarget("http://h:8086/api/v2/write?org=o", undefined, "plan.yaml:3:5 outputs[0]")).toThrow("plan.yaml:3:5 outputs[0]: InfluxDB 2.x needs bucket= in the URL");
    expect(() => influxTarget("http://h:8086/write", undefined, "--out x")).toThrow("--out x: InfluxDB 1.x needs db= in the URL");
    expect(() => influxTarget("h:8086", undefined, "--out x")).toThrow(ConfigError);
  });
});

describe("influxdb 2.x write to a local receiver", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  test("POSTs line protocol to /api/v2/write with org, bucket, precision=ms, the token (from LOADR_INFLUXDB_TOKEN) and the plan's headers", async () => {
    const received: Array<{ url: string; auth: string | undefined; team: string | undefined; body: string }> = [];
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ url: req.url!, auth: req.headers.authorization, team: req.headers["x-team"] as string | undefined, body: Buffer.concat(chunks).toString() });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    const port = (server.address() as AddressInfo).port;
    const output = influxdbOutput.create(`http://127.0.0.1:${port}/api/v2/write?org=perf&bucket=loadr`, { headers: { "X-Team": "perf" } }, {
      cwd: "/",
      planName: "p",
      runId: "r7",
      env: { LOADR_INFLUXDB_TOKEN: "s3cret" },
    });
    await output.start();
    const snapshot = { interval: interval([series("http_reqs", { name: "a" }, counterValue(5, 1000, "default"))]) } as unknown as RunSnapshot;
    output.add(snapshot);
    await output.stop();
    expect(output.report!()).toEqual({ sentPoints: 1, droppedPoints: 0, reasons: [] });
    expect(received).toEqual([
      { url: "/api/v2/write?org=perf&bucket=loadr&precision=ms", auth: "Token s3cret", team: "perf", body: "http_reqs,name=a,run_id=r7 value=5,count=5,rate=5 1735689601000\n" },
    ]);
  });
});
