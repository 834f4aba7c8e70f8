// Remote-write bodies (outputs/prometheus-rw/write-request.ts from outputs/prometheus/run-series.ts)
// accepted by a real Prometheus 2.42 with native histograms: totals and histogram_quantile read
// back with PromQL agree with the aggregator's own figures (the summary's).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import type { CounterValue, TrendValue } from "../../../src/metrics/values.ts";
import { NATIVE_RELATIVE_ERROR } from "../../../src/outputs/prometheus/native-histogram.ts";
import { RunSeries } from "../../../src/outputs/prometheus/run-series.ts";
import { encodeWriteRequest, REMOTE_WRITE_HEADERS, remoteSeries } from "../../../src/outputs/prometheus-rw/write-request.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";
import { startPrometheus, type PrometheusServer } from "../../helpers/prometheus.ts";

let prometheus: PrometheusServer;

beforeAll(async () => {
  prometheus = await startPrometheus();
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
});

/** A deterministic spread of latencies (ms) from 0.2 ms to ~2 s, log-uniform-ish. */
function latency(i: number): number {
  const u = ((i * 7919) % 10007) / 10007;
  return 0.2 * Math.pow(10_000, u);
}

async function write(body: Uint8Array): Promise<void> {
  const response = await fetch(`${prometheus.url}/api/v1/write`, { method: "POST", headers: REMOTE_WRITE_HEADERS, body });
  if (response.status !== 204) throw new Error(`remote write answered ${response.status}: ${await response.text()}`);
}

describe("prometheus remote write", () => {
  test("counters, rates, gauges and native histograms read back as the aggregator's figures", async () => {
    const runId = `rw-${Date.now()}`;
    const aggregator = new Aggregator(builtinRegistry());
    const store = new MetricStore(builtinRegistry());
    const series = new RunSeries({ prefix: "loadr_", labels: { run_id: runId }, stats: true });
    const start = Date.now() - 20_000;
    let sample = 0;
    for (let tick = 1; tick <= 10; tick++) {
      for (let k = 0; k < 500; k++, sample++) {
        const name = sample % 3 === 0 ? "login" : "home";
        const tags = { name, method: "GET", status: sample % 10 === 0 ? "500" : "200", scenario: "steady" };
        store.add("http_reqs", 1, tags);
        store.add("http_req_duration", latency(sample), tags);
        store.add("http_req_failed", sample % 10 === 0 ? 1 : 0, tags);
        store.add("data_received", 1234, tags);
      }
      aggregator.merge(store.takeDelta());
      aggregator.setGauge("vus", tick);
      const interval = aggregator.takeInterval({ elapsedMs: tick * 1000, unixMs: start + tick * 1000 });
      series.add(interval.series);
      await write(encodeWriteRequest(remoteSeries(series.families({ native: true, trendStats: ["p(95)", "count"] }), interval.endUnixMs)));
    }
    const at = (start + 10_000) / 1000;
    const sel = `{run_id="${runId}"}`;
    expect(await prometheus.scalar(`sum(loadr_http_reqs_total${sel})`, at)).toBe(5000);
    const logins = aggregator.query("http_reqs", { name: "login" }) as CounterValue;
    expect(await prometheus.scalar(`sum(loadr_http_reqs_total{run_id="${runId}",name="login"})`, at)).toBe(logins.count);
    expect(await prometheus.scalar(`sum(loadr_http_req_failed_passes_total${sel})`, at)).toBe(500);
    expect(await prometheus.scalar(`sum(loadr_data_received_bytes_total${sel})`, at)).toBe(5000 * 1234);
    expect(await prometheus.scalar(`loadr_vus${sel}`, at)).toBe(10);
    expect(await prometheus.scalar(`sum(histogram_count(loadr_http_req_duration_seconds${sel}))`, at)).toBe(5000);

    const whole = aggregator.query("http_req_duration") as TrendValue;
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const got = (await prometheus.scalar(`histogram_quantile(${q}, sum(loadr_http_req_duration_seconds${sel}))`, at))! * 1000;
      const want = whole.percentile(q * 100);
      expect(Math.abs(got - want) / want).toBeLessThan(NATIVE_RELATIVE_ERROR);
    }
    // Per request name.
    const login = aggregator.query("http_req_duration", { name: "login" }) as TrendValue;
    const loginP95 = (await prometheus.scalar(`histogram_quantile(0.95, sum(loadr_http_req_duration_seconds{run_id="${runId}",name="login"}))`, at))! * 1000;
    expect(Math.abs(loginP95 - login.p95) / login.p95).toBeLessThan(NATIVE_RELATIVE_ERROR);
    // The trendStats gauges are the HDR figures exactly (seconds).
    const p95s = await prometheus.query(`loadr_http_req_duration_seconds_p95{run_id="${runId}",name="login",status="200"}`, at);
    expect(Number(p95s[0]!.value![1]) * 1000).toBeCloseTo((aggregator.query("http_req_duration", { name: "login", status: "200" }) as TrendValue).p95, 9);
  }, 60_000);
});
