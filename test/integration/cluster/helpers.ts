// Shared pieces of the cluster integration tests: condition waits (never fixed sleeps), a fake
// LocalRun that reports exactly its share, and a controller on loopback with a temp data dir.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scenarioNames } from "../../../src/cluster/agent/agent-run.ts";
import { startController, type Controller, type ControllerOptions } from "../../../src/cluster/controller/controller.ts";
import { loadPlanInfo } from "../../../src/cluster/controller/load-plan.ts";
import type { LocalRun, LocalRunOptions, LocalRunOutcome, RunState } from "../../../src/core/run/types.ts";
import { offsetOf, shareOf, type Segment } from "../../../src/core/segment.ts";
import { newHistogram, toStored } from "../../../src/metrics/hdr.ts";
import { encodeHistogram } from "../../../src/metrics/hdr-codec.ts";
import { seriesKey } from "../../../src/metrics/series.ts";

export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function tempDir(prefix = "loadr-cluster-"): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const quiet = () => {};

export function testController(dataDir: string, over: Partial<ControllerOptions> = {}): Promise<Controller> {
  return startController({ bind: "127.0.0.1:0", http: "127.0.0.1:0", dataDir, loadPlan: loadPlanInfo, log: quiet, ...over });
}

export interface FakeRunRecord {
  options: LocalRunOptions;
  controls: string[];
  stopped?: "graceful" | "now";
}

/**
 * A LocalRun stand-in: each scenario does `perScenario` requests in total (its share by the
 * segment), reported over `ticks` deltas `tickMs` apart, each request with duration = its global
 * index in ms (so merged percentiles are checkable). Runs until stopped when `ticks` is Infinity.
 * Like the real engine, `scale` takes the scenario-wide count and records this segment's share.
 */
export function fakeEngine(config: { perScenario: number; ticks: number; tickMs?: number }) {
  const runs: FakeRunRecord[] = [];
  const start = (options: LocalRunOptions): LocalRun => {
    const record: FakeRunRecord = { options, controls: [] };
    runs.push(record);
    const scenarios = scenarioNames(options.source.text);
    let state: RunState = "starting";
    let resolve!: (o: LocalRunOutcome) => void;
    const done = new Promise<LocalRunOutcome>((r) => (resolve = r));
    let tick = 0;
    const mine = ownedIndices(config.perScenario, options.segment);
    let timer: ReturnType<typeof setInterval> | undefined;
    const emit = () => {
      const delta = { counters: {} as Record<string, number>, rates: {}, gauges: { vus: 2 } as Record<string, number>, trends: {} as Record<string, string> };
      const slice = Number.isFinite(config.ticks) ? mine.filter((_, i) => i % config.ticks === tick) : [tick];
      for (const scenario of scenarios) {
        if (slice.length === 0) continue;
        const h = newHistogram();
        for (const k of slice) h.recordValue(toStored(k + 1));
        delta.counters[seriesKey("http_reqs", { scenario })] = slice.length;
        delta.trends[seriesKey("http_req_duration", { scenario })] = encodeHistogram(h);
      }
      tick++;
      options.onDelta(delta, false);
    };
    const finish = (outcome: "finished" | "stopped") => {
      if (state === "finished" || state === "stopped") return;
      clearInterval(timer);
      state = outcome;
      options.onDelta({ counters: {}, rates: {}, gauges: {}, trends: {} }, true);
      resolve({ state: outcome, notes: [] });
    };
    const begin = () => {
      if (state !== "starting") return; // stopped before its start time: it never runs
      state = "running";
      timer = setInterval(() => {
        if (state === "paused") return;
        emit();
        if (tick >= config.ticks) finish("finished");
      }, config.tickMs ?? 50);
    };
    setTimeout(begin, Math.max(0, (options.startAtUnixMs ?? Date.now()) - Date.now()));
    return {
      done,
      status: () => {
        const activeVus = state === "running" ? 2 : 0;
        // The first scenario holds the 2 VUs; each tick completes one iteration of each scenario.
        const progress = scenarios.map((name, i) => ({
          name, executor: "shared-iterations", state: state === "starting" ? ("waiting" as const) : state === "running" || state === "paused" ? ("running" as const) : ("done" as const),
          activeVus: i === 0 ? activeVus : 0, maxVus: i === 0 ? 2 : 0, iterations: tick, completed: tick, interrupted: 0, dropped: 0, startTime: 0,
          elapsedMs: tick * (config.tickMs ?? 50), durationMs: null, plannedIterations: Number.isFinite(config.ticks) ? config.ticks : null,
        }));
        return { state, elapsedMs: 0, activeVus, maxVus: 2, reporting: state !== "starting", scenarios: progress, health: { eventLoopLagMs: 0, cpuPercent: 0, overloaded: false } };
      },
      stop(mode) {
        record.stopped = mode;
        record.controls.push(`stop:${mode}`);
        finish("stopped");
      },
      pause() {
        record.controls.push("pause");
        if (state === "running") state = "paused";
      },
      resume() {
        record.controls.push("resume");
        if (state === "paused") state = "running";
      },
      scale(scenario, vus) {
        // As the real engine: `vus` is scenario-wide; this process takes its segment's share once.
        record.controls.push(`scale:${scenario}:${shareOf(vus, options.segment)}`);
      },
    };
  };
  return { start, runs };
}

/** The units of `total` this segment owns, as contiguous global indices. */
export function ownedIndices(total: number, segment: Segment): number[] {
  const from = offsetOf(total, segment);
  return Array.from({ length: shareOf(total, segment) }, (_, i) => from + i);
}

export const SIMPLE_PLAN = `name: cluster-test
baseUrl: http://127.0.0.1:9
scenarios:
  main:
    executor: shared-iterations
    vus: 2
    iterations: 10
    flow:
      - request: { name: home, url: / }
thresholds:
  http_req_duration: ["p(95)<100000"]
`;
