// The body of a VU worker thread: merges the extra modules of its start message over the modules
// its entry file gave it, loads the plan from its source with them, runs its segment of every
// scenario, and ships encoded metric deltas to the main thread once a second (the same delta an
// agent ships to the controller) and its scenarios' progress several times a second (what the
// live view shows). Exits after sending `done` or `failed`.
import type { FromWorker, ToWorker, WorkerProgress, WorkerStatus } from "./protocol.ts";
import { loadPlan } from "../../config/load.ts";
import { formatIssues } from "../../config/issues.ts";
import { MetricRegistry } from "../../metrics/registry.ts";
import { MetricStore } from "../../metrics/store.ts";
import { loadModules } from "../../plugin-api/load-modules.ts";
import { LoadrError } from "../../shared/errors.ts";
import type { Modules } from "../../plugin-api/types.ts";
import { createVuFactory } from "../vu-factory.ts";
import { MemoryCookieJar } from "../cookies.ts";
import { runScenarios, type SchedulerHandle } from "../scheduler.ts";
import { startHealthSampler } from "../health.ts";
import { createSharedFeedCursor } from "../feeds/cursor.ts";
import type { ScriptEngine, WorkerScript } from "../script.ts";

const DELTA_INTERVAL_MS = 1000;
/** Period of `progress` messages: the live view's figures are at most this old when it draws. */
const PROGRESS_INTERVAL_MS = 250;

/**
 * Serves one worker thread on `port` (the thread's `self`). `modules` are what its plans may use
 * before any extra `moduleSpecifiers`; src/vu-worker.ts passes the built-ins. `scripts` loads a
 * plan's `hooks:` module (core/script.ts); a plan with one fails on a worker without it.
 */
export function serveWorker(port: Worker, modules: Modules, scripts?: ScriptEngine): void {
  const send = (message: FromWorker) => port.postMessage(message);
  let scheduler: SchedulerHandle | undefined;
  let pendingStop: "graceful" | "now" | undefined;

  port.onmessage = (event: MessageEvent<ToWorker>) => {
    const message = event.data;
    switch (message.type) {
      case "start":
        void start(message).catch((error) => fail(error));
        break;
      case "stop":
        if (scheduler) scheduler.stop(message.mode);
        else pendingStop = message.mode;
        break;
      case "pause":
        scheduler?.pause();
        break;
      case "resume":
        scheduler?.resume();
        break;
      case "scale":
        scheduler?.scale(message.scenario, message.vus);
        break;
    }
  };

  function fail(error: unknown): void {
    // A user's mistake (e.g. a module that does not load) in words; anything else with its stack.
    const text =
      error instanceof LoadrError
        ? `${error.message}${error.hint ? ` (${error.hint})` : ""}`
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    send({ type: "failed", error: text });
    setTimeout(() => process.exit(1), 10);
  }

  async function start(message: Extract<ToWorker, { type: "start" }>): Promise<void> {
    const runModules = await loadModules(modules, message.moduleSpecifiers ?? []);
    const loaded = loadPlan(message.source, { mode: "run", modules: runModules });
    if (!loaded.ok) {
      send({ type: "failed", error: formatIssues(loaded.issues) });
      return;
    }
    const plan = loaded.plan;
    const warnings = new Set<string>();
    const warn = (text: string) => {
      if (warnings.has(text)) return;
      warnings.add(text);
      send({ type: "warning", message: text });
    };
    const registry = new MetricRegistry(plan.metrics);
    const metrics = new MetricStore(registry, { onWarning: warn });
    let script: WorkerScript | undefined;
    if (plan.hooks) {
      if (!scripts) throw new Error("the plan has a hooks: module, but this worker has no script engine");
      script = await scripts.load(plan, {
        registry,
        metrics,
        warn,
        protocols: runModules.protocols,
        ...(message.setupJson !== undefined ? { setupJson: message.setupJson } : {}),
      });
    }
    const vuFactory = createVuFactory({
      baseUrl: plan.baseUrl,
      data: plan.data,
      modules: runModules,
      metrics,
      createCookieJar: () => new MemoryCookieJar(),
      baseDir: plan.source.baseDir,
      feedCursor: createSharedFeedCursor(message.feedCursor, Object.keys(plan.data).sort()),
      warn,
      ...(script ? { script } : {}),
      ...(message.debug ? { debug: { ...message.debug, write: (text: string) => send({ type: "debug", text }) } } : {}),
    });
    const health = startHealthSampler();

    if (message.startAtUnixMs !== undefined) {
      const wait = message.startAtUnixMs - Date.now();
      if (wait > 0) await Bun.sleep(wait);
    }
    scheduler = runScenarios(plan.scenarios, { segment: message.segment, vuFactory, metrics, executors: runModules.executors });
    if (pendingStop) scheduler.stop(pendingStop);
    send({ type: "ready" });

    const progress = (): WorkerProgress => {
      const s = scheduler!.status();
      return { activeVus: s.activeVus, maxVus: s.maxVus, scenarios: s.scenarios };
    };
    const status = (): WorkerStatus => {
      const h = health.sample();
      return { ...progress(), eventLoopLagMs: h.eventLoopLagMs, cpuPercent: h.cpuPercent };
    };
    // The first progress once the scenarios that start at once have begun (after this turn of
    // the event loop), so the main thread never shows made-up zeros.
    const sendProgress = () => send({ type: "progress", progress: progress() });
    const firstProgress = setTimeout(sendProgress, 0);
    const progressTimer = setInterval(sendProgress, PROGRESS_INTERVAL_MS);
    const timer = setInterval(() => send({ type: "delta", delta: metrics.takeDelta(), status: status() }), DELTA_INTERVAL_MS);
    const outcome = await scheduler.done;
    clearTimeout(firstProgress);
    clearInterval(progressTimer);
    clearInterval(timer);
    const finalStatus = status();
    health.stop();
    send({ type: "done", delta: metrics.takeDelta(), status: finalStatus, notes: outcomeNotes(outcome) });
  }
}

/** Sentences about iterations cut off by gracefulStop, for the summary. */
function outcomeNotes(outcome: Awaited<SchedulerHandle["done"]>): string[] {
  const notes: string[] = [];
  for (const scenario of outcome.scenarios) {
    if (scenario.interrupted > 0) {
      notes.push(`scenario ${scenario.name}: ${scenario.interrupted} iteration(s) were cut off at the end of gracefulStop`);
    }
  }
  return notes;
}
