// Runs one process's share of a plan on a pool of VU worker threads (one per core by default).
// Used by `loadr run` (segment = WHOLE) and by a cluster agent (segment = its partition).
// Every worker gets an equal sub-segment of this process's segment, so the workers' shares add
// up to it exactly. A worker that crashes ends the whole run with a failure naming it.
import type { LocalRun, LocalRunOptions, LocalRunOutcome, LocalRunStatus, RunState } from "./types.ts";
import type { FromWorker, ToWorker, WorkerStatus } from "../worker-thread/protocol.ts";
import { partition, subSegment } from "../segment.ts";
import { sharedFeedCursorBytes } from "../feeds/cursor.ts";
import { DeltaAccumulator } from "../../metrics/delta-accumulator.ts";
import { workerUrl } from "../../worker-url.ts";
import { judgeHealth, type HealthSample } from "../health.ts";
import { mergeScenarioStatuses } from "./scenario-progress.ts";

interface WorkerSlot {
  index: number;
  thread: Worker;
  status: WorkerStatus;
  /** True once the worker sent its progress (or its end). */
  reported: boolean;
  finished: boolean;
}

/** How often the workers' merged deltas are handed to `onDelta`. */
const DELTA_FLUSH_MS = 1000;
/** How long a worker may take to load its plan before the run fails. */
const WORKER_START_TIMEOUT_MS = 30_000;
/** Sequential feeds beyond this many walk their rows per worker instead of in one shared order. */
const MAX_SHARED_FEEDS = 64;

/** A LocalRun that also exposes its threads (for tests that kill one, and diagnostics). */
export interface PooledLocalRun extends LocalRun {
  readonly threads: readonly Worker[];
}

