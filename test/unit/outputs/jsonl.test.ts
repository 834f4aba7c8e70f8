// The JSONL output as a run-loop consumer, writing a real file; the shared buffered writer; and
// `--out` parsing through the registry.
import { afterEach, describe, expect, test } from "bun:test";
import { builtinRegistry } from "../../helpers/metrics.ts";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunLoop } from "../../../src/core/run/run-loop.ts";
import { ThresholdEvaluator } from "../../../src/core/thresholds/evaluator.ts";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import { BufferedWriter, type TextSink } from "../../../src/outputs/buffered-writer.ts";
import { outputsFromFlags } from "../../../src/outputs/from-flags.ts";
import { JsonlOutput } from "../../../src/outputs/jsonl/index.ts";
import { OUTPUTS } from "../../../src/outputs/registry.ts";
import { outputConsumer, startOutputs } from "../../../src/outputs/run-consumer.ts";
import { ConfigError } from "../../../src/shared/errors.ts";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
const tempFile = (name: string) => join((dir ??= mkdtempSync(join(tmpdir(), "loadr-jsonl-"))), name);

describe("jsonl output", () => {
  test("a Metric line per metric when first seen, a Point per series per interval, the final partial interval included", async () => {
    const path = tempFile("out.jsonl");
    const [output] = outputsFromFlags([`jsonl=${path}`], OUTPUTS, { cwd: "/", planName: "p" });
    expect(output!.description).toBe(`jsonl (${path})`);
    await startOutputs([output!]);
    const aggregator = new Aggregator(builtinRegistry());
    const store = new MetricStore(builtinRegistry());
    let elapsedMs = 0;
    const loop = new RunLoop({
      aggregator,
      thresholds: new ThresholdEvaluator([]),
      status: () => ({ elapsedMs, activeVus: 2, maxVus: 2, reporting: true }),
      consumers: [outputConsumer(output!)],
      now: () => Date.UTC(2025, 0, 1) + elapsedMs,
    });
    const requests = [7, 0, 4, 2]; // the last second only reaches the final partial interval
    for (const [second, n] of requests.entries()) {
      for (let i = 0; i < n; i++) {
        const tags = { name: i % 2 ? "a" : "b", status: "200" };
        store.add("http_reqs", 1, tags);
        store.add("http_req_duration", 10 + i, tags);
      }
      aggregator.merge(store.takeDelta());
      elapsedMs += second === requests.length - 1 ? 300 : 1000;
      if (second < requests.length - 1) loop.tick();
    }
    await loop.finish({ summary: { planName: "p", scenarios: [], notes: [] } });

    const lines = readFileSync(path, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l));
    const metricLines = lines.filter((l) => l.type === "Metric");
    expect(metricLines.map((l) => l.metric).sort()).toEqual(["http_req_duration", "http_reqs", "vus", "vus_max"]);
    expect(metricLines.find((l) => l.metric === "http_req_duration")).toEqual({
      type: "Metric",
      metric: "http_req_duration",
      data: { name: "http_req_duration", type: "trend", contains: "time" },
    });
    // Each Metric line comes before the metric's first Point.
    for (const m of metricLines) expect(lines.indexOf(m)).toBeLessThan(lines.findIndex((l) => l.type === "Point" && l.metric === m.metric));
    const reqs = lines.filter((l) => l.type === "Point" && l.metric === "http_reqs");
    expect(reqs.reduce((n, l) => n + l.data.count, 0)).toBe(13);
    expect(reqs[0]).toEqual({
      type: "Point",
      metric: "http_reqs",
      time: "2025-01-01T00:00:01.000Z",
      elapsedMs: 1000,
      tags: { name: "a", status: "200" },
      data: { value: 3, count: 3, rate: 3 },
    });
    // Second 2 had no requests: no http_reqs Point stamped 2 s; the final interval (300 ms) is there.
    expect(reqs.map((l) => l.elapsedMs)).toEqual([1000, 1000, 3000, 3000, 3300, 3300]);
    expect(reqs.at(-1)!.data).toEqual({ value: 1, count: 1, rate: 1 / 0.3 });
    const durations = lines.filter((l) => l.type === "Point" && l.metric === "http_req_duration");
    expect(durations.reduce((n, l) => n + l.data.count, 0)).toBe(13);
    expect(Object.keys(durations[0]!.data)).toEqual(["value", "count", "avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"]);
    expect(durations[0]!.data.value).toBe(durations[0]!.data.avg); // k6's value of a trend point: the interval's average
    expect(lines.filter((l) => l.metric === "vus" && l.type === "Point")).toHaveLength(4); // gauges every tick
  });

  test("a file that cannot be created fails start with a ConfigError naming --out", async () => {
    const output = new JsonlOutput({ path: "/nonexistent-dir/x/out.jsonl" });
    const error = await output.start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("--out jsonl=/nonexistent-dir/x/out.jsonl: the file /nonexistent-dir/x/out.jsonl cannot be written");
  });
});

