// The controller's runs: submission (files checked, plan validated), the dispatch loop, routing
// agent messages to their run, controls, and persistence. Many runs may be waiting or running
// at once; each agent serves one run at a time. Single-threaded.
import { shippedFiles, shippedPathProblem } from "../../config/plan-files.ts";
import type { RunView } from "../api-types.ts";
import { MAX_FILE_BYTES } from "../files.ts";
import type { AgentMessage } from "../protocol.ts";
import type { ControllerStore } from "../store.ts";
import type { AgentEntry, AgentRegistry } from "./registry.ts";
import { ControllerRun } from "./run.ts";
import { resolveClusterOptions, type PlanLoader } from "./run-plan.ts";
import type { RunHost } from "./run-state.ts";
import { runViewOf } from "./run-view.ts";
import { RejectionLog } from "./rejections.ts";
import { readSubmission, SubmissionError } from "./submission.ts";
import { checkPlanOutputs, startRunOutputs, type ControllerOutputs } from "./run-outputs.ts";

/** What a submitted plan's source names as its directory: nothing on disk (its files are shipped). */
const SHIPPED_BASE_DIR = "(files shipped with the plan)";
/** Finished runs stay in memory (for SSE and controls' answers) this long, then are served from SQLite. */
const KEEP_FINISHED_MS = 10 * 60_000;
/**
 * A batch's sequence number may run ahead of the last merged one by at most this much (batches an
 * agent could not send while disconnected leave gaps; a day of them is 86,400): a number far ahead
 * would make every later honest batch look like a duplicate.
 */
const MAX_SEQ_JUMP = 1_000_000;

export interface RunManagerOptions {
  registry: AgentRegistry;
  store: ControllerStore;
  loadPlan: PlanLoader;
  log(line: string): void;
  /** Where refused agent input is logged (throttled); a plain log when absent. */
  rejections?: RejectionLog;
  now?: () => number;
  /** Outputs fed from every run's merged metrics (controller/run-outputs.ts); none when absent. */
  outputs?: ControllerOutputs;
}

export class RunManager {
  readonly #runs = new Map<string, ControllerRun>();
  readonly #o: RunManagerOptions;
  readonly #host: RunHost;
  readonly #rejections: RejectionLog;
  #seq = 0;

  constructor(options: RunManagerOptions) {
    this.#o = options;
    const { registry, store } = options;
    const now = options.now ?? Date.now;
    this.#rejections = options.rejections ?? new RejectionLog(options.log, now);
    this.#host = {
      now,
      send: (id, message) => {
        const entry = registry.get(id);
        return entry ? registry.send(entry, message) : false;
      },
      release: (id, runId) => {
        const entry = registry.get(id);
        if (entry) registry.release(entry, runId);
      },
      assign: (id, runId) => {
        const entry = registry.get(id);
        if (!entry) return undefined;
        registry.assign(entry, runId);
        return { name: entry.name, labels: { ...entry.labels }, clockOffsetMs: entry.clockOffsetMs };
      },
      agentStarted: (id) => {
        const entry = registry.get(id);
        if (entry && entry.status.work === "assigned") registry.started(entry);
      },
      changed: (run) => store.saveRun(runViewOf(run), run.submission.planYaml),
      series: (runId, elapsedMs, data) => store.addSeries(runId, elapsedMs, data),
      log: options.log,
      rejected: (id, runId, reason) => {
        const entry = registry.get(id);
        if (entry) this.#rejected(entry, `run ${runId}: ${reason}`);
      },
    };
    registry.listen({
      onAgentGone: (entry, reason) => {
        const why = reason === "silent" ? "no heartbeat within the liveness window" : "its connection closed";
        for (const run of this.#runs.values()) if (!run.final) run.agentGone(entry.id, why);
      },
    });
  }

