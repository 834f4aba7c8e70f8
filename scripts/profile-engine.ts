// Profiling aid: runs a plan's whole engine (VUs, HTTP, metrics, deltas) on the main thread, so
// `bun --cpu-prof scripts/profile-engine.ts PLAN` profiles the hot path without worker threads.
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { loadPlan } from "../src/config/load.ts";
import { formatIssues } from "../src/config/issues.ts";
import { MetricRegistry } from "../src/metrics/registry.ts";
import { MetricStore } from "../src/metrics/store.ts";
import { Aggregator } from "../src/metrics/aggregator.ts";
import { createVuFactory } from "../src/core/vu-factory.ts";
import { MemoryCookieJar } from "../src/core/cookies.ts";
import { runScenarios } from "../src/core/scheduler.ts";
import { WHOLE } from "../src/core/segment.ts";
import { BUILTINS } from "../src/builtins.ts";

const path = resolve(process.argv[2] ?? "examples/quickstart.yaml");
const loaded = loadPlan({ text: readFileSync(path, "utf8"), file: path, baseDir: dirname(path), env: process.env }, { mode: "run", modules: BUILTINS });
if (!loaded.ok) {
  console.error(formatIssues(loaded.issues));
  process.exit(104);
}
const metrics = new MetricStore(new MetricRegistry(loaded.plan.metrics));
const aggregator = new Aggregator(new MetricRegistry(loaded.plan.metrics));
const vuFactory = createVuFactory({
  baseUrl: loaded.plan.baseUrl,
  data: loaded.plan.data,
  modules: BUILTINS,
  metrics,
  createCookieJar: () => new MemoryCookieJar(),
  baseDir: loaded.plan.source.baseDir,
});
const started = performance.now();
const cpuStart = process.cpuUsage();
const timer = setInterval(() => aggregator.merge(metrics.takeDelta()), 1000);
const outcome = await runScenarios(loaded.plan.scenarios, { segment: WHOLE, vuFactory, metrics, executors: BUILTINS.executors }).done;
clearInterval(timer);
aggregator.merge(metrics.takeDelta());
const reqs = aggregator.query("http_reqs");
const count = reqs?.type === "counter" ? reqs.count : 0;
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
const cpuUsPerRequest = (cpu.user + cpu.system) / Math.max(1, count);
console.log(`${outcome.state}: ${count} requests in ${seconds.toFixed(1)} s = ${Math.round(count / seconds)} req/s, ${cpuUsPerRequest.toFixed(1)} µs CPU per request`);
