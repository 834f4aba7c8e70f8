// The controller's view of its fleet: one entry per agent id, surviving reconnects (the same
// agent_id re-registers into the same entry). Single-threaded; the agent-link feeds it, the run
// manager reads candidates and sends messages through it. Liveness is checked by `tick`, which
// the controller calls every LIVENESS_TICK_MS.
//
// Identity: an id whose stream is live and heard from within the liveness window belongs to that
// stream. Another stream may take it over only from the same client certificate (mTLS: the
// fingerprint it registered with), e.g. the agent reconnecting before its old stream was noticed
// gone; otherwise the newcomer is refused and the live agent keeps its stream. Once the old
// stream is gone (or silent past the window), the id is free again.
import type { AgentView } from "../api-types.ts";
import type { AgentCandidate } from "../dispatch.ts";
import type { ControllerMessage, Register } from "../protocol.ts";
import type { ServerStream } from "../rpc.ts";
import { LIVENESS_WINDOW_MS, initialStatus, isAvailable, isGone, transition, type AgentEvent, type AgentStatus } from "../states.ts";

export const LIVENESS_TICK_MS = 500;

export interface AgentEntry {
  id: string;
  name: string;
  labels: Record<string, string>;
  cores: number;
  version: string;
  address: string;
  status: AgentStatus;
  /** Wall clock (Date.now) of the last message. */
  lastHeardUnixMs: number;
  clockOffsetMs: number;
  activeVus: number;
  runState: string;
  runId?: string;
  health: string;
  stream?: ServerStream;
  /** SHA-256 fingerprint of the client certificate it registered with (mTLS only). */
  fingerprint?: string;
  /** Messages and batches of this agent the controller refused (message-limits.ts, runs.ts). */
  rejectedMessages: number;
}

type Registration = { entry: AgentEntry } | { refused: string };

export type GoneReason = "disconnected" | "silent";

export interface RegistryListener {
  /** The agent went unhealthy or lost while it had work (or at all): runs apply their policy. */
  onAgentGone(agent: AgentEntry, reason: GoneReason): void;
}

export class AgentRegistry {
  readonly #agents = new Map<string, AgentEntry>();
  readonly #listeners: RegistryListener[] = [];
  readonly #now: () => number;
  readonly #livenessMs: number;

  constructor(now: () => number = Date.now, livenessMs = LIVENESS_WINDOW_MS) {
    this.#now = now;
    this.#livenessMs = livenessMs;
  }

  /** Silence after which an agent is unhealthy. */
  get livenessMs(): number {
    return this.#livenessMs;
  }

  listen(listener: RegistryListener): void {
    this.#listeners.push(listener);
  }

  get(id: string): AgentEntry | undefined {
    return this.#agents.get(id);
  }

