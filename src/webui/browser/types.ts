// The controller's API as the page reads it (docs/api.md is the contract; this is the browser's
// own copy of the fields it uses, since the page is compiled apart from the server: no Bun types).

export type IntervalMetrics = Record<string, Record<string, number>>;

export interface AgentView {
  id: string;
  name: string;
  labels: Record<string, string>;
  cores: number;
  version: string;
  state: string;
  lastHeartbeatUnixMs: number;
  activeVus: number;
  runId?: string;
  runState: string;
  health: string;
  address: string;
}

export interface AgentsResponse {
  agents: AgentView[];
  livenessMs: number;
  nowUnixMs: number;
}

export interface RunAgentView {
  agentId: string;
  name: string;
  labels: Record<string, string>;
  index: number;
  count: number;
  scenarios: { scenario: string; index: number; count: number }[];
  state: string;
  activeVus: number;
  lostAtUnixMs?: number;
  error?: string;
}

export interface NameFigures {
  name: string;
  protocol: string;
  requests: number;
  failed: number;
  p50?: number;
  p95?: number;
  p99?: number;
}

export interface RunDetail {
  names: NameFigures[];
  checks: { name: string; passes: number; fails: number }[];
  thresholds: { key: string; expression: string; ok: boolean; observed: number | null; noData: boolean }[];
  namesLeftOut: number;
}

export interface SummaryMetric {
  name: string;
  metric: string;
  type: "counter" | "rate" | "gauge" | "trend";
  contains: "default" | "time" | "data";
  values: Record<string, number>;
  thresholds: { expression: string; ok: boolean; observed: number | null; noData: boolean }[];
}

export interface SummaryGroup {
  name: string;
  path: string;
  groups: SummaryGroup[];
  checks: { name: string; path: string; passes: number; fails: number }[];
}

export interface Summary {
  planName: string;
  durationMs: number;
  notes: string[];
  metrics: SummaryMetric[];
  rootGroup: SummaryGroup;
  thresholds: { key: string; expression: string; ok: boolean; observed: number | null; noData: boolean }[];
  thresholdsOk: boolean;
  scenarios: { name: string; executor: string; completed?: number; interrupted?: number; dropped?: number }[];
}

export interface RunView {
  id: string;
  planName: string;
  planFile: string;
  status: string;
  submittedAtUnixMs: number;
  startAtUnixMs?: number;
  endedAtUnixMs?: number;
  exitCode?: number;
  error?: string;
  agents: RunAgentView[];
  notes: string[];
  summary?: Summary;
  detail?: RunDetail;
}

export interface ScenarioStatus {
  name: string;
  executor: string;
  state: string;
  activeVus: number;
  maxVus: number;
  iterations: number;
  completed: number;
  elapsedMs: number;
  durationMs: number | null;
  plannedIterations: number | null;
}

export interface ProgressEvent {
  type: "progress";
  elapsedMs: number;
  final: boolean;
  activeVus: number;
  maxVus: number;
  scenarios: ScenarioStatus[];
  metrics: IntervalMetrics;
  detail: RunDetail;
  agentRates?: { agentId: string; name: string; requestsPerSec: number }[];
  atUnixMs: number;
}

export type RunEvent =
  | { type: "status"; status: string; message: string; atUnixMs: number }
  | { type: "agent"; agentId: string; name: string; state: string; message: string; atUnixMs: number }
  | ProgressEvent
  | { type: "finished"; status: string; exitCode: number; summary?: Summary; error?: string; atUnixMs: number };

export interface SeriesPoint {
  elapsedMs: number;
  data: IntervalMetrics;
}

/** GET /api/ui: which host serves the page. */
export interface UiInfo {
  /** "controller": the fleet console; "dashboard": one local run (`loadr run --dashboard`). */
  mode: "controller" | "dashboard";
  runId?: string;
}

export const FINAL_STATUSES = ["finished", "stopped", "failed", "aborted", "interrupted"];
