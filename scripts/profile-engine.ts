// Profiling aid: runs a plan's whole engine (VUs, HTTP, metrics, deltas) on the main thread, so
// `bun --cpu-prof scripts/profile-engine.ts PLAN` profiles the hot path without worker threads.
// The engine is wired by bench/ladder/engine.ts (the ladder's `engine-inline` rung), the one place
// that builds it outside the worker thread. Prints requests, req/s and CPU per request (user and
// system apart; `process.cpuUsage` is process-wide, which is this thread alone here).
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { runEngineInline } from "../bench/ladder/engine.ts";

const path = resolve(process.argv[2] ?? "examples/quickstart.yaml");
const source = { text: readFileSync(path, "utf8"), file: path, baseDir: dirname(path), env: process.env };
const started = performance.now();
const cpuStart = process.cpuUsage();
let outcome;
try {
  outcome = await runEngineInline(source);
} catch (error) {
  console.error((error as Error).message);
  process.exit(104);
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
const per = (us: number) => (us / Math.max(1, outcome.requests)).toFixed(2);
console.log(
  `${outcome.state}: ${outcome.requests} requests (${outcome.errors} failed) in ${seconds.toFixed(1)} s = ${Math.round(outcome.requests / seconds)} req/s, ` +
    `${per(cpu.user + cpu.system)} µs CPU per request (user ${per(cpu.user)}, system ${per(cpu.system)})`,
);
