// What the user sees while a local run goes (the live screen: live-screen.ts). A run-loop consumer
// (core/run/run-loop.ts): `onTick` once a second and once more for the final snapshot, never
// blocks. It draws nothing until the worker threads have reported their progress (the status's
// `reporting`), so the first drawing already shows the VUs that run, never made-up zeros.
import type { ProcessIO } from "../io.ts";
import type { TestPlan } from "../../config/plan.ts";
import type { LocalRunStatus } from "../../core/run/types.ts";
import type { RunConsumer, RunLoopStatus, RunSnapshot } from "../../core/run/run-loop.ts";
import { liveFigures, type LiveFrame } from "../../outputs/progress.ts";
import { LiveScreen } from "./live-screen.ts";

export interface LiveViewOptions {
  quiet: boolean;
  color: boolean;
}

/** The local run's status as the loop reads it. */
export type LocalLoopStatus = LocalRunStatus & RunLoopStatus;

export class LiveView implements RunConsumer<LocalLoopStatus> {
  readonly name = "live view";
  readonly #screen: LiveScreen;
  #warnedOverload = false;

  constructor(
    private readonly io: ProcessIO,
    private readonly options: LiveViewOptions,
  ) {
    this.#screen = new LiveScreen(io, options.quiet);
  }

  started(plan: TestPlan, workers: number): void {
    if (this.options.quiet) return;
    const scenarios = plan.scenarios.map((s) => `${s.name} (${s.executor.type})`).join(", ");
    this.io.stderr.write(`loadr: running ${plan.name}: ${scenarios} on ${workers} worker thread(s)\n`);
  }

  /** A sentence for the user, on its own line. */
  message(text: string): void {
    this.#screen.message(text);
  }

  onTick(snapshot: RunSnapshot<LocalLoopStatus>): void {
    const { status } = snapshot;
    if (status.health.overloaded && !this.#warnedOverload && status.health.reason) {
      this.#warnedOverload = true;
      this.message(status.health.reason);
    }
    if (!status.reporting) return;
    this.#screen.draw(frameOf(snapshot), snapshot.final);
  }
}

/** The live frame of a local run's snapshot. */
function frameOf(snapshot: RunSnapshot<LocalLoopStatus>): LiveFrame {
  const { status } = snapshot;
  return {
    elapsedMs: status.elapsedMs,
    vus: status.activeVus,
    maxVus: status.maxVus,
    overloaded: status.health.overloaded,
    scenarios: status.scenarios,
    ...liveFigures(snapshot.interval),
  };
}
