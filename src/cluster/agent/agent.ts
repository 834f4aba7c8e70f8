// `loadr agent`: joins a controller over one coordination stream, registers (same agent_id on
// every reconnect), heartbeats every 2 s, runs assignments, and reconnects with jittered
// exponential backoff. Fail-safe: when nothing was heard from the controller for the liveness
// window, the agent stops its load (the controller has written it off by then anyway).
// Whatever the stop (fail-safe, a stop/kill control, `stop()`), the run's final delta is sent;
// run messages that find no registered stream wait in an outbox for the next one (outbox.ts).
// `stop()` is bounded (SIGTERM under systemd or Kubernetes): the load stops gracefully for at
// most SHUTDOWN_GRACE_MS, then hard; the final delta goes out; the stream is closed.
import { randomUUID } from "node:crypto";
import { availableParallelism, hostname } from "node:os";
import type { LocalRun, LocalRunOptions } from "../../core/run/types.ts";
import { VERSION } from "../../shared/version.ts";
import { backoffDelay } from "../backoff.ts";
import { agentMessage, PROTOCOL_VERSION, type Assignment, type ControllerMessage, type MetricsBatch, type RunEvent } from "../protocol.ts";
import { createCoordinationClient, describeGrpcError, type ClientStream } from "../rpc.ts";
import { HEARTBEAT_INTERVAL_MS, LIVENESS_WINDOW_MS } from "../states.ts";
import { channelCredentials, clientTlsMode, type ClientTlsFlags } from "../tls.ts";
import { AgentRun } from "./agent-run.ts";
import { Outbox } from "./outbox.ts";

/** How often the fail-safe checks the controller's silence. */
const FAILSAFE_CHECK_MS = 250;
/** On `stop()`: running iterations get this long (or their gracefulStop, if shorter), then are cut off. */
const SHUTDOWN_GRACE_MS = 2_500;
/** On `stop()`, after the hard stop: the longest wait for the run's end and final delta. */
const SHUTDOWN_HARD_MS = 1_500;
/** On `stop()`: the longest wait for the controller to acknowledge the stream's end (everything sent was read). */
const STREAM_CLOSE_MS = 500;

export type AgentConnection = "connecting" | "registered" | "disconnected" | "rejected" | "stopped";

export interface AgentOptions {
  /** Controller "host:port". */
  join: string;
  name?: string;
  labels?: Record<string, string>;
  tls?: ClientTlsFlags;
  /** Sent with every connection when set (cluster/join-token.ts). */
  joinToken?: string;
  agentId?: string;
  /** Worker threads for runs (default: one per core). */
  workers?: number;
  startLocalRun(options: LocalRunOptions): LocalRun;
  log?: (line: string) => void;
  /** Tests: pretend to speak another protocol version. */
  protocolVersion?: number;
  heartbeatMs?: number;
  livenessMs?: number;
}

export interface Agent {
  readonly id: string;
  readonly name: string;
  connection(): AgentConnection;
  controllerId(): string | undefined;
  /** The last connection problem, in words (the reason of a rejection included). */
  lastError(): string | undefined;
  currentRun(): string | undefined;
  /**
   * Tests: send nothing at all while on (simulates a stopped process, `kill -STOP`): no
   * heartbeats; run messages wait, as a stopped process's unsent output does, and go out when
   * it is turned off.
   */
  silence(on: boolean): void;
  /**
   * Stops the load (gracefully for at most `graceMs`, default SHUTDOWN_GRACE_MS, then hard),
   * sends the run's final delta and end, and leaves the controller. Resolves within about
   * graceMs + 2 s whatever the controller does; `why` goes to the log and the run's notes.
   */
  stop(why?: string, graceMs?: number): Promise<void>;
}

