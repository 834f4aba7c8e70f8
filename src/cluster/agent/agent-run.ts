// One assigned run on an agent: data files materialized in a per-run temp directory (paths
// checked again), the plan split into local runs by partition (one when the agent runs an equal
// share of every scenario; one per distinct i/n under scenario targeting), their deltas shipped
// as MetricsBatch, and RunEvents at start and end. Loads nothing itself: `startLocalRun` does.
// Every way its load stops (the plan's end, a control, `abandon`, `shutdown`) ends the same way:
// each local run's final delta is shipped, then one FINISHED or FAILED event. A stop the
// controller did not ask for (fail-safe, shutdown) ends FINISHED with outcome "stopped" and the
// reason in `error`: the controller counts that share as lost (controller/run.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument, isMap } from "yaml";
import type { LocalRun, LocalRunOptions, LocalRunOutcome } from "../../core/run/types.ts";
import { partition, type Segment } from "../../core/segment.ts";
import type { MetricDelta } from "../../metrics/types.ts";
import { groupByPartition, isUniformPartition } from "../dispatch.ts";
import { mergeScenarioStatuses } from "../../core/run/scenario-progress.ts";
import { materializeFiles } from "../files.ts";
import type { Assignment, Control, MetricsBatch, RunEvent } from "../protocol.ts";

/** After a local run is done, wait at most this long for its final delta before reporting. */
const FINAL_DELTA_GRACE_MS = 5_000;
/** How often the agent looks whether its progress is due. */
const PROGRESS_POLL_MS = 50;
/**
 * Longest time without a batch once the local runs report: the controller's live view shows each
 * agent's progress from its last batch, and metric batches alone can be up to 2 s apart.
 */
const PROGRESS_EVERY_MS = 500;

export interface AgentRunDeps {
  startLocalRun(options: LocalRunOptions): LocalRun;
  workers: number;
  sendMetrics(batch: MetricsBatch): void;
  sendEvent(event: RunEvent): void;
  log(line: string): void;
}

interface Part {
  scenarios: string[] | "all";
  segment: Segment;
  text: string;
  run?: LocalRun;
  final: boolean;
  onFinal?: () => void;
}

/** Scenario names of a plan's YAML, in order (empty when it cannot be read; the engine will say why). */
export function scenarioNames(yamlText: string): string[] {
  const doc = parseDocument(yamlText);
  const scenarios = doc.get("scenarios");
  return isMap(scenarios) ? scenarios.items.map((item) => String((item.key as { value?: unknown })?.value ?? item.key)) : [];
}

/** The plan's YAML with only `keep` scenarios (comments and order preserved). */
function keepScenarios(yamlText: string, keep: string[]): string {
  const doc = parseDocument(yamlText);
  const scenarios = doc.get("scenarios");
  if (!isMap(scenarios)) return yamlText;
  for (const name of scenarioNames(yamlText)) if (!keep.includes(name)) scenarios.delete(name);
  return doc.toString();
}

export class AgentRun {
  readonly id: string;
  readonly workdir: string;
  readonly #a: Assignment;
  readonly #deps: AgentRunDeps;
  readonly #parts: Part[] = [];
  #seq = 0;
  #started = false;
  #ended = false;
  /** Why the agent stopped the load on its own (fail-safe, shutdown, stale run), for the notes. */
  #stoppedEarly?: string;
  #startTimer?: ReturnType<typeof setTimeout>;
  #progressPoll?: ReturnType<typeof setInterval>;
  /** Date.now() of the last batch sent. */
  #lastBatchAt: number | undefined;
  readonly done: Promise<void>;
  #resolveDone!: () => void;

