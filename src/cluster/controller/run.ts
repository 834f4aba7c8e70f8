// One run on the controller. Its concerns live in their own modules around one shared state
// (run-state.ts): dispatch and the start barrier (run-dispatch.ts), merging and thresholds on the
// run loop (run-merge.ts), the agent-loss policy (agent-loss.ts), controls (run-controls.ts) and
// how it ended (run-end.ts). This class routes the run manager's calls to them, and owns the
// run's event feed and its one ending.
//
// Contract: single-threaded; the run manager (runs.ts) calls `tryDispatch` and `tick` on its
// timers and forwards agent messages as they arrive; nothing blocks. The run never touches gRPC
// or SQLite itself: it sends through `RunHost` and reports changes to it.
import { exitCodeOf } from "../../core/run/outcome.ts";
import { FINAL_RUN_STATUSES, type RunEventView, type RunStatus, type RunView } from "../api-types.ts";
import type { AgentCandidate } from "../dispatch.ts";
import type { Heartbeat, MetricsBatch, RunEvent } from "../protocol.ts";
import { agentFailed, agentLost, awaitingLostFlush, checkStopTimeout, lostAgentSpoke } from "./agent-loss.ts";
import { PrometheusTotals, progressConsumer, seriesConsumer } from "./run-consumers.ts";
import { applyControl, requestStop, type ControlProblem, type RunControl } from "./run-controls.ts";
import { RunDispatch } from "./run-dispatch.ts";
import { runEndOf, type RunEnd } from "./run-end.ts";
import { EventFeed } from "./run-events.ts";
import { RunMerge } from "./run-merge.ts";
import type { PlanInfo, RunClusterOptions } from "./run-plan.ts";
import { activeAgents, type RunAgent, type RunCore, type RunHost, type RunState, type RunSubmission } from "./run-state.ts";
import { runViewOf } from "./run-view.ts";
import { RunOutputs } from "../../outputs/run-consumer.ts";

export class ControllerRun implements RunCore {
  readonly state: RunState;
  readonly host: RunHost;
  /** The run's figures for GET /metrics (a consumer of its loop). */
  readonly prometheus = new PrometheusTotals();
  readonly #feed = new EventFeed();
  readonly #dispatch: RunDispatch;
  readonly #merge: RunMerge;

  /** The run's outputs (controller/run-outputs.ts), fed by its loop; their notes go into the summary. */
  readonly #outputs: RunOutputs;

