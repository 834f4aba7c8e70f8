// What the user sees while a run goes: on a terminal, one progress line rewritten each second;
// off a terminal, a plain line every few seconds. Written to stderr, so stdout carries only the
// summary. Called from the run loop once a second; never blocks.
import type { ProcessIO } from "../io.ts";
import type { TestPlan } from "../../config/plan.ts";
import type { Aggregator } from "../../metrics/aggregator.ts";
import type { LocalRunStatus } from "../../core/run/types.ts";
import { formatProgressLine, formatProgressLog, liveFigures, type ProgressInput } from "../../outputs/progress.ts";

/** Off a terminal, one line per this many ticks. */
const PLAIN_EVERY_TICKS = 5;

export interface LiveViewOptions {
  quiet: boolean;
  color: boolean;
  totalMs: number;
}

export class LiveView {
  #ticks = 0;
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

  tick(aggregator: Aggregator, status: LocalRunStatus): void {
    this.#ticks++;
    if (status.health.overloaded && !this.#warnedOverload && status.health.reason) {
      this.#warnedOverload = true;
      this.message(status.health.reason);
    }
    const interval = aggregator.takeInterval();
    if (this.options.quiet) return;
    const figures: ProgressInput = {
      elapsedMs: status.elapsedMs,
      totalMs: Number.isFinite(this.options.totalMs) ? this.options.totalMs : 0,
      vus: status.activeVus,
      maxVus: status.maxVus,
      overloaded: status.health.overloaded,
      ...liveFigures(interval),
    };
    if (this.io.stderr.isTTY) {
      this.io.stderr.write(`\r\x1b[2K${formatProgressLine(figures, process.stderr.columns)}`);
      this.#lineOpen = true;
    } else if (this.#ticks % PLAIN_EVERY_TICKS === 0) {
      this.io.stderr.write(`${formatProgressLog(figures)}\n`);
    }
  }

  finished(): void {
    this.#closeLine();
  }

  #closeLine(): void {
    if (this.#lineOpen) this.io.stderr.write("\n");
    this.#lineOpen = false;
  }
}