  /**
   * Checks and records a submission (the parsed JSON body of POST /api/runs); the run then waits
   * for agents. The plan is validated the way the agents will load it, against the files shipped
   * with it, in memory: the controller never reads its own disk for a plan. Throws a
   * SubmissionError (400/413/422, submission.ts) or a ConfigError (an invalid plan, 422).
   */
  async submit(body: unknown): Promise<ControllerRun> {
    const submission = readSubmission(body);
    const id = this.#newId();
    const { plan: planYaml, planFile, env } = submission;
    const plan = await this.#o.loadPlan({ text: planYaml, file: planFile, baseDir: SHIPPED_BASE_DIR, env }, shippedFiles(submission.files, MAX_FILE_BYTES));
    for (const path of plan.files) {
      const problem = shippedPathProblem(path);
      if (problem) throw new SubmissionError(422, `data file ${JSON.stringify(path)} ${problem}`);
    }
    checkPlanOutputs(plan, this.#o.outputs);
    const options = resolveClusterOptions(plan, submission.cluster);
    const files = Object.fromEntries(submission.files);
    let problem = (message: string) => this.#o.log(`run ${id}: ${message}`);
    const outputs = await startRunOutputs(this.#o.outputs, id, plan, (message) => problem(message));
    const run = new ControllerRun(id, plan, options, { planYaml, planFile, files, env }, this.#host, outputs);
    problem = (message) => run.outputProblem(message);
    this.#runs.set(id, run);
    this.#o.log(`run ${id} (${plan.name}) submitted: ${plan.scenarios.length} scenario(s), onAgentLoss ${options.onAgentLoss}`);
    this.dispatchWaiting();
    return run;
  }

  #newId(): string {
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    return `r${stamp}-${(++this.#seq).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  }

  /** Gives waiting runs agents, oldest first. */
  dispatchWaiting(): void {
    for (const run of this.#runs.values()) {
      if (run.status === "waiting") run.tryDispatch(this.#o.registry.candidates());
    }
  }

  /** Every second: thresholds, series, watchdogs; forgets old finished runs. */
  tick(): void {
    const now = (this.#o.now ?? Date.now)();
    for (const [id, run] of this.#runs) {
      run.tick();
      if (run.final && run.endedAtUnixMs !== undefined && now - run.endedAtUnixMs > KEEP_FINISHED_MS) this.#runs.delete(id);
    }
  }

  onRegistered(entry: AgentEntry, activeRuns: string[]): string[] {
    // A reconnecting agent's runs were written off when its stream closed: it must stop them.
    void entry;
    return activeRuns;
  }

  /**
   * A registered agent's message (its fields checked by the agent link, message-limits.ts). A
   * batch or run event must name a run the agent was assigned to; a batch's sequence number must
   * not run far ahead. Anything else is refused, counted and logged with the agent's name.
   */
  onMessage(entry: AgentEntry, message: AgentMessage): void {
    switch (message.body) {
      case "heartbeat": {
        const hb = message.heartbeat;
        entry.activeVus = hb.active_vus;
        entry.runState = hb.run_state;
        entry.health = hb.health;
        if (hb.run_id) this.#runs.get(hb.run_id)?.onHeartbeat(entry.id, hb);
        break;
      }
      case "metrics": {
        const batch = message.metrics;
        const run = this.#runOf(entry, batch.run_id, "a metrics batch");
        const agent = run?.state.agents.get(entry.id);
        if (!run || !agent) break;
        if (batch.seq > agent.lastSeq + MAX_SEQ_JUMP) {
          agent.rejectedBatches++;
          this.#rejected(entry, `run ${run.id}: a metrics batch with sequence number ${batch.seq} was refused: the last one merged was ${agent.lastSeq}`);
          break;
        }
        run.onMetrics(entry.id, batch);
        break;
      }
      case "run_event": {
        const ev = message.run_event;
        const run = this.#runOf(entry, ev.run_id, `a ${ev.kind} event`);
        if (!run) break;
        if (ev.kind === "FAILED") this.#o.log(`run ${ev.run_id}: agent ${entry.name} failed: ${ev.error}`);
        run.onRunEvent(entry.id, ev);
        break;
      }
    }
  }

  /** The live run `runId` if `entry` takes part in it; else refuses `what` (silently for a run that ended long ago). */
  #runOf(entry: AgentEntry, runId: string, what: string): ControllerRun | undefined {
    const run = this.#runs.get(runId);
    if (run?.state.agents.has(entry.id)) return run;
    if (!run && this.#o.store.getRun(runId)?.agents.some((a) => a.agentId === entry.id)) return undefined;
    this.#rejected(entry, `${what} for run ${JSON.stringify(runId)} was refused: ${run ? "this agent is not part of that run" : "no such run"}`);
    return undefined;
  }

  #rejected(entry: AgentEntry, line: string): void {
    entry.rejectedMessages++;
    this.#rejections.note(`agent ${entry.name} (${entry.id})`, line);
  }

  live(id: string): ControllerRun | undefined {
    return this.#runs.get(id);
  }

  get(id: string): RunView | undefined {
    return this.#runs.get(id)?.view() ?? this.#o.store.getRun(id);
  }

  list(): RunView[] {
    const stored = this.#o.store.listRuns();
    const live = new Map([...this.#runs.values()].map((r) => [r.id, r.view()]));
    const merged = stored.map((v) => {
      const l = live.get(v.id);
      if (!l) return v;
      const { summary: _s, ...rest } = l;
      return rest;
    });
    return merged;
  }

  activeRuns(): ControllerRun[] {
    return [...this.#runs.values()].filter((r) => !r.final);
  }

  /** Stops every run (controller shutdown). */
  stopAll(): void {
    for (const run of this.activeRuns()) run.control("stop");
  }
}