  /** Throws (DataFileError, …) when the assignment cannot be prepared; the caller reports FAILED. */
  constructor(assignment: Assignment, deps: AgentRunDeps) {
    this.id = assignment.run_id;
    this.#a = assignment;
    this.#deps = deps;
    this.done = new Promise((resolve) => (this.#resolveDone = resolve));
    this.workdir = mkdtempSync(join(tmpdir(), `loadr-run-${assignment.run_id.replace(/[^A-Za-z0-9_-]/g, "")}-`));
    try {
      materializeFiles(this.workdir, assignment.files);
    } catch (error) {
      this.#cleanup();
      throw error;
    }
    const all = scenarioNames(assignment.plan_yaml);
    const uniform = assignment.scenarios.length === 0
      ? { index: assignment.partition_index, count: Math.max(1, assignment.partition_count) }
      : isUniformPartition(assignment.scenarios, all);
    if (uniform) {
      this.#parts.push({ scenarios: "all", segment: partition(uniform.index, uniform.count), text: assignment.plan_yaml, final: false });
    } else {
      for (const g of groupByPartition(assignment.scenarios)) {
        this.#parts.push({ scenarios: g.scenarios, segment: partition(g.index, g.count), text: keepScenarios(assignment.plan_yaml, g.scenarios), final: false });
      }
    }
  }

  get started(): boolean {
    return this.#started;
  }

  /** Starts every part with the barrier time (agent clock); load begins then. */
  start(startUnixMs: number): void {
    if (this.#started || this.#ended) return;
    this.#started = true;
    const workers = Math.max(1, Math.floor(this.#deps.workers / this.#parts.length));
    const outcomes: Promise<LocalRunOutcome>[] = [];
    for (const part of this.#parts) {
      try {
        part.run = this.#deps.startLocalRun({
          source: { text: part.text, file: this.#a.plan_file || "plan.yaml", baseDir: this.workdir, env: { ...this.#a.env } },
          segment: part.segment,
          workers,
          startAtUnixMs: startUnixMs,
          ...(this.#a.setup_json ? { setupJson: this.#a.setup_json } : {}),
          onDelta: (delta, final) => this.#ship(part, delta, final),
        });
        outcomes.push(part.run.done.then(async (outcome) => {
          await this.#finalDelta(part);
          return outcome;
        }));
      } catch (error) {
        part.final = true;
        outcomes.push(Promise.resolve({ state: "failed", error: (error as Error).message, notes: [] }));
      }
    }
    // The controller shows the fleet's VUs once every agent reported them: report as soon as the
    // local runs do, and then at least every PROGRESS_EVERY_MS (a batch without metrics).
    this.#progressPoll = setInterval(() => {
      if (this.#ended || !this.#reporting()) return;
      if (this.#lastBatchAt !== undefined && Date.now() - this.#lastBatchAt < PROGRESS_EVERY_MS) return;
      this.#sendBatch({ counters: {}, rates: {}, gauges: {}, trends: {} }, false);
    }, PROGRESS_POLL_MS);
    const delay = Math.max(0, startUnixMs - Date.now());
    this.#startTimer = setTimeout(() => {
      if (!this.#ended) this.#deps.sendEvent({ run_id: this.id, kind: "STARTED", summary: "", error: "", notes: [], outcome: "" });
    }, delay);
    void Promise.all(outcomes).then((list) => this.#end(list));
  }

  #ship(part: Part, delta: MetricDelta, final: boolean): void {
    if (final) part.final = true;
    const allFinal = this.#parts.every((p) => p.final);
    const empty = !final && isEmpty(delta);
    if (!empty || (final && allFinal)) this.#sendBatch(delta, final && allFinal);
    if (final) part.onFinal?.();
  }

  /**
   * Once every part reports, the agent's VUs now (all its parts) ride along as the vus / vus_max
   * gauges and its scenarios' progress as `progress`: the controller sums them over the fleet
   * (cluster/controller/run-metrics.ts). Before that they would be made-up zeros, so they are left out.
   */
  #sendBatch(delta: MetricDelta, final: boolean): void {
    if (final) clearInterval(this.#progressPoll);
    this.#lastBatchAt = Date.now();
    let batch: object = delta;
    if (this.#reporting()) {
      const vus = this.#vus();
      const progress = mergeScenarioStatuses(this.#parts.map((p) => p.run?.status().scenarios ?? []));
      batch = { ...delta, gauges: { ...delta.gauges, vus: vus.active, vus_max: vus.max }, progress };
    }
    this.#deps.sendMetrics({ run_id: this.id, delta: new TextEncoder().encode(JSON.stringify(batch)), seq: ++this.#seq, final, unix_ms: Date.now() });
  }

  /** Every part's local run reports its progress (or ended). */
  #reporting(): boolean {
    return this.#parts.every((p) => p.final || p.run?.status().reporting === true);
  }

  #finalDelta(part: Part): Promise<void> {
    if (part.final) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, FINAL_DELTA_GRACE_MS);
      part.onFinal = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #end(outcomes: LocalRunOutcome[]): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#startTimer);
    clearInterval(this.#progressPoll);
    const notes = [...new Set(outcomes.flatMap((o) => o.notes))];
    const errors = outcomes.filter((o) => o.state === "failed").map((o) => o.error ?? "failed");
    if (errors.length > 0) {
      this.#deps.sendEvent({ run_id: this.id, kind: "FAILED", summary: "", error: errors.join("; "), notes, outcome: "failed" });
    } else {
      const stopped = outcomes.some((o) => o.state === "stopped");
      this.#deps.sendEvent({ run_id: this.id, kind: "FINISHED", summary: "", error: stopped ? (this.#stoppedEarly ?? "") : "", notes, outcome: stopped ? "stopped" : "finished" });
    }
    this.#cleanup();
    this.#resolveDone();
  }

  control(control: Control): void {
    for (const part of this.#parts) {
      const run = part.run;
      if (!run) continue;
      switch (control.action) {
        case "STOP":
          run.stop("graceful");
          break;
        case "KILL":
          run.stop("now");
          break;
        case "PAUSE":
          run.pause();
          break;
        case "RESUME":
          run.resume();
          break;
        case "SCALE":
          if (part.scenarios === "all" || part.scenarios.includes(control.scenario)) run.scale(control.scenario, control.vus);
          break;
      }
    }
    if ((control.action === "STOP" || control.action === "KILL") && !this.#started) this.#endUnstarted();
  }

  /** Stops the load now (fail-safe, stale run). `done` resolves once the final delta and the end were sent. */
  abandon(why: string): void {
    this.#stopEarly(why);
    for (const part of this.#parts) part.run?.stop("now");
  }

  /**
   * Stops the load gracefully (running iterations may finish within their scenario's
   * gracefulStop), hard after `graceMs` at the latest: the agent is shutting down. Resolves with
   * `done`.
   */
  shutdown(why: string, graceMs: number): Promise<void> {
    this.#stopEarly(why);
    if (this.#ended) return this.done;
    for (const part of this.#parts) part.run?.stop("graceful");
    const hard = setTimeout(() => {
      for (const part of this.#parts) part.run?.stop("now");
    }, graceMs);
    return this.done.finally(() => clearTimeout(hard));
  }

  #stopEarly(why: string): void {
    if (this.#ended) return;
    this.#deps.log(`run ${this.id}: stopping its load: ${why}`);
    this.#stoppedEarly ??= why;
    if (!this.#started) this.#endUnstarted(`before its load started: ${why}`);
  }

  /** Nothing ran: the controller hears that this share stopped before it started (`why` for a stop it did not ask for). */
  #endUnstarted(why = ""): void {
    if (this.#ended) return;
    this.#ended = true;
    clearTimeout(this.#startTimer);
    this.#deps.sendEvent({ run_id: this.id, kind: "FINISHED", summary: "", error: why, notes: [], outcome: "stopped" });
    this.#cleanup();
    this.#resolveDone();
  }

  activeVus(): number {
    return this.#vus().active;
  }

  #vus(): { active: number; max: number } {
    const vus = { active: 0, max: 0 };
    for (const part of this.#parts) {
      const status = part.run?.status();
      vus.active += status?.activeVus ?? 0;
      vus.max += status?.maxVus ?? 0;
    }
    return vus;
  }

  state(): string {
    if (this.#ended) return "finished";
    if (!this.#started) return "assigned";
    return this.#parts[0]?.run?.status().state ?? "starting";
  }

  health(): string {
    for (const part of this.#parts) {
      const h = part.run?.status().health;
      if (h?.overloaded) return h.reason ?? "overloaded";
    }
    return "";
  }

  #cleanup(): void {
    try {
      rmSync(this.workdir, { recursive: true, force: true });
    } catch {}
  }
}

function isEmpty(delta: MetricDelta): boolean {
  for (const section of [delta.counters, delta.rates, delta.gauges, delta.trends]) for (const _ in section) return false;
  return true;
}
