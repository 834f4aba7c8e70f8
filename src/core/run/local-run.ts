// Runs one process's share of a plan on a pool of VU worker threads (one per core by default).
// Used by `loadr run` (segment = WHOLE) and by a cluster agent (segment = its partition).
// Every worker gets an equal sub-segment of this process's segment, so the workers' shares add
// up to it exactly. A worker that crashes ends the whole run with a failure naming it.
//
// Deltas: the workers' deltas are merged and handed on as soon as every running worker has sent
// its delta of the second (so what reaches `onDelta` is at most about a second old, which bounds
// what a killed agent takes with it), or after DELTA_FLUSH_MS at the latest. Every stop path
// ends with the same final flush: after stop("now") or a failure, the workers still running get
// HARD_STOP_MS to send their last delta, then are terminated; then the merged rest and the
// `final: true` delta go out, and `done` resolves.
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
  /** Sent a delta since the last flush. */
  deltaSinceFlush: boolean;
}

/**
 * The longest from one flush of the merged deltas to the next (workers send theirs every second,
 * so a flush normally comes when the last of them did; this covers a slow or finished worker).
 */
const DELTA_FLUSH_MS = 1500;
/** After stop("now") or a failure: how long running workers have to send their last delta before they are terminated. */
const HARD_STOP_MS = 1500;
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
  let settled = false;
  let hardStopTimer: ReturnType<typeof setTimeout> | undefined;
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
      deltaSinceFlush: false,
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
      ...(options.setupJson !== undefined ? { setupJson: options.setupJson } : {}),
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
        slot.deltaSinceFlush = true;
        if (slots.every((s) => s.finished || s.deltaSinceFlush)) flushDeltas();
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
        failRun(`worker ${slot.index + 1} of ${count} failed: ${message.error}`, slot);
        break;
    }
  }

  function onCrash(slot: WorkerSlot, reason: string): void {
    if (slot.finished) return;
    failRun(`worker ${slot.index + 1} of ${count} crashed: ${reason}`, slot);
  }

  /**
   * The run fails (the first reason counts); `crashed` has ended without its last delta. The
   * workers still running stop now and send their last delta (bounded by hardStop).
   */
  function failRun(reason: string, crashed?: WorkerSlot): void {
    if (settled) return;
    if (crashed) {
      crashed.finished = true;
      crashed.thread.terminate();
    }
    if (failure === undefined) {
      failure = reason;
      state = "failed";
      for (const slot of slots) post(slot, { type: "stop", mode: "now" });
      hardStop();
    }
    if (slots.every((s) => s.finished)) settle();
  }

  /** Workers that have not ended HARD_STOP_MS from now are terminated (their unsent work is lost) and the run settles. */
  function hardStop(): void {
    if (hardStopTimer !== undefined || settled) return;
    hardStopTimer = setTimeout(() => {
      const stuck = slots.filter((s) => !s.finished);
      if (stuck.length === 0) return;
      notes.add(`${stuck.length} worker thread(s) did not stop within ${HARD_STOP_MS / 1000} s of a hard stop and were terminated; their last second of metrics is missing`);
      for (const slot of stuck) {
        slot.finished = true;
        slot.thread.terminate();
      }
      settle();
    }, HARD_STOP_MS);
  }

  function finishSlot(slot: WorkerSlot): void {
    slot.finished = true;
    slot.thread.terminate();
    if (slots.every((s) => s.finished)) settle();
  }

  function settle(): void {
    if (settled) return;
    settled = true;
    clearTimeout(hardStopTimer);
    clearTimeout(startTimer);
    clearInterval(healthTimer);
    clearTimeout(deltaTimer);
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
  let deltaTimer: ReturnType<typeof setTimeout> | undefined;
  function flushDeltas(): void {
    clearTimeout(deltaTimer);
    for (const slot of slots) slot.deltaSinceFlush = false;
    if (!pendingDeltas.empty) options.onDelta(pendingDeltas.take(), false);
    if (settled) return;
    deltaTimer = setTimeout(flushDeltas, DELTA_FLUSH_MS);
    options.onFlush?.();
  }
  deltaTimer = setTimeout(flushDeltas, DELTA_FLUSH_MS);

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
      if (settled) return;
      stopRequested = true;
      if (state === "running" || state === "starting" || state === "paused") state = "stopping";
      for (const slot of slots) post(slot, { type: "stop", mode });
      if (mode === "now") hardStop();
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
