// What one controller run is made of, shared by its concerns and its views:
// - RunState: plain data. The concerns change it (dispatch: run-dispatch.ts; merging and
//   thresholds: run-merge.ts; agent loss: agent-loss.ts; controls: run-controls.ts; the end:
//   run-end.ts); views only read it (run-view.ts).
// - RunHost: how a run reaches the world (agents, registry, store, log); RunManager implements it.
// - RunCore: what a concern may ask of the run as a whole; ControllerRun (run.ts) implements it.
// Single-threaded: the run manager calls into a run from its timers and agent messages, one at a
// time, and nothing here blocks.
import type { MetricDelta } from "../../metrics/types.ts";
import type { Summary } from "../../core/run/summary.ts";
import type { ScenarioStatus } from "../../core/run/scenario-progress.ts";
import type { RunAgentView, RunDetail, RunStatus } from "../api-types.ts";
import type { ControllerMessage } from "../protocol.ts";
import type { PlanInfo, RunClusterOptions } from "./run-plan.ts";
import type { ReportLog } from "./unreported.ts";

export interface RunSubmission {
  planYaml: string;
  planFile: string;
  files: Record<string, Uint8Array>;
  env: Record<string, string>;
  /** JSON text of what the submitter's setup returned; every agent's VUs get it (Assignment.setup_json). */
  setupJson?: string;
  /** setup's metrics, checked against the plan at submission; merged before any agent's. */
  setupDelta?: MetricDelta;
}

export interface RunHost {
  now(): number;
  /** False when the agent has no open stream. */
  send(agentId: string, message: ControllerMessage): boolean;
  /** The agent's part in this run is over (registry goes back to idle). */
  release(agentId: string, runId: string): void;
  assign(agentId: string, runId: string): { name: string; labels: Record<string, string>; clockOffsetMs: number } | undefined;
  agentStarted(agentId: string): void;
  /** The run's view changed (persist it). */
  changed(run: RunState): void;
  /** One point of the run's per-second series. */
  series(runId: string, elapsedMs: number, data: Record<string, unknown>): void;
  log(message: string): void;
  /** A message of the agent for this run was refused (malformed, out of bounds): counted per agent and logged, throttled. */
  rejected(agentId: string, runId: string, reason: string): void;
}

/** An agent's part in a run: its view plus what the controller tracks about it. */
export interface RunAgent extends RunAgentView {
  /** Sequence number of the last merged batch (duplicates are ignored). */
  lastSeq: number;
  /** VUs now and allocated, from its last batch (run-metrics.ts). */
  vus: number;
  vusMax: number;
  /** True once a batch carried its VUs. */
  reportedVus: boolean;
  /** Its scenarios' progress, from its last batch that carried a valid one (core/run/scenario-progress.ts). */
  progress: ScenarioStatus[];
  /** Batches the aggregator refused because they contradict metric definitions. */
  rejectedBatches: number;
  /** Batches whose progress was malformed (ignored; their metrics were still merged). */
  rejectedProgress: number;
  notes: string[];
  /** Its merged batches: the last ones' counts, whether its final one came (unreported.ts). */
  reports: ReportLog;
  /** When it was told to kill its load after speaking again while lost (its final batch is then awaited briefly). */
  killSentAtUnixMs?: number;
  /** Set when it was lost: how and when, for the summary (which adds what of its work is missing). */
  lossNote?: string;
}

export interface RunState {
  readonly id: string;
  readonly plan: PlanInfo;
  readonly options: RunClusterOptions;
  readonly submission: RunSubmission;
  readonly submittedAtUnixMs: number;
  status: RunStatus;
  /** Controller wall clock of the start barrier (load starts then on every agent). */
  startAtUnixMs?: number;
  endedAtUnixMs?: number;
  exitCode?: number;
  error?: string;
  summary?: Summary;
  /** The run page's tables as of the last tick (webui/run-detail.ts). */
  detail?: RunDetail;
  /** Sentences for the summary (agent loss, failures). */
  readonly notes: string[];
  readonly agents: Map<string, RunAgent>;
  /** When a stop (a control, abortOnFail, onAgentLoss: abort) was first asked for. */
  stopRequestedAt?: number;
}

/** What a concern may ask of the run as a whole. */
export interface RunCore {
  readonly state: RunState;
  readonly host: RunHost;
  /** A status event for the feed; the view is persisted. */
  emitStatus(message: string): void;
  emitAgent(agent: RunAgent, message: string): void;
  /** Someone stopped the run from outside (a stop or kill control): it ends "interrupted" (exit 105). */
  interrupt(how: string): void;
  /** Sends STOP or KILL to every active agent; the run is `stopping` until they report their end. */
  requestStop(action: "STOP" | "KILL", message: string): void;
  /** An agent left the run without finishing (disconnected, silent, never reported its end). */
  agentGone(agentId: string, why: string): void;
  /** Ends the run once no agent is active any more (run-end.ts decides how it ended). */
  checkDone(): void;
  /** Ends the run now as failed (no agents in time, an impossible request). */
  fail(reason: string): void;
  /** Ends a run that was stopped before it had agents. */
  endUnstarted(message: string): void;
}

/** Agents that still run their share (assigned or running). */
export function activeAgents(state: RunState): RunAgent[] {
  return [...state.agents.values()].filter((a) => a.state === "assigned" || a.state === "running");
}
