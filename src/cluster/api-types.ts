// JSON shapes of the controller's HTTP API, shared by the controller (http-api.ts) and the
// client (client.ts). Everything here is plain JSON.
import type { AgentState } from "./states.ts";
import type { ScenarioPartition } from "./protocol.ts";
import type { ScenarioStatus } from "../core/scheduler.ts";
import type { PluginManifest } from "../plugin-api/manifest.ts";

export interface AgentView {
  id: string;
  name: string;
  labels: Record<string, string>;
  cores: number;
  version: string;
  state: AgentState;
  /** Controller wall clock of the last message, ms. */
  lastHeartbeatUnixMs: number;
  activeVus: number;
  runId?: string;
  runState: string;
  /** Agent clock minus controller clock, ms (positive: the agent's clock is ahead). */
  clockOffsetMs: number;
  health: string;
  address: string;
  /** Messages and metric batches of this agent the controller refused (malformed, out of bounds, not its run). */
  rejectedMessages: number;
}

export type RunStatus = "waiting" | "starting" | "running" | "paused" | "stopping" | "finished" | "stopped" | "failed" | "aborted" | "interrupted";

export const ALL_RUN_STATUSES: readonly RunStatus[] = ["waiting", "starting", "running", "paused", "stopping", "finished", "stopped", "failed", "aborted", "interrupted"];

export const FINAL_RUN_STATUSES: readonly RunStatus[] = ["finished", "stopped", "failed", "aborted", "interrupted"];

export interface RunAgentView {
  agentId: string;
  name: string;
  labels: Record<string, string>;
  index: number;
  count: number;
  scenarios: ScenarioPartition[];
  state: "assigned" | "running" | "finished" | "stopped" | "failed" | "lost";
  clockOffsetMs: number;
  activeVus: number;
  lostAtUnixMs?: number;
  error?: string;
}

export interface RunView {
  id: string;
  planName: string;
  planFile: string;
  status: RunStatus;
  submittedAtUnixMs: number;
  startAtUnixMs?: number;
  endedAtUnixMs?: number;
  exitCode?: number;
  error?: string;
  onAgentLoss: "continue" | "abort";
  agents: RunAgentView[];
  notes: string[];
  /** The end-of-run summary (src/outputs/summary.ts `Summary`), once finished. */
  summary?: unknown;
  /** The run page's tables (webui/run-detail.ts) as of the last tick; once the load started. */
  detail?: RunDetail;
}

/** Body of POST /api/runs. */
export interface SubmitRequest {
  plan: string;
  /** Display name of the plan file. */
  planFile?: string;
  /** Relative path → base64 content. */
  files?: Record<string, string>;
  env?: Record<string, string>;
  /** What each of the plan's plugins registers (src/plugin-api/manifest.ts): the controller validates with these and never imports plugin code. */
  plugins?: PluginManifest[];
  /**
   * What the hooks module's `setup` returned and recorded, run once by the submitter before the
   * submission (cluster/client.ts): `data` is its JSON result (every agent's VUs get it as
   * `${setup.x}`), `delta` its requests' metrics as a JSON MetricDelta (merged into the run's).
   * Each at most 1 MiB.
   */
  setup?: { data?: string; delta?: string };
  /** Overrides of the plan's `cluster:` block (flags of `loadr run --controller`). */
  cluster?: Partial<{ agents: number; waitMs: number; selector: Record<string, string>; onAgentLoss: "continue" | "abort" }>;
}

/** Agents of a distributed run by state. */
export interface FleetFigures {
  /** Agents that took part. */
  agents: number;
  /** Still running their share (assigned or running). */
  healthy: number;
  /** Finished or stopped their share. */
  done: number;
  failed: number;
  lost: number;
}

/**
 * One interval's figures by metric name, one shape per metric type (docs/api.md): counter
 * {count, rate}, rate {rate, passes, fails}, gauge {value, min, max}, trend {count, avg, min,
 * med, max, "p(90)", "p(95)", "p(99)"} in the metric's unit (ms for time). Trends and rates
 * without samples in the interval are left out.
 */
export type IntervalMetrics = Record<string, Record<string, number>>;

/** One point of GET /api/runs/:id/series. */
export interface SeriesPoint {
  /** Run time at the end of the interval, ms. */
  elapsedMs: number;
  data: IntervalMetrics;
}

/** Live progress of a run, once a second while it runs and once at its end (`final`). */
export interface ProgressEvent {
  type: "progress";
  runId: string;
  elapsedMs: number;
  /** False until every active agent reported its VUs: the VU figures leave agents out until then. */
  reporting: boolean;
  final: boolean;
  activeVus: number;
  maxVus: number;
  fleet: FleetFigures;
  /** Every scenario's progress over the fleet, in plan order. */
  scenarios: ScenarioStatus[];
  metrics: IntervalMetrics;
  /** Per request name, checks, thresholds' verdicts now (webui/run-detail.ts). */
  detail: RunDetail;
  /** Each agent's recent request rate (controller runs; req/s over its last few batches). */
  agentRates: AgentRate[];
  atUnixMs: number;
}

export interface AgentRate {
  agentId: string;
  name: string;
  requestsPerSec: number;
}

/** Live events of a run (SSE `data:` lines on GET /api/runs/:id/events). */
export type RunEventView =
  | { type: "status"; runId: string; status: RunStatus; message: string; atUnixMs: number }
  | { type: "agent"; runId: string; agentId: string; name: string; state: RunAgentView["state"]; message: string; atUnixMs: number }
  | ProgressEvent
  | { type: "finished"; runId: string; status: RunStatus; exitCode: number; summary?: unknown; error?: string; atUnixMs: number };

// The run page's tables (src/webui/run-detail.ts builds them each tick).

export interface NameFigures {
  name: string;
  /** The request metrics' prefix: http, grpc, ws, … */
  protocol: string;
  requests: number;
  /** Requests that failed (the `<p>_req_failed` rate × requests). */
  failed: number;
  /** Milliseconds; absent before the first sample. */
  p50?: number;
  p95?: number;
  p99?: number;
}

export interface CheckFigures {
  name: string;
  passes: number;
  fails: number;
}

export interface ThresholdVerdict {
  key: string;
  expression: string;
  ok: boolean;
  observed: number | null;
  noData: boolean;
}

export interface RunDetail {
  names: NameFigures[];
  checks: CheckFigures[];
  thresholds: ThresholdVerdict[];
  /** Request names left out past MAX_DETAIL_NAMES. */
  namesLeftOut: number;
}
