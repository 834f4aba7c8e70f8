// The prometheus-rw, prometheus and otlp outputs as the registry makes them: argument and option
// errors (ConfigError naming where the output was asked for), a receiver that is down or rejects
// (the points are counted as dropped, `stop` never fails the run), and the scrape endpoint's
// formats, paths and a port already taken.
import { describe, expect, test } from "bun:test";
import protobuf from "protobufjs";
import type { RunSnapshot } from "../../../src/core/run/run-loop.ts";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import { OtlpOutput } from "../../../src/outputs/otlp/index.ts";
import { metricFamilyType, PROTOBUF_CONTENT_TYPE } from "../../../src/outputs/prometheus/exposition.ts";
import { parseHostPort } from "../../../src/outputs/prometheus/index.ts";
import { RemoteWriteOutput } from "../../../src/outputs/prometheus-rw/index.ts";
import { OUTPUTS } from "../../../src/outputs/registry.ts";
import type { Output } from "../../../src/outputs/types.ts";
import { ConfigError } from "../../../src/shared/errors.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

const context = { cwd: "/tmp", planName: "p" };

function create(name: string, argument: string, options: Record<string, unknown> = {}, origin = `plan.yaml:4:5 outputs[0]`): Output {
  return OUTPUTS[name]!.create(argument, options, { ...context, origin });
}

function failure(make: () => unknown): { message: string; hint?: string } {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return { message: (error as ConfigError).message, hint: (error as ConfigError).hint };
  }
  throw new Error("accepted");
}

/** Snapshots of a tiny run: `ticks` intervals of 10 requests each, the last one final. */
function snapshots(ticks: number): RunSnapshot[] {
  const aggregator = new Aggregator(builtinRegistry());
  const store = new MetricStore(builtinRegistry());
  const out: RunSnapshot[] = [];
  for (let tick = 1; tick <= ticks; tick++) {
    for (let i = 0; i < 10; i++) {
      store.add("http_reqs", 1, { name: "a" });
      store.add("http_req_duration", 1 + i, { name: "a" });
    }
    aggregator.merge(store.takeDelta());
    const interval = aggregator.takeInterval({ elapsedMs: tick * 1000, unixMs: Date.now() });
    out.push({ tick, status: { elapsedMs: tick * 1000, activeVus: 1, maxVus: 1, reporting: true }, interval, thresholds: [], final: tick === ticks });
  }
  return out;
}

const quick = { timeoutMs: 500, closeTimeoutMs: 2_000, retry: { attempts: 2, initialMs: 10, maxMs: 20 } };

describe("arguments and options", () => {
  test("a URL that is not http(s) names the entry and shows an example", () => {
    expect(failure(() => create("prometheus-rw", "localhost:9090"))).toEqual({
      message: 'plan.yaml:4:5 outputs[0]: "localhost:9090" is not an http:// or https:// URL',
      hint: "give the receiver's write URL, like --out prometheus-rw=http://127.0.0.1:9090/api/v1/write",
    });
    expect(failure(() => OUTPUTS.otlp!.create("not a url", {}, context)).message).toBe('--out otlp=not a url: "not a url" is not a URL');
  });

  test("Prometheus options: prefix, trend stats, label names, and trends that would not be sent at all", () => {
    expect(failure(() => create("prometheus-rw", "http://127.0.0.1:1/w", { prefix: "9x" })).message).toContain("prefix \"9x\" is not a Prometheus metric name prefix");
    expect(failure(() => create("prometheus-rw", "http://127.0.0.1:1/w", { trendStats: ["p(101)"] })).message).toBe("plan.yaml:4:5 outputs[0]: trendStats: p(101): a percentile is at most 100");
    expect(failure(() => create("prometheus", "127.0.0.1:0", { labels: { "bad-name": "x" } })).message).toContain('labels: "bad-name" is not a Prometheus label name');
    expect(failure(() => create("prometheus", "127.0.0.1:0", { labels: { __x: "x" } })).message).toContain("reserved by Prometheus");
    expect(failure(() => create("prometheus-rw", "http://127.0.0.1:1/w", { nativeHistograms: false, trendStats: [] })).message).toContain("trends would not be sent at all");
  });

  test("HOST:PORT for the scrape endpoint", () => {
    expect(parseHostPort("127.0.0.1:9464")).toEqual({ hostname: "127.0.0.1", port: 9464 });
    expect(parseHostPort("[::1]:0")).toEqual({ hostname: "::1", port: 0 });
    expect(parseHostPort("9464")).toBe('"9464" is not HOST:PORT');
    expect(parseHostPort("h:70000")).toBe("port 70000 is past 65535");
    expect(failure(() => create("prometheus", "localhost")).hint).toContain("--out prometheus=127.0.0.1:9464");
  });

  test("OTLP: a URL without a path gets /v1/metrics; explicit buckets must ascend", () => {
    expect(create("otlp", "http://127.0.0.1:4318").description).toBe("otlp (http://127.0.0.1:4318/v1/metrics, protobuf)");
    expect(create("otlp", "http://127.0.0.1:4318/custom", { format: "json" }).description).toBe("otlp (http://127.0.0.1:4318/custom, json)");
    expect(failure(() => create("otlp", "http://127.0.0.1:4318", { histogram: "explicit", buckets: [1, 0.5] })).message).toBe("plan.yaml:4:5 outputs[0]: buckets must ascend strictly (1 then 0.5)");
  });
});

