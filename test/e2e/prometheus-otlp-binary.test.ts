// The compiled binary with `--local-agents 2` and `--out prometheus-rw=… --out otlp=…` against
// `loadr demo`: the in-process controller writes the merged metrics, so a real Prometheus 2.42
// (remote write, native histograms) and an OTLP receiver decoding with the OpenTelemetry protos
// hold the summary's totals under the run's id (label `run_id`, resource `loadr.run_id`), and
// the demo target's own count agrees.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { NATIVE_RELATIVE_ERROR } from "../../src/outputs/prometheus/native-histogram.ts";
import { requireBinary, spawnUntil } from "../helpers/binary.ts";
import { startOtlpReceiver, type OtlpReceiver } from "../helpers/otlp-receiver.ts";
import { demoStats, writePlan } from "../helpers/plans.ts";
import { startPrometheus, type PrometheusServer } from "../helpers/prometheus.ts";

let demo: Bun.Subprocess;
let demoUrl: string;
let prometheus: PrometheusServer;
let otlp: OtlpReceiver;

beforeAll(async () => {
  const started = await spawnUntil(["demo", "--port", "0"], /listening on (http:\/\/\S+)/);
  demo = started.process;
  demoUrl = started.match[1]!;
  otlp = startOtlpReceiver();
  prometheus = await startPrometheus();
}, 90_000);

afterAll(async () => {
  demo?.kill();
  await otlp?.stop();
  await prometheus?.stop();
});

const PLAN = `
name: distributed-outputs
baseUrl: \${env.BASE_URL}
scenarios:
  steady:
    executor: constant-vus
    vus: 4
    duration: 4s
    gracefulStop: 2s
    flow:
      - request: { name: home, url: /json }
      - sleep: 20ms
`;

describe("--local-agents with the Prometheus and OTLP outputs", () => {
  test("merged totals under the run's id in Prometheus and OTLP equal the summary and the target's count", async () => {
    const dir = writePlan(PLAN);
    try {
      const before = (await demoStats(demoUrl)).total;
      const child = Bun.spawn(
        [requireBinary(), "run", dir.planPath, "--local-agents", "2", "--quiet", "--summary-json", dir.path("s.json"), "--out", `prometheus-rw=${prometheus.url}/api/v1/write`, "-o", `otlp=${otlp.url}`],
        { env: { ...process.env, BASE_URL: demoUrl, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" },
      );
      const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
      expect(stderr).not.toContain("not delivered");
      expect(code).toBe(0);
      const served = (await demoStats(demoUrl)).total - before;
      const summary = JSON.parse(readFileSync(dir.path("s.json"), "utf8"));
      const runId = summary.run_id as string;
      expect(summary.metrics.http_reqs.count).toBe(served);
      expect(served).toBeGreaterThan(50);

      expect(await prometheus.scalar(`sum(loadr_http_reqs_total{run_id="${runId}"})`)).toBe(served);
      expect(await prometheus.scalar(`count(loadr_http_reqs_total{run_id!="${runId}"})`)).toBeUndefined();
      const p95 = (await prometheus.scalar(`histogram_quantile(0.95, sum(loadr_http_req_duration_seconds{run_id="${runId}"}))`))! * 1000;
      expect(Math.abs(p95 - summary.metrics.http_req_duration["p(95)"]) / summary.metrics.http_req_duration["p(95)"]).toBeLessThan(NATIVE_RELATIVE_ERROR);

      expect(otlp.failures).toEqual([]);
      const requests = otlp.requests("/v1/metrics");
      expect(requests.length).toBeGreaterThan(0);
      for (const r of requests) {
        const attributes = Object.fromEntries(r.resourceMetrics[0]!.resource!.attributes!.map((a) => [a.key, a.value.stringValue]));
        expect(attributes).toMatchObject({ "service.name": "loadr", "loadr.run_id": runId, "loadr.plan": "distributed-outputs" });
      }
      const total = otlp.metrics("/v1/metrics", "loadr.http_reqs").flatMap((m) => m.sum!.dataPoints).reduce((n, p) => n + Number(p.asInt ?? p.asDouble), 0);
      expect(total).toBe(served);
    } finally {
      dir.cleanup();
    }
  }, 120_000);
});
