// What the user sees while a run goes: on a terminal, one progress line rewritten each tick;
// off a terminal, a plain line every few ticks. Written to stderr, so stdout carries only the
// summary. A run-loop consumer (core/run/run-loop.ts): `onTick` once a second, never blocks.
import type { ProcessIO } from "../io.ts";
import type { TestPlan } from "../../config/plan.ts";
import type { LocalRunStatus } from "../../core/run/types.ts";
import type { RunConsumer, RunLoopStatus, RunSnapshot } from "../../core/run/run-loop.ts";
import { formatProgressLine, formatProgressLog, liveFigures, type ProgressInput } from "../../outputs/progress.ts";

/** Off a terminal, one line per this many ticks. */
const PLAIN_EVERY_TICKS = 5;

export interface LiveViewOptions {
  quiet: boolean;
  color: boolean;
  totalMs: number;
}

/** The local run's status as the loop reads it. */
export type LocalLoopStatus = LocalRunStatus & RunLoopStatus;

export class LiveView implements RunConsumer<LocalLoopStatus> {
  readonly name = "live view";
  #lineOpen = false;
  #warnedOverload = false;

  constructor(
    private readonly io: ProcessIO,
    private readonly options: LiveViewOptions,
  ) {}

  started(plan: TestPlan, workers: number): void {
    if (this.options.quiet) return;
    const scenarios = plan.scenarios.map((s) => `${s.name} (${s.executor.type})`).join(", ");
    this.io.stderr.write(`loadr: running ${plan.name}: ${scenarios} on ${workers} worker thread(s)\n`);
  }

  /** A sentence for the user, on its own line. */
  message(text: string): void {
    this.#closeLine();
    this.io.stderr.write(`loadr: ${text}\n`);
  }

  onTick(snapshot: RunSnapshot<LocalLoopStatus>): void {
    const { status } = snapshot;
    if (status.health.overloaded && !this.#warnedOverload && status.health.reason) {
      this.#warnedOverload = true;
      this.message(status.health.reason);
    }
    if (this.options.quiet || snapshot.final) return;
    const figures: ProgressInput = {
      elapsedMs: status.elapsedMs,
      totalMs: Number.isFinite(this.options.totalMs) ? this.options.totalMs : 0,
      vus: status.activeVus,
      maxVus: status.maxVus,
      overloaded: status.health.overloaded,
      ...liveFigures(snapshot.interval),
    };
    if (this.io.stderr.isTTY) {
      this.io.stderr.write(`\r\x1b[2K${formatProgressLine(figures, process.stderr.columns)}`);
      this.#lineOpen = true;
    } else if (snapshot.tick % PLAIN_EVERY_TICKS === 0) {
      this.io.stderr.write(`${formatProgressLog(figures)}\n`);
    }
  }

  /** Closes the progress line before the summary is printed. */
  onFinish(): void {
    this.#closeLine();
  }

  #closeLine(): void {
    if (this.#lineOpen) this.io.stderr.write("\n");
    this.#lineOpen = false;
  }
}
