// A report rebuilt from the JSONL output's file (plain and gzip): the counts equal what the run
// recorded, the timeline has a point per second, and a broken file is refused with FILE:LINE.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import { metricLine, pointLine } from "../../../src/outputs/jsonl/lines.ts";
import { jsonlInput } from "../../../src/report/from-jsonl.ts";
import { buildReportModel } from "../../../src/report/model.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

const dir = mkdtempSync(join(tmpdir(), "loadr-report-jsonl-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 3 seconds of a run as the JSONL output writes it: `home` 10/s, `login` 4/s with 1/s refused. */
function resultsText(): string {
  const registry = builtinRegistry();
  const aggregator = new Aggregator(registry, { clock: () => 0 });
  const seen = new Set<string>();
  let text = "";
  for (let second = 1; second <= 3; second++) {
    const store = new MetricStore(registry);
    for (let i = 0; i < 10; i++) {
      const tags = { name: "home", group: "::home", status: "200" };
      store.add("http_reqs", 1, tags);
      store.add("http_req_duration", 20, tags);
      store.add("http_req_failed", 0, tags);
      store.add("checks", 1, { check: "ok", group: "::home" });
    }
    for (let i = 0; i < 4; i++) {
      const tags = { name: "login", group: "", status: i === 0 ? "0" : "200", ...(i === 0 ? { error: "timeout" } : {}) };
      store.add("http_reqs", 1, tags);
      store.add("http_req_duration", 100, tags);
      store.add("http_req_failed", i === 0 ? 1 : 0, tags);
    }
    store.add("dropped_iterations", 2, { scenario: "s" });
    aggregator.merge(store.takeDelta());
    aggregator.setGauge("vus", 3);
    const interval = aggregator.takeInterval({ elapsedMs: second * 1000, unixMs: Date.UTC(2025, 0, 1, 0, 0, second) });
    for (const series of interval.series) {
      if (!seen.has(series.name)) {
        seen.add(series.name);
        text += metricLine(series);
      }
      text += pointLine(series, interval);
    }
  }
  return text;
}

describe("jsonlInput", () => {
  test("the timeline, the tables and the figures from the points; the same from gzip, known by its bytes", async () => {
    const text = resultsText();
    writeFileSync(join(dir, "results.jsonl"), text);
    writeFileSync(join(dir, "results.jsonl.gz"), gzipSync(text));
    writeFileSync(join(dir, "packed.jsonl"), gzipSync(text));
    for (const file of ["results.jsonl", "results.jsonl.gz", "packed.jsonl"]) {
      const input = await jsonlInput(join(dir, file), 0);
      const model = buildReportModel(input);
      expect(model.meta.planName).toBe(file.startsWith("packed") ? "packed" : "results");
      expect(model.meta.startedAtUnixMs).toBe(Date.UTC(2025, 0, 1));
      expect(model.timeline.t).toEqual([1, 2, 3]);
      expect(model.timeline.requestsPerSecond).toEqual([14, 14, 14]);
      expect(model.timeline.errorRate.map((r) => r!.toFixed(4))).toEqual(Array(3).fill((1 / 14).toFixed(4)));
      expect(model.timeline.vus).toEqual([3, 3, 3]);
      const figure = Object.fromEntries(model.figures.map((f) => [f.label, f.value]));
      expect(figure.Requests).toBe(42);
      expect(model.latencyApproximate).toBe(true);
      expect(model.latencyByName.map((r) => [r.key, r.requests, r.failedRate])).toEqual([["home", 30, 0], ["login", 12, 0.25]]);
      expect(model.latencyByName[1]!.duration.max).toBeCloseTo(100, 0);
      expect(model.checks).toEqual([{ group: "::home", name: "ok", passes: 30, fails: 0 }]);
      expect(model.errors).toMatchObject([{ protocol: "http", error: "timeout", count: 3, names: ["login"] }]);
      expect(model.droppedIterations).toBe(6);
      expect(model.verdict.state).toBe("unknown");
    }
  });

  test("a line that is not JSON, a Point without its fields, a missing file: FILE:LINE and what to do", async () => {
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, `${resultsText().split("\n")[0]}\n{"type":"Point","metric":"http_reqs"}\n`);
    await expect(jsonlInput(bad, 0)).rejects.toThrow(`${bad}:2: a Point needs elapsedMs`);
    writeFileSync(bad, "\nnot json\n");
    await expect(jsonlInput(bad, 0)).rejects.toThrow(`${bad}:2: not a JSON line`);
    await expect(jsonlInput(join(dir, "none.jsonl"), 0)).rejects.toThrow("cannot read the results file");
    writeFileSync(join(dir, "cut.jsonl.gz"), gzipSync(resultsText()).subarray(0, 40));
    await expect(jsonlInput(join(dir, "cut.jsonl.gz"), 0)).rejects.toThrow(`${join(dir, "cut.jsonl.gz")}: cannot read the results file`);
  });

  test("lines of another type are skipped and said so", async () => {
    const file = join(dir, "extra.jsonl");
    writeFileSync(file, resultsText() + `{"type":"Summary","data":{}}\n`);
    const model = buildReportModel(await jsonlInput(file, 0));
    expect(model.notes.join(" ")).toContain("1 lines of another type than Metric or Point were skipped");
  });
});