describe("receivers that are down or reject", () => {
  test("remote write to a port nobody listens on: every sample dropped and counted with the reason; stop resolves", async () => {
    const port = await (async () => {
      const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
      const p = s.port;
      s.stop(true);
      return p;
    })();
    expect(create("prometheus-rw", `http://127.0.0.1:${port}/api/v1/write`)).toBeInstanceOf(RemoteWriteOutput);
    const output = new RemoteWriteOutput({ ...configOf(port), timing: quick });
    await output.start();
    for (const s of snapshots(3)) output.add(s);
    await output.stop();
    const report = output.report();
    expect(report.sentPoints).toBe(0);
    // 2 series (http_reqs, http_req_duration) × 3 ticks.
    expect(report.droppedPoints).toBe(6);
    expect(report.reasons.join(" ")).toMatch(/6 points: .*(refused|ECONNREFUSED|Unable to connect)/i);
  });

  test("OTLP rejected with HTTP 400: dropped at once, the receiver's words quoted", async () => {
    let hits = 0;
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => (hits++, new Response("unknown field xyz", { status: 400 })) });
    try {
      const output = new OtlpOutput({
        url: new URL(`http://127.0.0.1:${server.port}/v1/metrics`),
        format: "protobuf",
        request: { prefix: "loadr.", histogram: "exponential", timeBounds: [1], bounds: [1], resource: {}, version: "t" },
        common: { flushIntervalMs: 20, headers: {}, tags: {} },
        timing: quick,
      });
      await output.start();
      for (const s of snapshots(2)) output.add(s);
      await output.stop();
      const report = output.report();
      expect(report.droppedPoints).toBe(4);
      expect(report.reasons.join(" ")).toContain("HTTP 400: unknown field xyz");
      expect(hits).toBeLessThanOrEqual(2);
    } finally {
      await server.stop(true);
    }
  });
});

function configOf(port: number) {
  return {
    url: new URL(`http://127.0.0.1:${port}/api/v1/write`),
    prometheus: { prefix: "loadr_", view: { native: true, trendStats: [] }, labels: {} },
    common: { flushIntervalMs: 20, headers: {}, tags: {} },
    extraTags: {},
  };
}

describe("the scrape endpoint", () => {
  test("text by default, protobuf when asked, 404 elsewhere; a taken port fails start naming the entry", async () => {
    const output = create("prometheus", "127.0.0.1:0", { trendStats: ["p(95)"] });
    await output.start();
    try {
      const url = /http:\/\/\S+\/metrics/.exec(output.description)![0].replace(/\)$/, "");
      for (const s of snapshots(2)) output.add(s);
      const text = await (await fetch(url)).text();
      expect(text).toContain('loadr_http_reqs_total{name="a"} 20');
      expect(text).toContain('# TYPE loadr_http_req_duration_seconds_p95 gauge');
      expect(text).not.toContain("# TYPE loadr_http_req_duration_seconds histogram");

      const response = await fetch(url, { headers: { Accept: "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3" } });
      expect(response.headers.get("content-type")).toBe(PROTOBUF_CONTENT_TYPE);
      const reader = protobuf.Reader.create(new Uint8Array(await response.arrayBuffer()));
      const names: string[] = [];
      while (reader.pos < reader.len) names.push(String(metricFamilyType().decodeDelimited(reader).toJSON().name));
      expect(names).toContain("loadr_http_req_duration_seconds");
      expect((await fetch(url.replace("/metrics", "/"))).status).toBe(404);

      const port = Number(/:(\d+)\/metrics/.exec(url)![1]);
      const taken = create("prometheus", `127.0.0.1:${port}`);
      const error = await taken.start().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toStartWith(`plan.yaml:4:5 outputs[0]: cannot listen on 127.0.0.1:${port}`);
    } finally {
      await output.stop();
    }
  });
});