describe("--out", () => {
  const parse = (spec: string) => {
    try {
      outputsFromFlags([spec], OUTPUTS, { cwd: "/tmp", planName: "p" });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return { message: error.message, hint: error.hint, exitCode: error.exitCode };
    }
    throw new Error(`--out ${spec} was accepted`);
  };

  test("an unknown output names --out, suggests the nearest and lists the registered ones (exit 104)", () => {
    expect(parse("jsnl=out.jsonl")).toEqual({
      message: '--out jsnl=out.jsonl: there is no output "jsnl"; did you mean "jsonl"?',
      hint: expect.stringMatching(/^write --out NAME=ARGUMENT; outputs: jsonl=FILE, csv=FILE, .*influxdb=URL/),
      exitCode: 104,
    });
  });

  test("a missing =FILE or an empty one is an error that says what to write", () => {
    expect(parse("jsonl")).toMatchObject({ message: "--out jsonl: the output needs its argument, like --out jsonl=FILE", exitCode: 104 });
    expect(parse("jsonl=")).toMatchObject({ message: "--out jsonl=: jsonl needs a file, like --out jsonl=FILE", exitCode: 104 });
    expect(parse("")).toMatchObject({ message: "--out needs NAME=ARGUMENT", hint: expect.stringMatching(/^outputs: jsonl=FILE, csv=FILE, .*influxdb=URL/) });
  });

  test("relative paths resolve against the cwd", () => {
    const [output] = outputsFromFlags(["jsonl=results/out.jsonl"], OUTPUTS, { cwd: "/work/x", planName: "p" });
    expect(output!.description).toBe("jsonl (/work/x/results/out.jsonl)");
  });
});

describe("BufferedWriter", () => {
  function memorySink(failAt?: number) {
    const writes: string[] = [];
    let closed = false;
    const sink: TextSink = {
      name: "mem",
      write: async (text) => {
        await Bun.sleep(1);
        if (failAt !== undefined && writes.length === failAt) throw new Error("disk full");
        writes.push(text);
      },
      close: async () => void (closed = true),
    };
    return { sink, writes, closed: () => closed };
  }

  test("writes in push order, one write at a time, and flushes the rest on close", async () => {
    const mem = memorySink();
    const writer = new BufferedWriter(mem.sink, 3_600_000);
    writer.push("a");
    writer.push("b");
    writer.flush();
    writer.push("c");
    writer.flush();
    writer.push("d");
    await writer.close();
    expect(mem.writes).toEqual(["ab", "c", "d"]);
    expect(mem.closed()).toBe(true);
    writer.push("after close"); // dropped, never throws
    await writer.close();
    expect(mem.writes).toEqual(["ab", "c", "d"]);
  });

  test("a failed write drops later text and makes close reject with the sink's name", async () => {
    const mem = memorySink(1);
    const writer = new BufferedWriter(mem.sink, 3_600_000);
    writer.push("1");
    writer.flush();
    writer.push("2");
    writer.flush();
    writer.push("3");
    await expect(writer.close()).rejects.toThrow("writing mem failed: disk full");
    expect(mem.writes).toEqual(["1"]);
    expect(mem.closed()).toBe(true);
  });
});
