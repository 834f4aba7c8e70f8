// Field limits on every message an agent sends (protocol.ts), checked by the agent link before
// anything uses it: identifiers and names bounded in length and free of control characters,
// labels bounded in count and length, counts within their ranges, enums among their values.
// The whole message is bounded by rpc.ts MAX_AGENT_MESSAGE_BYTES already. Pure: each check
// returns what is wrong in words (naming the field and the limit), or undefined. Prose meant for
// people (a run event's error, summary and notes, a heartbeat's health) is cut to its limit by
// `clampProse` rather than refused, so that an agent's long error still ends its part of a run.
import type { AgentMessage, Heartbeat, MetricsBatch, Register, RunEvent } from "../protocol.ts";

export const MESSAGE_LIMITS = {
  // 253: the longest DNS name (a Kubernetes pod name or UID, a host name).
  idLength: 253,
  nameLength: 253,
  labels: 32,
  labelKeyLength: 128,
  labelValueLength: 256,
  versionLength: 64,
  activeRuns: 16,
  cores: 65_536,
  runStateLength: 32,
  healthLength: 1_024,
  activeVus: 10_000_000,
  summaryLength: 64 * 1024,
  errorLength: 8 * 1024,
  notes: 64,
  noteLength: 2 * 1024,
} as const;

const L = MESSAGE_LIMITS;
const CONTROL = /[\u0000-\u001f\u007f]/;
/** An agent id is printable ASCII without spaces (a UUID, a pod UID, a host name). */
const AGENT_ID = /^[\x21-\x7e]+$/;
const LABEL_KEY = /^[A-Za-z0-9_./-]+$/;
const RUN_EVENT_KINDS: readonly string[] = ["STARTED", "FINISHED", "FAILED"];
const OUTCOMES: readonly string[] = ["", "finished", "stopped", "failed"];

function text(field: string, value: unknown, max: number, { required = false, multiline = false } = {}): string | undefined {
  if (typeof value !== "string") return `${field} is not a string`;
  if (required && value === "") return `${field} is empty`;
  if (value.length > max) return `${field} is ${value.length} characters long (at most ${max})`;
  if (!multiline && CONTROL.test(value)) return `${field} contains control characters`;
  return undefined;
}

function count(field: string, value: unknown, max: number): string | undefined {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) return `${field} is not a whole number ≥ 0`;
  if (value > max) return `${field} is ${value} (at most ${max})`;
  return undefined;
}

function wallClock(field: string, value: unknown): string | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) ? undefined : `${field} is not a time in ms`;
}

export function registerProblem(reg: Register): string | undefined {
  const id = text("agent_id", reg.agent_id, L.idLength, { required: true });
  if (id) return id;
  if (!AGENT_ID.test(reg.agent_id)) return "agent_id must be printable ASCII without spaces";
  const labels = Object.entries(reg.labels ?? {});
  if (labels.length > L.labels) return `it has ${labels.length} labels (at most ${L.labels})`;
  for (const [k, v] of labels) {
    if (k.length === 0 || k.length > L.labelKeyLength || !LABEL_KEY.test(k)) return `label ${JSON.stringify(k.slice(0, 80))} is not a label name (letters, digits, _ . / -; at most ${L.labelKeyLength})`;
    const problem = text(`label ${k}`, v, L.labelValueLength);
    if (problem) return problem;
  }
  const runs = reg.active_runs ?? [];
  if (runs.length > L.activeRuns) return `active_runs lists ${runs.length} runs (at most ${L.activeRuns})`;
  return (
    text("name", reg.name, L.nameLength) ??
    text("version", reg.version, L.versionLength) ??
    count("cores", reg.cores, L.cores) ??
    wallClock("unix_ms", reg.unix_ms) ??
    runs.map((r) => text("an active run id", r, L.idLength, { required: true })).find(Boolean)
  );
}

function heartbeatProblem(hb: Heartbeat): string | undefined {
  return (
    count("heartbeat.active_vus", hb.active_vus, L.activeVus) ??
    text("heartbeat.run_state", hb.run_state, L.runStateLength) ??
    text("heartbeat.run_id", hb.run_id, L.idLength) ??
    (typeof hb.health === "string" ? undefined : "heartbeat.health is not a string") ??
    wallClock("heartbeat.unix_ms", hb.unix_ms)
  );
}

function metricsProblem(batch: MetricsBatch): string | undefined {
  const id = text("metrics.run_id", batch.run_id, L.idLength, { required: true });
  if (id) return id;
  if (typeof batch.seq !== "number" || !Number.isSafeInteger(batch.seq) || batch.seq < 1) return `metrics.seq is not a sequence number ≥ 1 (${String(batch.seq)})`;
  if (!(batch.delta instanceof Uint8Array)) return "metrics.delta is not bytes";
  return undefined;
}

function runEventProblem(ev: RunEvent): string | undefined {
  if (!RUN_EVENT_KINDS.includes(ev.kind)) return `run_event.kind ${JSON.stringify(String(ev.kind))} is not one of ${RUN_EVENT_KINDS.join(", ")}`;
  if (!OUTCOMES.includes(ev.outcome)) return `run_event.outcome ${JSON.stringify(String(ev.outcome).slice(0, 40))} is not one of finished, stopped, failed`;
  if (typeof ev.summary !== "string" || typeof ev.error !== "string" || !Array.isArray(ev.notes) || ev.notes.some((n) => typeof n !== "string")) {
    return "run_event.summary, error and notes must be text";
  }
  return text("run_event.run_id", ev.run_id, L.idLength, { required: true });
}

const clamp = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

/** Cuts the prose fields of a checked message to their limits, in place. */
export function clampProse(message: AgentMessage): void {
  if (message.body === "heartbeat") message.heartbeat.health = clamp(message.heartbeat.health, L.healthLength);
  if (message.body === "run_event") {
    const ev = message.run_event;
    ev.summary = clamp(ev.summary, L.summaryLength);
    ev.error = clamp(ev.error, L.errorLength);
    ev.notes = ev.notes.slice(0, L.notes).map((n) => clamp(n, L.noteLength));
  }
}

/** What is wrong with a registered agent's message (a second Register is the link's business). */
export function messageProblem(message: AgentMessage): string | undefined {
  switch (message.body) {
    case "heartbeat":
      return heartbeatProblem(message.heartbeat);
    case "metrics":
      return metricsProblem(message.metrics);
    case "run_event":
      return runEventProblem(message.run_event);
    case "register":
      return undefined;
    default:
      return `the message has no known body (${JSON.stringify(String((message as { body?: unknown }).body))})`;
  }
}