  all(): AgentEntry[] {
    return [...this.#agents.values()];
  }

  /**
   * Registers (or re-registers) an agent on a new stream, or refuses it when the id is live on
   * another stream (see Identity above). A previous stream of the same id that is taken over is ended.
   */
  register(reg: Register, stream: ServerStream, address: string, fingerprint?: string): Registration {
    const now = this.#now();
    const previous = this.#agents.get(reg.agent_id);
    if (previous?.stream && previous.stream !== stream) {
      const live = now - previous.lastHeardUnixMs <= this.#livenessMs;
      const sameCertificate = fingerprint !== undefined && previous.fingerprint === fingerprint;
      if (live && !sameCertificate) {
        const how = previous.fingerprint ? "with another client certificate" : "while its stream is live";
        return { refused: `agent id ${reg.agent_id} is connected already; a second registration ${how} is refused until that stream is gone` };
      }
      const old = previous.stream;
      previous.stream = undefined;
      this.#apply(previous, { type: "disconnected" }, "disconnected");
      try {
        old.end();
      } catch {}
    }
    const entry: AgentEntry = previous ?? {
      id: reg.agent_id,
      name: reg.name || reg.agent_id,
      labels: {},
      cores: 0,
      version: "",
      address,
      status: initialStatus(now),
      lastHeardUnixMs: now,
      clockOffsetMs: 0,
      activeVus: 0,
      runState: "idle",
      health: "",
      rejectedMessages: 0,
    };
    entry.name = reg.name || reg.agent_id;
    entry.labels = { ...reg.labels };
    entry.cores = reg.cores;
    entry.version = reg.version;
    entry.address = address;
    entry.stream = stream;
    entry.fingerprint = fingerprint;
    entry.lastHeardUnixMs = now;
    entry.runId = undefined;
    entry.runState = "idle";
    entry.activeVus = 0;
    if (reg.unix_ms) entry.clockOffsetMs = reg.unix_ms - now;
    entry.status = transition(entry.status.state === "lost" ? entry.status : initialStatus(now), { type: "registered", atMs: now });
    this.#agents.set(entry.id, entry);
    return { entry };
  }

  /** Any message from the agent: it is alive. `agentUnixMs` refines the clock offset. */
  heard(entry: AgentEntry, agentUnixMs?: number): void {
    const now = this.#now();
    entry.lastHeardUnixMs = now;
    if (agentUnixMs) entry.clockOffsetMs = agentUnixMs - now;
    entry.status = transition(entry.status, { type: "heard", atMs: now });
  }

  /** The agent's stream ended (only if `stream` is still its current one). */
  disconnected(entry: AgentEntry, stream: ServerStream): void {
    if (entry.stream !== stream) return;
    entry.stream = undefined;
    this.#apply(entry, { type: "disconnected" }, "disconnected");
  }

  assign(entry: AgentEntry, runId: string): void {
    entry.status = transition(entry.status, { type: "assigned" });
    entry.runId = runId;
  }

  started(entry: AgentEntry): void {
    entry.status = transition(entry.status, { type: "started" });
  }

  release(entry: AgentEntry, runId: string): void {
    if (entry.runId !== runId) return;
    entry.runId = undefined;
    entry.status = transition(entry.status, { type: "released" });
  }

  /** Marks agents silent past the liveness window unhealthy. */
  tick(): void {
    const now = this.#now();
    for (const entry of this.#agents.values()) this.#apply(entry, { type: "tick", atMs: now }, "silent");
  }

  /** Forgets agents lost for longer than `forgetAfterMs` (the fleet view stays readable). */
  prune(forgetAfterMs: number): void {
    const now = this.#now();
    for (const [id, entry] of this.#agents) {
      if (entry.status.state === "lost" && now - entry.lastHeardUnixMs > forgetAfterMs) this.#agents.delete(id);
    }
  }

  send(entry: AgentEntry, message: ControllerMessage): boolean {
    if (!entry.stream) return false;
    try {
      entry.stream.write(message);
      return true;
    } catch {
      return false;
    }
  }

  candidates(): AgentCandidate[] {
    return this.all().map((a) => ({ id: a.id, name: a.name, labels: a.labels, available: isAvailable(a.status) }));
  }

  view(entry: AgentEntry): AgentView {
    return {
      id: entry.id,
      name: entry.name,
      labels: entry.labels,
      cores: entry.cores,
      version: entry.version,
      state: entry.status.state,
      lastHeartbeatUnixMs: entry.lastHeardUnixMs,
      activeVus: entry.activeVus,
      runId: entry.runId,
      runState: entry.runState,
      clockOffsetMs: entry.clockOffsetMs,
      health: entry.health,
      address: entry.address,
      rejectedMessages: entry.rejectedMessages,
    };
  }

  #apply(entry: AgentEntry, event: AgentEvent, reason: GoneReason): void {
    const wasGone = isGone(entry.status);
    entry.status = transition(entry.status, event, this.#livenessMs);
    if (!wasGone && isGone(entry.status)) {
      for (const l of this.#listeners) l.onAgentGone(entry, reason);
    } else if (wasGone && event.type === "disconnected") {
      // unhealthy → lost: runs already handled the loss.
    }
  }
}
