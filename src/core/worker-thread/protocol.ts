// Messages between the main thread (core/run/local-run.ts, which starts the threads) and a VU
// worker thread (src/vu-worker.ts → worker-main.ts). Plain structured-clone data only: plans
// cross as their source and extra modules as specifiers, never as objects or functions.
import type { PlanSource } from "../../config/plan.ts";
import type { MetricDelta } from "../../metrics/types.ts";
import type { Segment } from "../segment.ts";
import type { ProtocolDebugOptions } from "../../protocols/types.ts";
import type { ScenarioStatus } from "../scheduler.ts";

export type ToWorker =
  | {
      type: "start";
      workerIndex: number;
      source: PlanSource;
      segment: Segment;
      startAtUnixMs?: number;
      /** Positions of sequential data feeds shared by all workers (feeds in sorted name order). */
      feedCursor: SharedArrayBuffer;
      /**
       * Extra modules (absolute paths or file: URLs of ES modules exporting `modules`), imported
       * by the worker and merged over the modules it was started with, before the plan loads.
       */
      moduleSpecifiers?: string[];
      /** Send every exchange's text back as `debug` messages (LocalRunOptions.debug). */
      debug?: ProtocolDebugOptions;
      /** JSON text of what the hooks module's `setup` returned (LocalRunOptions.setupJson). */
      setupJson?: string;
    }
  | { type: "stop"; mode: "graceful" | "now" }
  | { type: "pause" }
  | { type: "resume" }
  | { type: "scale"; scenario: string; vus: number };

/** The scheduler's progress, as a worker reports it several times a second. */
export interface WorkerProgress {
  activeVus: number;
  maxVus: number;
  /** One entry per scenario of the plan, in plan order. */
  scenarios: ScenarioStatus[];
}

export interface WorkerStatus extends WorkerProgress {
  eventLoopLagMs: number;
  cpuPercent: number;
}

export type FromWorker =
  /** The plan loaded and the scenarios are scheduled. */
  | { type: "ready" }
  /** Soon after `ready`, then every few hundred ms while running: what the live view shows. */
  | { type: "progress"; progress: WorkerProgress }
  /** About once a second while running. */
  | { type: "delta"; delta: MetricDelta; status: WorkerStatus }
  /** The last delta; the worker exits after sending it. */
  | { type: "done"; delta: MetricDelta; status: WorkerStatus; notes: string[] }
  /** Something went wrong that ends this worker's part of the run. */
  | { type: "failed"; error: string }
  /** A one-time message for the user (e.g. a data feed shorter than the VU count). */
  | { type: "warning"; message: string }
  /** One exchange as a session printed it (only when the start message asked for `debug`). */
  | { type: "debug"; text: string };
