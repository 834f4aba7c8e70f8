// A 10 s `loadr run` (in-process, 2 worker threads) against the demo target with the plan's
// `outputs:` sending to real receivers at once: a real Prometheus 2.42 (remote write with native
// histograms, and scraping loadr's scrape endpoint), and an OTLP/HTTP receiver that decodes with
// the OpenTelemetry project's own .proto files (protobuf and JSON). What the receivers hold must
// equal the run's summary: PromQL totals exactly, histogram_quantile(0.95) within one schema-8
// bucket (NATIVE_RELATIVE_ERROR, 0.271 %) of the summary's p(95), OTLP delta sums exactly; and
// every query of the Grafana dashboard (deploy/grafana/loadr.json) finds the run's data.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { NATIVE_RELATIVE_ERROR } from "../../../src/outputs/prometheus/native-histogram.ts";
import { startOtlpReceiver, type OtlpMetric, type OtlpReceiver } from "../../helpers/otlp-receiver.ts";
import { writePlan } from "../../helpers/plans.ts";
import { freePort, startPrometheus, type PrometheusServer } from "../../helpers/prometheus.ts";

const DASHBOARD = join(import.meta.dir, "..", "..", "..", "deploy", "grafana", "loadr.json");

let demo: DemoServer;
let prometheus: PrometheusServer;
let otlp: OtlpReceiver;
let scrapePort: number;

beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
  otlp = startOtlpReceiver();
  scrapePort = await freePort();
  prometheus = await startPrometheus({ scrapeTargets: [`127.0.0.1:${scrapePort}`] });
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
  await otlp?.stop();
  await demo?.stop();
});

const PLAN = `
name: outputs-to-receivers
baseUrl: \${env.BASE_URL}
outputs:
  - prometheus-rw: \${env.PROM_URL}/api/v1/write
    trendStats: ["p(95)", count]
  - prometheus: 127.0.0.1:\${env.SCRAPE_PORT}
    finalScrapeTimeout: 20s
  - otlp: \${env.OTLP_URL}/pb/v1/metrics
  - otlp: \${env.OTLP_URL}/json/v1/metrics
    format: json
    histogram: explicit
scenarios:
  steady:
    executor: constant-vus
    vus: 4
    duration: 10s
    gracefulStop: 2s
    flow:
      - request: { name: home, url: /json }
      - request: { name: missing, url: /status/404 }
      - sleep: 10ms
`;

interface Summary {
  metrics: Record<string, Record<string, number>>;
}

const sumPoints = (metrics: OtlpMetric[], pick: (m: OtlpMetric) => Array<{ asInt?: string; asDouble?: number; count?: string }> | undefined) =>
  metrics.flatMap((m) => pick(m) ?? []).reduce((n, p) => n + Number(p.asInt ?? p.asDouble ?? p.count ?? 0), 0);

