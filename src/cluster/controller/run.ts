// One run on the controller: waiting for agents, assignment, the start barrier, merging agent
// deltas, continuous thresholds, agent loss, controls, and the summary at the end.
//
// Contract: single-threaded; the run manager calls `tryDispatch` and `tick` on timers and
// forwards agent messages as they arrive. The run never touches gRPC or SQLite itself: it sends
// through `RunHost` and reports changes to it.
import { ThresholdEvaluator, type AbortDecision } from "../../core/thresholds/evaluator.ts";
import { partition, shareOf } from "../../core/segment.ts";
import { Aggregator } from "../../metrics/aggregator.ts";
import { MetricRegistry } from "../../metrics/registry.ts";
import { buildSummary, type Summary } from "../../outputs/summary.ts";
import { EventFeed } from "./run-events.ts";
import { fleetVus, fleetVusMax, readAgentBatch } from "./run-metrics.ts";
import { describeShare, fleetSummaryOf, runViewOf, type FleetSummary } from "./run-view.ts";
import { FINAL_RUN_STATUSES, type RunAgentView, type RunEventView, type RunStatus, type RunView } from "../api-types.ts";
import { dispatch, type AgentAssignment, type AgentCandidate } from "../dispatch.ts";
import { controllerMessage, type ControlAction, type ControllerMessage, type Heartbeat, type MetricsBatch, type RunEvent } from "../protocol.ts";
import { compactMetrics } from "./compact-metrics.ts";
import type { PlanInfo, RunClusterOptions } from "./run-plan.ts";

/** Start barrier: load starts this long after the Start message is sent. */
export const START_DELAY_MS = 1_500;
/** After a stop, agents that have not reported their end by then are given up on. */
export const STOP_TIMEOUT_MS = 60_000;

export interface RunSubmission {
  planYaml: string;
  planFile: string;
  files: Record<string, Uint8Array>;
  env: Record<string, string>;
}

export interface RunHost {
  now(): number;
  send(agentId: string, message: ControllerMessage): boolean;
  /** The agent's part in this run is over (registry goes back to idle). */
  release(agentId: string, runId: string): void;
  assign(agentId: string, runId: string): { name: string; labels: Record<string, string>; clockOffsetMs: number } | undefined;
  agentStarted(agentId: string): void;
  changed(run: ControllerRun): void;
  series(run: ControllerRun, elapsedMs: number, data: Record<string, unknown>): void;
  log(message: string): void;
}

interface RunAgent extends RunAgentView {
  lastSeq: number;
  vus: number;
  vusMax: number;
  notes: string[];
}

export class ControllerRun {
  readonly id: string;
  readonly plan: PlanInfo;
  readonly options: RunClusterOptions;
  readonly submission: RunSubmission;
  readonly submittedAtUnixMs: number;
  status: RunStatus = "waiting";
  startAtUnixMs?: number;
  endedAtUnixMs?: number;
  exitCode?: number;
  error?: string;
  summary?: Summary;
  readonly notes: string[] = [];
  readonly agents = new Map<string, RunAgent>();
  readonly aggregator: Aggregator;
  readonly #evaluator: ThresholdEvaluator;
  readonly #host: RunHost;
  readonly #feed = new EventFeed();
  #aborted?: AbortDecision;
  #stopRequestedAt?: number;
  #waitReason = "";

  constructor(id: string, plan: PlanInfo, options: RunClusterOptions, submission: RunSubmission, host: RunHost) {
    this.id = id;
    this.plan = plan;
    this.options = options;
    this.submission = submission;
    this.#host = host;
    this.submittedAtUnixMs = host.now();
    this.aggregator = new Aggregator(new MetricRegistry(plan.metrics));
    this.#evaluator = new ThresholdEvaluator(plan.thresholds, this.aggregator.registry);
    this.#emitStatus(`waiting for ${options.agents || "any"} agent${options.agents === 1 ? "" : "s"}`);
  }

  get final(): boolean {
    return FINAL_RUN_STATUSES.includes(this.status);
  }

  elapsedMs(): number {
    if (this.startAtUnixMs === undefined) return 0;
    return Math.max(0, (this.endedAtUnixMs ?? this.#host.now()) - this.startAtUnixMs);
  }

  // ---- events -------------------------------------------------------------------------------

  subscribe(listener: (event: RunEventView) => void): { past: RunEventView[]; unsubscribe(): void } {
    return this.#feed.subscribe(listener);
  }

  #emit(event: RunEventView): void {
    this.#feed.emit(event);
  }

  #emitStatus(message: string): void {
    this.#emit({ type: "status", runId: this.id, status: this.status, message, atUnixMs: this.#host.now() });
    this.#host.changed(this);
  }