export function startAgent(o: AgentOptions): Agent {
  const id = o.agentId ?? randomUUID();
  const name = o.name ?? `${hostname()}-${id.slice(0, 6)}`;
  const log = o.log ?? ((line: string) => process.stderr.write(`agent: ${line}\n`));
  const tls = o.tls ?? {};
  const usesTls = clientTlsMode(tls) !== "plaintext";
  const host = o.join.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  const transport = channelCredentials(tls, host);
  const heartbeatMs = o.heartbeatMs ?? HEARTBEAT_INTERVAL_MS;
  const livenessMs = o.livenessMs ?? LIVENESS_WINDOW_MS;
  const cores = availableParallelism();

  let connection: AgentConnection = "connecting";
  let client: ReturnType<typeof createCoordinationClient> | undefined;
  let stream: ClientStream | undefined;
  let controllerId: string | undefined;
  let lastError: string | undefined;
  let attempt = 0;
  let lastHeardMs = Date.now();
  let silenced = false;
  /** Why `stop()` was called, once it was. */
  let stopReason: string | undefined;
  let run: AgentRun | undefined;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped: Promise<void> | undefined;
  const outbox = new Outbox();

  const write = (message: Parameters<ClientStream["write"]>[0]) => {
    if (!stream || connection !== "registered" || silenced) return false;
    try {
      stream.write(message);
      return true;
    } catch {
      return false;
    }
  };
  /** Run messages that cannot go now wait for the next registered stream (or the end of a silence). */
  const send = (message: Parameters<ClientStream["write"]>[0]) => {
    if (outbox.size === 0 && write(message)) return true;
    outbox.keep(message);
    return false;
  };

  function connect(): void {
    if (stopReason !== undefined) return;
    connection = "connecting";
    client?.close();
    client = createCoordinationClient(o.join, transport, { joinToken: o.joinToken });
    const s = client.connect();
    stream = s;
    let ended = false;
    const onGone = (error?: unknown) => {
      if (ended) return;
      ended = true;
      if (stream === s) stream = undefined;
      if (connection === "rejected" || stopReason !== undefined) return;
      const message = error ? describeGrpcError(error, o.join, usesTls) : `the controller at ${o.join} closed the connection`;
      if (message !== lastError || connection === "registered") log(message);
      lastError = message;
      connection = "disconnected";
      const delay = backoffDelay(attempt++);
      reconnectTimer = setTimeout(connect, delay);
    };
    s.on("data", (message: ControllerMessage) => onMessage(message));
    s.on("error", (error) => onGone(error));
    s.on("end", () => onGone());
    s.write(agentMessage("register", {
      agent_id: id, name, protocol_version: o.protocolVersion ?? PROTOCOL_VERSION, cores, labels: o.labels ?? {},
      unix_ms: Date.now(), active_runs: run ? [run.id] : [], version: VERSION,
    }));
  }

  function onMessage(message: ControllerMessage): void {
    lastHeardMs = Date.now();
    switch (message.body) {
      case "registered": {
        connection = "registered";
        attempt = 0;
        lastError = undefined;
        controllerId = message.registered.controller_id;
        log(`joined controller ${controllerId} at ${o.join} as ${name} (${id})`);
        if (outbox.dropped > 0) log(`${outbox.dropped} run message(s) could not be kept while disconnected; the controller's figures miss them`);
        outbox.drain(write);
        for (const stale of message.registered.stale_runs) if (run?.id === stale) run.abandon("the controller no longer counts this agent in the run");
        break;
      }
      case "rejected":
        connection = "rejected";
        lastError = `the controller refused this agent: ${message.rejected.reason}`;
        log(lastError);
        stream?.end();
        break;
      case "assignment":
        onAssignment(message.assignment);
        break;
      case "start":
        if (run?.id === message.start.run_id) run.start(message.start.start_unix_ms);
        break;
      case "control":
        if (run?.id === message.control.run_id) run.control(message.control);
        break;
      case "heartbeat":
        break;
    }
  }

  function onAssignment(a: Assignment): void {
    const fail = (error: string) =>
      send(agentMessage("run_event", { run_id: a.run_id, kind: "FAILED", summary: "", error, notes: [], outcome: "failed" } satisfies RunEvent));
    if (stopReason !== undefined) {
      // Shutting down: this share stops before it starts, as a run assigned a moment earlier would (agent-run.ts).
      send(agentMessage("run_event", { run_id: a.run_id, kind: "FINISHED", summary: "", error: `before its load started: ${stopReason}`, notes: [], outcome: "stopped" }));
      return;
    }
    if (run) return void fail(`agent ${name} is busy with run ${run.id}`);
    try {
      const r = new AgentRun(a, {
        startLocalRun: o.startLocalRun,
        workers: o.workers ?? cores,
        sendMetrics: (batch: MetricsBatch) => void send(agentMessage("metrics", batch)),
        sendEvent: (event: RunEvent) => void send(agentMessage("run_event", event)),
        log,
      });
      run = r;
      log(`run ${a.run_id}: assigned partition ${a.partition_index + 1}/${a.partition_count} (${Object.keys(a.files).length} data file(s))`);
      void r.done.then(() => {
        if (run === r) run = undefined;
        log(`run ${a.run_id}: done`);
      });
    } catch (error) {
      log(`run ${a.run_id}: cannot prepare: ${(error as Error).message}`);
      fail((error as Error).message);
    }
  }

  const heartbeatTimer = setInterval(() => {
    send(agentMessage("heartbeat", {
      active_vus: run?.activeVus() ?? 0, run_state: run?.state() ?? "idle", run_id: run?.id ?? "", unix_ms: Date.now(), health: run?.health() ?? "",
    }));
  }, heartbeatMs);

  const failsafeTimer = setInterval(() => {
    if (run && Date.now() - lastHeardMs > livenessMs) {
      run.abandon(`nothing heard from the controller for ${Math.round((Date.now() - lastHeardMs) / 1000)}s (fail-safe)`);
      run = undefined;
    }
  }, FAILSAFE_CHECK_MS);

  connect();

  return {
    id,
    name,
    connection: () => connection,
    controllerId: () => controllerId,
    lastError: () => lastError,
    currentRun: () => run?.id,
    silence(on) {
      silenced = on;
      if (!on) outbox.drain(write);
    },
    stop(why = "the agent is shutting down", graceMs = SHUTDOWN_GRACE_MS) {
      stopped ??= shutdown(why, graceMs);
      return stopped;
    },
  };

  async function shutdown(why: string, graceMs: number): Promise<void> {
    stopReason = why;
    clearInterval(failsafeTimer);
    clearTimeout(reconnectTimer);
    const current = run;
    // Heartbeats go on meanwhile: the controller must not take the stopping agent for a silent one.
    if (current) await within(current.shutdown(why, graceMs), graceMs + SHUTDOWN_HARD_MS);
    clearInterval(heartbeatTimer);
    const s = stream;
    if (s && connection === "registered") {
      const acknowledged = new Promise<void>((resolve) => {
        for (const event of ["status", "end", "error", "close"]) s.once(event, () => resolve());
      });
      try {
        s.end();
      } catch {}
      await within(acknowledged, STREAM_CLOSE_MS);
    }
    connection = "stopped";
    outbox.clear();
    client?.close();
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([promise.then(() => {}, () => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}
