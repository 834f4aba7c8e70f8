// Every piece of loadr's engine the ladder's upper rungs build, in this one file: the session rung's
// sessions and MetricStore, the plan the engine rungs run (as YAML), the engine on the calling
// thread (the worker thread's own wiring, for `engine-inline` and scripts/profile-engine.ts), and
// the whole local run (`startLocalRun`, `local-run`). When the VU factory, the flow interpreter or
// loadPlan change shape, this file is the one to adapt. Called on the rung child's main thread.
import { dirname, join } from "node:path";
import { writeFileSync } from "node:fs";
import type { PlanSource } from "../../src/config/plan.ts";
import { loadPlan } from "../../src/config/load.ts";
import { formatIssues } from "../../src/config/issues.ts";
import { REQUEST_DEFAULTS } from "../../src/config/normalize/request-defaults.ts";
import { MemoryCookieJar } from "../../src/core/cookies.ts";
import { startLocalRun } from "../../src/core/run/local-run.ts";
import { runScenarios } from "../../src/core/scheduler.ts";
import { WHOLE } from "../../src/core/segment.ts";
import { createVuFactory } from "../../src/core/vu-factory.ts";
import { Aggregator } from "../../src/metrics/aggregator.ts";
import { MetricStore } from "../../src/metrics/store.ts";
import type { MetricDelta, Tags } from "../../src/metrics/types.ts";
import { Http1Session } from "../../src/protocols/http1/index.ts";
import { BUILTINS } from "../../src/builtins.ts";
import { metricsOf } from "../../src/config/registered.ts";
import { MetricRegistry } from "../../src/metrics/registry.ts";
import type { ResolvedRequest } from "../../src/protocols/types.ts";
import type { RungBudget } from "./rungs.ts";

/** How often the store's delta is taken (the worker thread's cadence, core/worker-thread/worker-main.ts). */
const DELTA_INTERVAL_MS = 1000;
/** Upper bound of a count-bounded engine run (shared-iterations' maxDuration). */
const MAX_COUNTED_RUN_S = 600;

// ── the plan of the engine rungs (local-run, engine-inline, binary) ──────────────────────────

/**
 * One GET per iteration, like bench/plans/throughput.yaml: `constant-vus` for a duration budget,
 * `shared-iterations` (exactly N iterations over the VUs) for a request budget.
 */
export function ladderPlanYaml(url: string, vus: number, budget: RungBudget): string {
  const executor =
    "requests" in budget
      ? `executor: shared-iterations\n    vus: ${Math.min(vus, budget.requests)}\n    iterations: ${budget.requests}\n    maxDuration: ${MAX_COUNTED_RUN_S}s`
      : `executor: constant-vus\n    vus: ${vus}\n    duration: ${budget.durationMs}ms`;
  return `name: ladder\nscenarios:\n  load:\n    ${executor}\n    flow:\n      - request: { name: root, method: GET, url: "${url}" }\n`;
}

/** Writes the plan into `dir` and returns its path (for the binary) and source (in process). */
export function writeLadderPlan(dir: string, name: string, yaml: string): { path: string; source: PlanSource } {
  const path = join(dir, name);
  writeFileSync(path, yaml);
  return { path, source: { text: yaml, file: path, baseDir: dirname(path), env: {} } };
}

// ── what every engine rung reports ───────────────────────────────────────────────────────────

export interface EngineTally {
  /** http_reqs as loadr recorded it. */
  requests: number;
  /** http_req_failed "passes" (failed requests). */
  errors: number;
}

function tallyOf(aggregator: Aggregator): EngineTally {
  const reqs = aggregator.query("http_reqs");
  const failed = aggregator.query("http_req_failed");
  return {
    requests: reqs?.type === "counter" ? reqs.count : 0,
    errors: failed?.type === "rate" ? failed.passes : 0,
  };
}

// ── session: Http1Session + MetricStore, no flow ─────────────────────────────────────────────

export interface SessionRig {
  /** A session of VU `vu` (1-based), with its own cookie jar, recording into the shared store. */
  open(vu: number): Http1Session;
  /** The frozen request the flow interpreter would build for the plan's static GET. */
  readonly request: ResolvedRequest;
  /** The tags the flow interpreter passes with it (scenario, group). */
  readonly tags: Tags;
  /** Stops the delta timer, takes the last delta, and returns what the store recorded. */
  finish(): EngineTally;
}

export function sessionRig(url: string): SessionRig {
  const store = new MetricStore(new MetricRegistry(metricsOf(BUILTINS)));
  const aggregator = new Aggregator(new MetricRegistry(metricsOf(BUILTINS)));
  const timer = setInterval(() => aggregator.merge(store.takeDelta()), DELTA_INTERVAL_MS);
  const headers = Object.freeze([]) as unknown as Array<[string, string]>;
  const request: ResolvedRequest = Object.freeze({
    name: "root",
    method: "GET",
    url,
    headers,
    body: undefined,
    timeout: REQUEST_DEFAULTS.timeout,
    connectTimeout: REQUEST_DEFAULTS.connectTimeout,
    maxRedirects: REQUEST_DEFAULTS.maxRedirects,
    tls: Object.freeze({ insecure: false }),
  });
  return {
    open: (vu) => new Http1Session({ vu, cookies: new MemoryCookieJar(), metrics: store }),
    request,
    tags: Object.freeze({ scenario: "load", group: "" }),
    finish() {
      clearInterval(timer);
      aggregator.merge(store.takeDelta());
      return tallyOf(aggregator);
    },
  };
}

// ── engine-inline: scheduler, VU factory and flow on this thread ─────────────────────────────

/**
 * Runs a plan's whole engine on the calling thread, wired as a VU worker thread wires it
 * (core/worker-thread/worker-main.ts) minus the thread: same factory, store, scheduler and delta cadence.
 * Throws with the plan's issues when it does not load.
 */
export async function runEngineInline(source: PlanSource): Promise<EngineTally & { state: string }> {
  const loaded = loadPlan(source, { mode: "run", modules: BUILTINS });
  if (!loaded.ok) throw new Error(formatIssues(loaded.issues));
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
  const timer = setInterval(() => aggregator.merge(metrics.takeDelta()), DELTA_INTERVAL_MS);
  const outcome = await runScenarios(loaded.plan.scenarios, { segment: WHOLE, vuFactory, metrics, executors: BUILTINS.executors }).done;
  clearInterval(timer);
  aggregator.merge(metrics.takeDelta());
  return { ...tallyOf(aggregator), state: outcome.state };
}

// ── local-run: the worker pool with one thread ───────────────────────────────────────────────

/** Runs the plan through `startLocalRun({ workers: 1 })`, merging its deltas as `loadr run` does. */
export async function runLocal(source: PlanSource): Promise<EngineTally & { state: string }> {
  const aggregator = new Aggregator(new MetricRegistry(metricsOf(BUILTINS)));
  const run = startLocalRun({
    source,
    segment: WHOLE,
    workers: 1,
    onDelta: (delta: MetricDelta) => aggregator.merge(delta),
  });
  const outcome = await run.done;
  if (outcome.state === "failed") throw new Error(`the local run failed: ${outcome.error}`);
  return { ...tallyOf(aggregator), state: outcome.state };
}
