// What an output costs the run loop's thread per tick: `add` of one snapshot with SERIES series
// (half http_reqs counters, half http_req_duration trends, distinct `name` tags) for each
// output, the receivers real and on loopback (a file in a temp dir, an HTTP server that accepts
// every write, a UDP socket). Prints the median and worst `add` time over TICKS ticks, and the
// points each output reported as sent. Usage: node scripts/bun.mjs bench/outputs-tick.ts [SERIES] [TICKS]
import { createSocket } from "node:dgram";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Aggregator } from "../src/metrics/aggregator.ts";
import { MetricRegistry } from "../src/metrics/registry.ts";
import { MetricStore } from "../src/metrics/store.ts";
import { metricsOf } from "../src/config/registered.ts";
import { BUILTINS } from "../src/builtins.ts";
import { OUTPUTS } from "../src/outputs/registry.ts";
import type { RunSnapshot } from "../src/core/run/run-loop.ts";

const SERIES = Number(process.argv[2] ?? 2000);
const TICKS = Number(process.argv[3] ?? 20);

const dir = mkdtempSync(join(tmpdir(), "loadr-bench-outputs-"));
const http = createServer((req, res) => req.resume().on("end", () => res.writeHead(204).end()));
await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
const udp = createSocket("udp4");
await new Promise<void>((r) => udp.bind(0, "127.0.0.1", r));
udp.on("message", () => {});

const registry = new MetricRegistry(metricsOf(BUILTINS));
const aggregator = new Aggregator(registry);
const store = new MetricStore(registry);
const specs: Record<string, string> = {
  jsonl: join(dir, "m.jsonl"),
  "jsonl.gz": join(dir, "m.jsonl.gz"),
  csv: join(dir, "m.csv"),
  influxdb: `http://127.0.0.1:${(http.address() as AddressInfo).port}/write?db=k6`,
  statsd: `127.0.0.1:${udp.address().port}`,
  "prometheus-rw": `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/v1/write`,
  prometheus: "127.0.0.1:0",
  otlp: `http://127.0.0.1:${(http.address() as AddressInfo).port}/v1/metrics`,
};
const outputs = Object.entries(specs).map(([label, arg]) => ({ label, output: OUTPUTS[label.replace(".gz", "")]!.create(arg, {}, { cwd: dir, planName: "bench" }), times: [] as number[] }));
for (const o of outputs) await o.output.start();

for (let tick = 1; tick <= TICKS; tick++) {
  for (let i = 0; i < SERIES / 2; i++) {
    const tags = { name: `request-${i}`, status: "200", method: "GET", scenario: "s" };
    store.add("http_reqs", 1, tags);
    store.add("http_req_duration", 5 + (i % 50), tags);
  }
  aggregator.merge(store.takeDelta());
  const interval = aggregator.takeInterval({ elapsedMs: tick * 1000, unixMs: Date.now() });
  const snapshot = { tick, interval, final: false } as unknown as RunSnapshot;
  for (const o of outputs) {
    const start = performance.now();
    o.output.add(snapshot);
    o.times.push(performance.now() - start);
  }
  await new Promise((r) => setTimeout(r, 50));
}
for (const o of outputs) await o.output.stop();
for (const o of outputs) {
  const sorted = [...o.times].sort((a, b) => a - b);
  const report = o.output.report?.();
  console.log(`${o.label.padEnd(13)} add: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms, worst ${sorted.at(-1)!.toFixed(2)} ms per tick of ${interval_series()} series${report ? `; sent ${report.sentPoints}, dropped ${report.droppedPoints}` : ""}`);
}
function interval_series() {
  return SERIES;
}
http.close();
udp.close();
rmSync(dir, { recursive: true, force: true });
