// The messages of loadr.coordination.v1 as TypeScript sees them (proto-loader with keepCase,
// enums as strings, int64 as numbers, bytes as Buffer, oneofs named by `body`). The proto file
// is the source of truth: proto/loadr/coordination/v1/coordination.proto.

/** Bumped whenever a field's meaning changes; checked at registration. */
export const PROTOCOL_VERSION = 1;

export interface Register {
  agent_id: string;
  name: string;
  protocol_version: number;
  cores: number;
  labels: Record<string, string>;
  unix_ms: number;
  active_runs: string[];
  version: string;
}

export interface Heartbeat {
  active_vus: number;
  run_state: string;
  run_id: string;
  unix_ms: number;
  health: string;
}

export interface MetricsBatch {
  run_id: string;
  /** MetricDelta as UTF-8 JSON. */
  delta: Uint8Array;
  seq: number;
  final: boolean;
  unix_ms: number;
}

export type RunEventKind = "STARTED" | "FINISHED" | "FAILED";

export interface RunEvent {
  run_id: string;
  kind: RunEventKind;
  summary: string;
  error: string;
  notes: string[];
  outcome: string;
}

export type AgentMessage =
  | { body: "register"; register: Register }
  | { body: "heartbeat"; heartbeat: Heartbeat }
  | { body: "metrics"; metrics: MetricsBatch }
  | { body: "run_event"; run_event: RunEvent };

export interface Registered {
  controller_id: string;
  protocol_version: number;
  stale_runs: string[];
}

export interface Rejected {
  reason: string;
  protocol_version: number;
}

export interface ScenarioPartition {
  scenario: string;
  index: number;
  count: number;
}

export interface Assignment {
  run_id: string;
  plan_yaml: string;
  plan_file: string;
  partition_index: number;
  partition_count: number;
  files: Record<string, Uint8Array>;
  env: Record<string, string>;
  scenarios: ScenarioPartition[];
  /** JSON text of what setup returned; "" when none (proto default). */
  setup_json: string;
}

export interface Start {
  run_id: string;
  start_unix_ms: number;
}

export type ControlAction = "STOP" | "KILL" | "PAUSE" | "RESUME" | "SCALE";

export interface Control {
  run_id: string;
  action: ControlAction;
  scenario: string;
  vus: number;
}

export type ControllerMessage =
  | { body: "registered"; registered: Registered }
  | { body: "rejected"; rejected: Rejected }
  | { body: "assignment"; assignment: Assignment }
  | { body: "start"; start: Start }
  | { body: "control"; control: Control }
  | { body: "heartbeat"; heartbeat: { unix_ms: number } };

/** Builds a message with the oneof discriminator set (what grpc-js serializes). */
export function agentMessage<K extends AgentMessage["body"]>(
  body: K,
  value: Extract<AgentMessage, { body: K }>[K & keyof Extract<AgentMessage, { body: K }>],
): AgentMessage {
  return { body, [body]: value } as unknown as AgentMessage;
}

export function controllerMessage<K extends ControllerMessage["body"]>(
  body: K,
  value: Extract<ControllerMessage, { body: K }>[K & keyof Extract<ControllerMessage, { body: K }>],
): ControllerMessage {
  return { body, [body]: value } as unknown as ControllerMessage;
}