  constructor(id: string, plan: PlanInfo, options: RunClusterOptions, submission: RunSubmission, host: RunHost, outputs: RunOutputs = new RunOutputs([])) {
    this.host = host;
    this.#outputs = outputs;
    this.state = { id, plan, options, submission, submittedAtUnixMs: host.now(), status: "waiting", notes: [], agents: new Map() };
    this.#dispatch = new RunDispatch(this);
    this.#merge = new RunMerge(this, [
      progressConsumer(id, this.#feed, host.now),
      seriesConsumer(id, (runId, point) => host.series(runId, point.elapsedMs, point.data)),
      this.prometheus,
      ...outputs.consumers(),
    ], outputs.agentConsumers());
    this.emitStatus(`waiting for ${options.agents || "any"} agent${options.agents === 1 ? "" : "s"}`);
  }

  get id(): string {
    return this.state.id;
  }

  get status(): RunStatus {
    return this.state.status;
  }

  get endedAtUnixMs(): number | undefined {
    return this.state.endedAtUnixMs;
  }

  get final(): boolean {
    return FINAL_RUN_STATUSES.includes(this.state.status);
  }

  /** The run as the HTTP API and the store show it. */
  view(): RunView {
    return runViewOf(this.state);
  }

  /** Past status and agent events, then each new one; after the end, the past ones only (`finished` last). */
  subscribe(listener: (event: RunEventView) => void): { past: RunEventView[]; unsubscribe(): void } {
    return this.#feed.subscribe(listener);
  }

  // ---- from the run manager ------------------------------------------------------------------

  /** An output's receiver started failing or recovered: logged, and a status event for the live view. */
  outputProblem(message: string): void {
    this.host.log(`run ${this.state.id}: ${message}`);
    if (!this.final) this.emitStatus(message);
  }

  /** While waiting: assigns and starts when enough agents are idle; fails past the wait. */
  tryDispatch(fleet: AgentCandidate[]): void {
    this.#dispatch.tryDispatch(fleet);
  }

  /** Every second: the run loop's tick (thresholds, series, progress), the start and stop watchdogs. */
  tick(): void {
    if (this.final) return;
    this.#merge.tick();
    this.#dispatch.checkStart();
    checkStopTimeout(this);
    this.checkDone();
  }

  /**
   * Every batch for the run is merged until the run is finalized, whatever the agent's state: an
   * agent written off as lost may still deliver work it did (its counts are real).
   */
  onMetrics(agentId: string, batch: MetricsBatch): void {
    const agent = this.state.agents.get(agentId);
    if (!agent || this.final) return;
    this.#merge.onMetrics(agent, batch);
    if (agent.state === "lost" && agent.reports.final) this.checkDone();
  }

  onHeartbeat(agentId: string, heartbeat: Heartbeat): void {
    const agent = this.state.agents.get(agentId);
    if (!agent) return;
    if (agent.state === "lost") lostAgentSpoke(this, agentId);
    else agent.activeVus = heartbeat.active_vus;
  }

  onRunEvent(agentId: string, event: RunEvent): void {
    const agent = this.state.agents.get(agentId);
    if (!agent || agent.state === "lost") return;
    agent.notes.push(...event.notes.filter((n) => !agent.notes.includes(n)));
    // A share that stopped when nobody asked (the agent shut down, its fail-safe fired) left the
    // run early: a loss under the run's policy (its final batch came first: nothing is missing).
    if (event.kind === "FINISHED" && event.outcome === "stopped" && this.state.stopRequestedAt === undefined) {
      agentLost(this, agentId, `it stopped its load early${event.error ? `: ${event.error}` : ""}`);
      return;
    }
    if (event.kind === "STARTED") {
      if (agent.state === "assigned") agent.state = "running";
      this.host.agentStarted(agentId);
      this.emitAgent(agent, `${agent.name} started`);
      if (this.state.status === "starting") {
        this.state.status = "running";
        this.emitStatus("running");
      }
      return;
    }
    if (event.kind === "FAILED") {
      agentFailed(this, agent, event.error);
    } else {
      agent.state = event.outcome === "stopped" ? "stopped" : "finished";
      this.host.release(agentId, this.state.id);
      this.emitAgent(agent, `${agent.name} ${agent.state}`);
    }
    this.checkDone();
  }

  /** The agent disconnected or went silent past the liveness window. */
  agentGone(agentId: string, why: string): void {
    agentLost(this, agentId, why);
  }

  /** A control from the HTTP API; what is wrong when it cannot be applied (run-controls.ts). */
  control(action: RunControl, body: unknown = {}): ControlProblem | undefined {
    return applyControl(this, action, body);
  }

  // ---- RunCore: what the concerns ask of the run -----------------------------------------------

  emitStatus(message: string): void {
    this.#feed.emit({ type: "status", runId: this.state.id, status: this.state.status, message, atUnixMs: this.host.now() });
    this.host.changed(this.state);
  }

  emitAgent(agent: RunAgent, message: string): void {
    this.#feed.emit({ type: "agent", runId: this.state.id, agentId: agent.agentId, name: agent.name, state: agent.state, message, atUnixMs: this.host.now() });
    this.host.changed(this.state);
  }

  interrupt(how: string): void {
    this.#merge.interrupt(how);
  }

  requestStop(action: "STOP" | "KILL", message: string): void {
    requestStop(this, action, message);
  }

  checkDone(): void {
    const { state } = this;
    if (this.final || state.agents.size === 0 || activeAgents(state).length > 0) return;
    if (awaitingLostFlush(state, this.host.now())) return;
    const end = runEndOf({
      agents: [...state.agents.values()],
      stopRequested: state.stopRequestedAt !== undefined,
      abortedByThreshold: this.#merge.abortedByThreshold,
      onAgentLoss: state.options.onAgentLoss,
      ...(state.error !== undefined ? { error: state.error } : {}),
    });
    if (end.failed !== undefined) state.error ??= end.failed;
    this.#finalize(end, end.status);
  }

  fail(reason: string): void {
    if (this.final) return;
    this.state.error = reason;
    this.#finalize({ status: "failed", failed: reason }, reason);
  }

  endUnstarted(message: string): void {
    if (!this.final) this.#finalize({ status: "stopped" }, message);
  }

  // ---- the end -------------------------------------------------------------------------------

  /** The one ending: the status is final at once; the summary and exit code follow from the loop. */
  #finalize(end: RunEnd, message: string): void {
    const { state, host } = this;
    state.status = end.status;
    state.endedAtUnixMs = host.now();
    const announce = () => {
      try {
        this.emitStatus(message);
      } catch (error) {
        host.log(`run ${state.id}: could not record its end: ${(error as Error)?.message ?? String(error)}`);
      }
      this.#feed.emit({
        type: "finished", runId: state.id, status: state.status, exitCode: state.exitCode!, summary: state.summary,
        ...(state.error ? { error: state.error } : {}), atUnixMs: state.endedAtUnixMs!,
      });
      this.#feed.close();
    };
    // Whatever goes wrong building the summary (synchronously or not), the run still announces its end.
    Promise.resolve()
      .then(() => this.#merge.finish(end.failed))
      .then(
        (result) => {
          result.summary.notes.push(...this.#outputs.notes());
          state.summary = result.summary;
          state.exitCode = result.exitCode;
          announce();
        },
        (error: unknown) => {
          state.error ??= `the summary could not be built: ${(error as Error)?.message ?? String(error)}`;
          state.exitCode = exitCodeOf("failed");
          host.log(`run ${state.id}: ${state.error}`);
          announce();
        },
      );
  }
}