describe("outputs into real receivers", () => {
  test("Prometheus (remote write and scrape) and OTLP hold the summary's figures", async () => {
    const plan = writePlan(PLAN);
    const { io, stderr } = memoryIO({ BASE_URL: demo.url, PROM_URL: prometheus.url, SCRAPE_PORT: String(scrapePort), OTLP_URL: otlp.url });
    let summary: Summary;
    try {
      const code = await runLocal({ planPath: plan.planPath, env: io.env, workers: 2, segment: WHOLE, summaryJson: plan.path("summary.json"), quiet: true, color: false }, io);
      expect(stderr()).not.toContain("output");
      expect(code).toBe(0);
      summary = JSON.parse(readFileSync(plan.path("summary.json"), "utf8")) as Summary;
    } finally {
      plan.cleanup();
    }
    const requests = summary.metrics.http_reqs!.count!;
    const failed = summary.metrics.http_req_failed!.passes!;
    const p95 = summary.metrics.http_req_duration!["p(95)"]!;
    expect(requests).toBeGreaterThan(100);
    expect(failed).toBe(requests / 2);

    // Remote write (series without job/instance labels): every sample was delivered before the run returned.
    const rw = '{job=""}';
    expect(await prometheus.scalar(`sum(loadr_http_reqs_total${rw})`)).toBe(requests);
    expect(await prometheus.scalar(`sum(loadr_http_req_failed_passes_total${rw})`)).toBe(failed);
    expect(await prometheus.scalar(`sum(loadr_http_reqs_total{job="",name="missing",status="404"})`)).toBe(requests / 2);
    expect(await prometheus.scalar(`sum(histogram_count(loadr_http_req_duration_seconds${rw}))`)).toBe(requests);
    const quantile = (await prometheus.scalar(`histogram_quantile(0.95, sum(loadr_http_req_duration_seconds${rw}))`))! * 1000;
    expect(Math.abs(quantile - p95) / p95).toBeLessThan(NATIVE_RELATIVE_ERROR);
    expect(await prometheus.scalar(`max(loadr_vus_max${rw})`)).toBe(4);

    // The scrape endpoint, scraped by the same Prometheus; it waited for a scrape of the final values.
    // Range functions skip the staleness markers written once the endpoint closed.
    const scraped = '{job="loadr"}';
    await prometheus.waitFor(async () => (await prometheus.scalar(`sum(last_over_time(loadr_http_reqs_total${scraped}[5m]))`)) === requests, "the scraped final total");
    expect(await prometheus.scalar(`sum(last_over_time(loadr_http_req_failed_fails_total${scraped}[5m]))`)).toBe(requests - failed);
    // last_over_time does not take native histograms in 2.42: read the raw samples, then query at the last one.
    const raw = await prometheus.query(`loadr_http_req_duration_seconds${scraped}[5m]`);
    const last = raw.map((s) => s.histograms!.at(-1)!);
    expect(last.reduce((n, [, h]) => n + Number(h.count), 0)).toBe(requests);
    const at = Math.max(...last.map(([t]) => t));
    const scrapedQuantile = (await prometheus.scalar(`histogram_quantile(0.95, sum(loadr_http_req_duration_seconds${scraped}))`, at))! * 1000;
    expect(Math.abs(scrapedQuantile - p95) / p95).toBeLessThan(NATIVE_RELATIVE_ERROR);

    // OTLP, protobuf with exponential histograms and JSON with explicit buckets: deltas add up to the totals.
    expect(otlp.failures).toEqual([]);
    for (const path of ["/pb/v1/metrics", "/json/v1/metrics"]) {
      expect(sumPoints(otlp.metrics(path, "loadr.http_reqs"), (m) => m.sum?.dataPoints)).toBe(requests);
      expect(sumPoints(otlp.metrics(path, "loadr.http_req_failed.passes"), (m) => m.sum?.dataPoints)).toBe(failed);
      const durations = otlp.metrics(path, "loadr.http_req_duration");
      expect(sumPoints(durations, (m) => (m.exponentialHistogram ?? m.histogram)?.dataPoints)).toBe(requests);
      expect(durations.every((m) => (m.exponentialHistogram ?? m.histogram)!.aggregationTemporality === 1)).toBe(true);
      const resource = otlp.requests(path)[0]!.resourceMetrics[0]!.resource!.attributes!;
      expect(Object.fromEntries(resource.map((a) => [a.key, a.value.stringValue]))).toMatchObject({ "service.name": "loadr", "loadr.plan": "outputs-to-receivers" });
    }
    expect(otlp.metrics("/pb/v1/metrics", "loadr.http_req_duration").every((m) => m.exponentialHistogram !== undefined)).toBe(true);
    expect(otlp.metrics("/json/v1/metrics", "loadr.http_req_duration").every((m) => m.histogram !== undefined)).toBe(true);

    // Every query of the Grafana dashboard runs on this Prometheus; all but checks and dropped
    // iterations (the plan has none) find data. Grafana's variables as "All" and short ranges.
    const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as { panels: Array<{ title: string; targets?: Array<{ expr: string; legendFormat: string }> }> };
    const targets = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, ...t })));
    expect(targets.length).toBeGreaterThan(15);
    // At the run's last remote-written sample, so rate() windows hold the run however slow this machine is.
    const now = (await prometheus.scalar(`max(timestamp(loadr_http_reqs_total${rw}))`))!;
    for (const t of targets) {
      const promql = t.expr.replaceAll("$__rate_interval", "5s").replaceAll("$__range", "30s").replace(/\$(run_id|scenario|name)\b/g, ".*");
      const result = await prometheus.query(promql, now);
      if (t.panel === "Checks passing" || t.legendFormat.startsWith("dropped")) continue;
      if (result.length === 0) throw new Error(`dashboard panel "${t.panel}" (${t.legendFormat}) found no data: ${promql}`);
    }
  }, 120_000);
});