  #emitAgent(agent: RunAgent, message: string): void {
    this.#emit({ type: "agent", runId: this.id, agentId: agent.agentId, name: agent.name, state: agent.state, message, atUnixMs: this.#host.now() });
    this.#host.changed(this);
  }

  // ---- dispatch and start -------------------------------------------------------------------

  /** Called while waiting: assigns and starts when enough agents are idle; fails past the wait. */
  tryDispatch(fleet: AgentCandidate[]): void {
    if (this.status !== "waiting") return;
    const decision = dispatch(fleet, {
      expected: this.options.agents,
      selector: this.options.selector,
      scenarios: this.plan.scenarios.map((s) => s.name),
      scenarioSelectors: this.options.scenarioSelectors,
    });
    if (decision.kind === "invalid") return this.#fail(decision.reason);
    if (decision.kind === "wait") {
      if (decision.reason !== this.#waitReason) {
        this.#waitReason = decision.reason;
        this.#emitStatus(`waiting: ${decision.reason}`);
      }
      if (this.#host.now() - this.submittedAtUnixMs > this.options.waitMs) {
        this.#fail(`gave up after waiting ${Math.round(this.options.waitMs / 1000)}s for agents: ${decision.reason}`);
      }
      return;
    }
    this.#start(decision.assignments);
  }

  #start(assignments: AgentAssignment[]): void {
    for (const a of assignments) {
      const info = this.#host.assign(a.agentId, this.id);
      if (!info) return this.#fail(`agent ${a.agentId} vanished while being assigned`);
      this.agents.set(a.agentId, {
        agentId: a.agentId, name: info.name, labels: info.labels, index: a.index, count: a.count, scenarios: a.scenarios,
        state: "assigned", clockOffsetMs: info.clockOffsetMs, activeVus: 0, lastSeq: 0, vus: 0, vusMax: 0, notes: [],
      });
    }
    this.startAtUnixMs = this.#host.now() + START_DELAY_MS;
    this.status = "starting";
    for (const agent of this.agents.values()) {
      const sent =
        this.#host.send(agent.agentId, controllerMessage("assignment", {
          run_id: this.id, plan_yaml: this.submission.planYaml, plan_file: this.submission.planFile,
          partition_index: agent.index, partition_count: agent.count, files: this.submission.files,
          env: this.submission.env, scenarios: agent.scenarios,
        })) &&
        this.#host.send(agent.agentId, controllerMessage("start", { run_id: this.id, start_unix_ms: this.startAtUnixMs + agent.clockOffsetMs }));
      if (!sent) this.agentGone(agent.agentId, "its stream closed during assignment");
    }
    const names = [...this.agents.values()].map((a) => a.name).join(", ");
    this.#emitStatus(`assigned to ${this.agents.size} agent${this.agents.size === 1 ? "" : "s"} (${names}); load starts at ${new Date(this.startAtUnixMs).toISOString()}`);
  }

  // ---- agent messages -----------------------------------------------------------------------

  onMetrics(agentId: string, batch: MetricsBatch): void {
    const agent = this.agents.get(agentId);
    if (!agent || agent.state === "lost" || batch.seq <= agent.lastSeq) return;
    agent.lastSeq = batch.seq;
    const read = readAgentBatch(batch.delta);
    if (read === undefined) {
      this.#host.log(`run ${this.id}: agent ${agent.name} sent a metrics batch that is not JSON; ignored`);
      return;
    }
    if (read.vus !== undefined) agent.vus = read.vus;
    if (read.vusMax !== undefined) agent.vusMax = read.vusMax;
    try {
      this.aggregator.merge(read.delta);
    } catch (error) {
      this.#host.log(`run ${this.id}: agent ${agent.name}: ${(error as Error).message}`);
    }
    this.#updateFleetGauges();
  }

  onHeartbeat(agentId: string, heartbeat: Heartbeat): void {
    const agent = this.agents.get(agentId);
    if (!agent) return;
    if (agent.state === "lost") {
      // Came back after the run wrote it off: its share must not run on unaccounted.
      this.#host.send(agentId, controllerMessage("control", { run_id: this.id, action: "KILL", scenario: "", vus: 0 }));
      this.#host.release(agentId, this.id);
      return;
    }
    agent.activeVus = heartbeat.active_vus;
    if (agent.vus === 0) this.#updateFleetGauges();
  }

  onRunEvent(agentId: string, event: RunEvent): void {
    const agent = this.agents.get(agentId);
    if (!agent || agent.state === "lost") return;
    agent.notes.push(...event.notes.filter((n) => !agent.notes.includes(n)));
    if (event.kind === "STARTED") {
      if (agent.state === "assigned") agent.state = "running";
      this.#host.agentStarted(agentId);
      this.#emitAgent(agent, `${agent.name} started`);
      if (this.status === "starting") {
        this.status = "running";
        this.#emitStatus("running");
      }
      return;
    }
    if (event.kind === "FAILED") {
      agent.state = "failed";
      agent.error = event.error || "failed without a reason";
      this.#host.release(agentId, this.id);
      this.#emitAgent(agent, `${agent.name} failed: ${agent.error}`);
      this.notes.push(`Agent ${agent.name} failed: ${agent.error}`);
      if (this.options.onAgentLoss === "abort" && !this.#stopRequestedAt) this.#abortFleet(`agent ${agent.name} failed (onAgentLoss: abort)`);
    } else {
      agent.state = event.outcome === "stopped" ? "stopped" : "finished";
      this.#host.release(agentId, this.id);
      this.#emitAgent(agent, `${agent.name} ${agent.state}`);
    }
    this.#checkDone();
  }

  /** The agent disconnected or went silent past the liveness window. */
  agentGone(agentId: string, why: string): void {
    const agent = this.agents.get(agentId);
    if (!agent || (agent.state !== "assigned" && agent.state !== "running")) return;
    agent.state = "lost";
    agent.lostAtUnixMs = this.#host.now();
    agent.activeVus = 0;
    agent.vus = 0;
    this.#host.release(agentId, this.id);
    const at = this.startAtUnixMs !== undefined ? `${((agent.lostAtUnixMs - this.startAtUnixMs) / 1000).toFixed(1)}s into the run` : "before the start";
    const left = [...this.agents.values()].filter((a) => a.state === "assigned" || a.state === "running").length;
    this.notes.push(
      `Agent ${agent.name} (${agent.agentId}) was lost ${at} (${why}); its share (${describeShare(agent)}) stopped. ` +
        `The run ${this.options.onAgentLoss === "abort" ? "was aborted (onAgentLoss: abort)" : `went on with ${left} of ${this.agents.size} agents`}.`,
    );
    this.#emitAgent(agent, `${agent.name} lost: ${why}`);
    this.#updateFleetGauges();
    if (this.options.onAgentLoss === "abort" && !this.#stopRequestedAt) this.#abortFleet(`agent ${agent.name} was lost (onAgentLoss: abort)`);
    this.#checkDone();
  }

  // ---- controls -----------------------------------------------------------------------------

  /** Applies a control to every active agent; returns an error sentence when it cannot. */
  control(action: "stop" | "kill" | "pause" | "resume" | "scale", scenario?: string, vus?: number): string | undefined {
    if (this.final) return `run ${this.id} is already ${this.status}`;
    if (action === "scale") {
      if (!scenario || !this.plan.scenarios.some((s) => s.name === scenario)) {
        return `scale needs the name of one of this run's scenarios (${this.plan.scenarios.map((s) => s.name).join(", ")})`;
      }
      if (vus === undefined || !Number.isInteger(vus) || vus < 0) return "scale needs vus: a whole number ≥ 0";
    }
    if (this.status === "waiting") {
      if (action === "stop" || action === "kill") {
        this.status = "stopped";
        this.#finalize("stopped before any agent was assigned");
        return undefined;
      }
      return `run ${this.id} has not started yet`;
    }
    if (action === "stop" || action === "kill") this.#requestStop(action === "kill" ? "KILL" : "STOP", `${action} requested`);
    else {
      for (const agent of this.#active()) {
        if (action === "scale") {
          const part = agent.scenarios.find((s) => s.scenario === scenario);
          if (!part) continue;
          const share = shareOf(vus!, partition(part.index, part.count));
          this.#host.send(agent.agentId, controllerMessage("control", { run_id: this.id, action: "SCALE", scenario: scenario!, vus: share }));
        } else {
          this.#host.send(agent.agentId, controllerMessage("control", { run_id: this.id, action: action.toUpperCase() as ControlAction, scenario: "", vus: 0 }));
        }
      }
      if (action === "pause" && this.status === "running") this.status = "paused";
      if (action === "resume" && this.status === "paused") this.status = "running";
      this.#emitStatus(action === "scale" ? `scaled ${scenario} to ${vus} VUs` : `${action}d`);
    }
    return undefined;
  }

  #active(): RunAgent[] {
    return [...this.agents.values()].filter((a) => a.state === "assigned" || a.state === "running");
  }

  #requestStop(action: "STOP" | "KILL", message: string): void {
    this.#stopRequestedAt ??= this.#host.now();
    for (const agent of this.#active()) {
      this.#host.send(agent.agentId, controllerMessage("control", { run_id: this.id, action, scenario: "", vus: 0 }));
    }
    if (!this.final && this.status !== "stopping") {
      this.status = "stopping";
      this.#emitStatus(message);
    }
    this.#checkDone();
  }

  #abortFleet(why: string): void {
    this.error ??= why;
    this.#requestStop("KILL", `aborting: ${why}`);
  }

  // ---- clock --------------------------------------------------------------------------------

  /** Every second: thresholds on the merged metrics, the per-second series, stop watchdog. */
  tick(): void {
    if (this.final || this.startAtUnixMs === undefined || this.#host.now() < this.startAtUnixMs) return;
    const elapsed = this.elapsedMs();
    const snapshot = this.aggregator.takeInterval();
    const metrics = compactMetrics(snapshot.metrics);
    const activeVus = this.#fleetVus();
    this.#host.series(this, elapsed, { vus: activeVus, ...metrics });
    this.#emit({ type: "progress", runId: this.id, elapsedMs: elapsed, activeVus, agents: this.#active().length, metrics, atUnixMs: this.#host.now() });
    if (!this.#stopRequestedAt && this.#evaluator.size > 0) {
      try {
        const decision = this.#evaluator.shouldAbort(this.#evaluator.evaluate(this.aggregator, elapsed), elapsed);
        if (decision) {
          this.#aborted = decision;
          this.#requestStop("KILL", `threshold ${decision.key}: ${decision.expression} failed (abortOnFail); stopping every agent`);
        }
      } catch (error) {
        this.#host.log(`run ${this.id}: thresholds: ${(error as Error).message}`);
      }
    }
    if (this.#stopRequestedAt && this.#host.now() - this.#stopRequestedAt > STOP_TIMEOUT_MS) {
      for (const agent of this.#active()) this.agentGone(agent.agentId, `it did not report its end within ${STOP_TIMEOUT_MS / 1000}s of the stop`);
      this.#checkDone();
    }
  }

  #fleetVus(): number {
    return fleetVus(this.agents.values());
  }

  #updateFleetGauges(): void {
    const vusMax = fleetVusMax(this.agents.values());
    this.aggregator.setGauge("vus", this.#fleetVus());
    if (vusMax > 0) this.aggregator.setGauge("vus_max", vusMax);
  }

  // ---- end ----------------------------------------------------------------------------------

  #checkDone(): void {
    if (this.final || this.agents.size === 0 || this.#active().length > 0) return;
    const all = [...this.agents.values()];
    const anyDone = all.some((a) => a.state === "finished" || a.state === "stopped");
    if (this.#aborted || (this.error && this.options.onAgentLoss === "abort")) this.status = "aborted";
    else if (!anyDone) this.status = "failed";
    else if (this.#stopRequestedAt) this.status = "stopped";
    else this.status = "finished";
    if (!anyDone && !this.error) this.error = all.map((a) => `${a.name}: ${a.error ?? a.state}`).join("; ");
    this.#finalize(this.status);
  }

  #fail(reason: string): void {
    if (this.final) return;
    this.status = "failed";
    this.error = reason;
    this.#finalize(reason);
  }

  #finalize(message: string): void {
    this.endedAtUnixMs = this.#host.now();
    const elapsed = this.elapsedMs();
    const notes = [...this.notes];
    for (const a of this.agents.values()) for (const n of a.notes) notes.push(`${a.name}: ${n}`);
    if (this.error && !notes.some((n) => n.includes(this.error!))) notes.push(`Run ${this.status}: ${this.error}`);
    let results: ReturnType<ThresholdEvaluator["evaluate"]> = [];
    try {
      results = this.#evaluator.evaluate(this.aggregator, elapsed);
    } catch (error) {
      notes.push(`Thresholds could not be evaluated: ${(error as Error).message}`);
    }
    this.summary = buildSummary(this.aggregator, results, {
      planName: this.plan.name,
      durationMs: elapsed,
      scenarios: this.plan.scenarios.map((s) => ({ name: s.name, executor: s.executor.type })),
      notes,
      ...(this.#aborted ? { aborted: { threshold: this.#aborted.key, expression: this.#aborted.expression, atMs: this.#aborted.atMs } } : {}),
      fleet: this.fleetSummary(),
      runId: this.id,
    });
    const thresholdsFailed = !this.summary.thresholdsOk;
    this.exitCode = thresholdsFailed ? 99 : this.status === "finished" || this.status === "stopped" ? 0 : 1;
    this.#emitStatus(message);
    this.#emit({ type: "finished", runId: this.id, status: this.status, exitCode: this.exitCode, summary: this.summary, ...(this.error ? { error: this.error } : {}), atUnixMs: this.endedAtUnixMs });
    this.#feed.close();
  }

  /** The agents that took part, for the summary's fleet section. */
  fleetSummary(): FleetSummary {
    return fleetSummaryOf(this);
  }

  /** The run as the HTTP API and the store show it. */
  view(): RunView {
    return runViewOf(this);
  }
}