export function startLocalRun(options: LocalRunOptions): PooledLocalRun {
  const count = Math.max(1, Math.floor(options.workers));
  const startedAt = performance.now();
  let state: RunState = "starting";
  const notes = new Set<string>();
  const healthHistory: HealthSample[] = [];
  let failure: string | undefined;
  let stopRequested = false;
  let resolveDone!: (outcome: LocalRunOutcome) => void;
  const done = new Promise<LocalRunOutcome>((resolve) => (resolveDone = resolve));

  const slots: WorkerSlot[] = [];
  const feedCursor = new SharedArrayBuffer(sharedFeedCursorBytes(MAX_SHARED_FEEDS));
  let ready = 0;
  const startTimer = setTimeout(() => {
    if (ready < count) failRun(`${count - ready} of ${count} worker thread(s) did not start within ${WORKER_START_TIMEOUT_MS / 1000} s`);
  }, WORKER_START_TIMEOUT_MS);

  for (let index = 0; index < count; index++) {
    const thread = new Worker(workerUrl("vu-worker.ts"));
    const slot: WorkerSlot = {
      index,
      thread,
      status: { activeVus: 0, maxVus: 0, scenarios: [], eventLoopLagMs: 0, cpuPercent: 0 },
      reported: false,
      finished: false,
    };
    slots.push(slot);
    thread.onmessage = (event: MessageEvent<FromWorker>) => onMessage(slot, event.data);
    thread.onerror = (event) => onCrash(slot, event.message || "uncaught error");
    thread.addEventListener("close", () => {
      if (!slot.finished) onCrash(slot, "the thread exited without finishing its share");
    });
    post(slot, {
      type: "start",
      workerIndex: index,
      source: options.source,
      segment: subSegment(options.segment, partition(index, count)),
      startAtUnixMs: options.startAtUnixMs,
      feedCursor,
      moduleSpecifiers: options.moduleSpecifiers,
      ...(options.debug ? { debug: { bodies: options.debug.bodies, unsafe: options.debug.unsafe } } : {}),
    });
  }

  function post(slot: WorkerSlot, message: ToWorker): void {
    if (!slot.finished) slot.thread.postMessage(message);
  }

  function onMessage(slot: WorkerSlot, message: FromWorker): void {
    switch (message.type) {
      case "ready":
        ready++;
        if (ready === count) {
          clearTimeout(startTimer);
          if (state === "starting") state = "running";
        }
        break;
      case "progress":
        slot.status = { ...slot.status, ...message.progress };
        slot.reported = true;
        break;
      case "delta":
        slot.status = message.status;
        slot.reported = true;
        pendingDeltas.add(message.delta);
        break;
      case "warning":
        notes.add(message.message);
        break;
      case "debug":
        options.debug?.write(message.text);
        break;
      case "done":
        slot.status = { ...message.status, activeVus: 0, scenarios: message.status.scenarios.map((sc) => ({ ...sc, activeVus: 0 })) };
        slot.reported = true;
        pendingDeltas.add(message.delta);
        for (const note of message.notes) notes.add(note);
        finishSlot(slot);
        break;
      case "failed":
        failRun(`worker ${slot.index + 1} of ${count} failed: ${message.error}`);
        break;
    }
  }

  function onCrash(slot: WorkerSlot, reason: string): void {
    if (slot.finished) return;
    failRun(`worker ${slot.index + 1} of ${count} crashed: ${reason}`);
  }

  function failRun(reason: string): void {
    if (failure !== undefined || state === "finished" || state === "stopped") return;
    failure = reason;
    state = "failed";
    for (const slot of slots) {
      slot.finished = true;
      slot.thread.terminate();
    }
    settle();
  }

  function finishSlot(slot: WorkerSlot): void {
    slot.finished = true;
    slot.thread.terminate();
    if (slots.every((s) => s.finished)) settle();
  }

  function settle(): void {
    clearTimeout(startTimer);
    clearInterval(healthTimer);
    clearInterval(deltaTimer);
    flushDeltas();
    const health = judgeHealth(healthHistory);
    if (health.overloaded && health.reason) notes.add(health.reason);
    if (failure === undefined) state = stopRequested ? "stopped" : "finished";
    options.onDelta({ counters: {}, rates: {}, gauges: {}, trends: {} }, true);
    const outcome: LocalRunOutcome = { state: failure ? "failed" : stopRequested ? "stopped" : "finished", notes: [...notes] };
    if (failure) outcome.error = failure;
    resolveDone(outcome);
  }

  const healthTimer = setInterval(() => healthHistory.push(currentHealthSample()), 1000);

  // The workers' deltas of each second go out as one (one MetricsBatch per agent, not per thread).
  const pendingDeltas = new DeltaAccumulator();
  const flushDeltas = () => {
    if (!pendingDeltas.empty) options.onDelta(pendingDeltas.take(), false);
  };
  const deltaTimer = setInterval(flushDeltas, DELTA_FLUSH_MS);

  function currentHealthSample(): HealthSample {
    let lag = 0;
    let cpu = 0;
    for (const slot of slots) {
      lag = Math.max(lag, slot.status.eventLoopLagMs);
      cpu = Math.max(cpu, slot.status.cpuPercent);
    }
    return { eventLoopLagMs: lag, cpuPercent: cpu };
  }

  return {
    done,
    threads: slots.map((slot) => slot.thread),
    status(): LocalRunStatus {
      let activeVus = 0;
      let maxVus = 0;
      for (const slot of slots) {
        activeVus += slot.status.activeVus;
        maxVus += slot.status.maxVus;
      }
      return {
        state,
        elapsedMs: performance.now() - startedAt,
        activeVus,
        maxVus,
        reporting: state !== "starting" && slots.every((slot) => slot.reported),
        scenarios: mergeScenarioStatuses(slots.map((slot) => slot.status.scenarios)),
        health: judgeHealth(healthHistory.slice(-5)),
      };
    },
    stop(mode) {
      stopRequested = true;
      if (state === "running" || state === "starting" || state === "paused") state = "stopping";
      for (const slot of slots) post(slot, { type: "stop", mode });
    },
    pause() {
      if (state === "running") state = "paused";
      for (const slot of slots) post(slot, { type: "pause" });
    },
    resume() {
      if (state === "paused") state = "running";
      for (const slot of slots) post(slot, { type: "resume" });
    },
    scale(scenario, vus) {
      // The scenario-wide count, to every worker unchanged: each worker's scheduler takes its own
      // segment's share once (see LocalRun.scale).
      for (const slot of slots) post(slot, { type: "scale", scenario, vus });
    },
  };
}
