// One simulated agent: a real gRPC client of loadr.coordination.v1 in the bench process. It
// registers like `loadr agent`, heartbeats every 2 s, answers Assignment/Start with RunEvent
// STARTED at the barrier, then sends one MetricsBatch per second (a pre-generated realistic
// delta, UTF-8 JSON like a real agent's) and FINISHED at the end. It runs no load. Like a real
// agent it has its own connection (grpc-js would otherwise multiplex every client with the same
// target and options over one shared TCP connection). Every message is measured as it goes on
// the wire: the protobuf body gzipped (the coordination channel compresses every message,
// grpc.default_compression_algorithm in src/cluster/rpc.ts) plus the 5-byte gRPC frame prefix;
// a batch is measured once per pool entry (its seq and clock fields change its size by a byte or
// two), so that a fleet of 1,000 does not spend the bench's CPU on measuring.
import { gzipSync } from "node:zlib";
import { coordinationService } from "../../../src/cluster/proto.ts";
import { agentMessage, PROTOCOL_VERSION, type AgentMessage, type ControllerMessage } from "../../../src/cluster/protocol.ts";
import { createCoordinationClient, type ClientStream } from "../../../src/cluster/rpc.ts";
import { channelCredentials } from "../../../src/cluster/tls.ts";
import type { GeneratedDelta } from "./delta.ts";
import { BATCH_MS, HEARTBEAT_MS, type WireCounts } from "./targets.ts";

/** gRPC length-prefixed message framing: 1 byte compressed flag + 4 bytes length. */
export const GRPC_FRAME_PREFIX = 5;

let serializer: ((value: unknown) => Buffer) | undefined;
/** Bytes of one agent message on the wire: grpc-js's own serializer for Connect, then gzip as the channel does. */
export function wireBytes(message: AgentMessage): number {
  serializer ??= coordinationService().Connect!.requestSerialize as (value: unknown) => Buffer;
  return gzipSync(serializer(message)).length + GRPC_FRAME_PREFIX;
}

/** What the fleet counts while the measurement window is open (shared by every agent). */
export interface WireTally extends WireCounts {
  open: boolean;
  batchBytesMax: number;
  samples: number;
}

export function newTally(): WireTally {
  return { open: false, batches: 0, batchBytes: 0, batchBytesMax: 0, heartbeats: 0, heartbeatBytes: 0, samples: 0 };
}

export interface SimAgentOptions {
  index: number;
  target: string;
  pool: readonly GeneratedDelta[];
  tally: WireTally;
  /** Offset of this agent's batches within the second (ms), so the fleet does not send in lockstep. */
  phaseMs: number;
}

export class SimAgent {
  readonly id: string;
  readonly name: string;
  readonly registered: Promise<void>;
  readonly started: Promise<{ runId: string; startUnixMs: number }>;
  /** http_reqs (= http_req_duration samples) in every batch sent, window or not: the controller's merged count must match. */
  httpReqsSent = 0;
  /** MetricsBatches sent, window or not (final included). */
  batchesSent = 0;
  error: string | undefined;
  readonly #o: SimAgentOptions;
  readonly #client: ReturnType<typeof createCoordinationClient>;
  /** Wire bytes of each pool entry's batch, measured on first send (shared by the fleet). */
  static readonly #batchBytes = new WeakMap<GeneratedDelta, number>();
  readonly #stream: ClientStream;
  readonly #timers: Array<ReturnType<typeof setTimeout>> = [];
  #runId = "";
  #running = false;
  #seq = 0;
  #next: number;
  #onRegistered!: { resolve: () => void; reject: (e: Error) => void };
  #onStarted!: { resolve: (v: { runId: string; startUnixMs: number }) => void; reject: (e: Error) => void };

  constructor(o: SimAgentOptions) {
    this.#o = o;
    this.id = `bench-agent-${String(o.index).padStart(3, "0")}`;
    this.name = `bench-${String(o.index).padStart(3, "0")}`;
    this.#next = (o.index * 7) % o.pool.length;
    this.registered = new Promise((resolve, reject) => (this.#onRegistered = { resolve, reject }));
    this.started = new Promise((resolve, reject) => (this.#onStarted = { resolve, reject }));
    this.registered.catch(() => {});
    this.started.catch(() => {});
    const transport = channelCredentials({});
    this.#client = createCoordinationClient(o.target, { ...transport, options: { ...transport.options, "grpc.use_local_subchannel_pool": 1 } });
    this.#stream = this.#client.connect();
    this.#stream.on("data", (m: ControllerMessage) => this.#onMessage(m));
    this.#stream.on("error", (e: Error) => this.#fail(`stream error: ${e.message}`));
    this.#stream.on("end", () => this.#fail("the controller closed the stream"));
    this.#stream.write(agentMessage("register", {
      agent_id: this.id, name: this.name, protocol_version: PROTOCOL_VERSION, cores: 8, labels: { bench: "cluster" },
      unix_ms: Date.now(), active_runs: [], version: "bench",
    }));
  }

  #fail(why: string): void {
    this.error ??= why;
    this.#onRegistered.reject(new Error(`${this.name}: ${why}`));
    this.#onStarted.reject(new Error(`${this.name}: ${why}`));
  }

  #send(message: AgentMessage, measured?: number): number {
    const bytes = measured ?? wireBytes(message);
    try {
      this.#stream.write(message);
    } catch (error) {
      this.#fail(`write failed: ${(error as Error).message}`);
    }
    return bytes;
  }

  #onMessage(m: ControllerMessage): void {
    switch (m.body) {
      case "registered":
        this.#onRegistered.resolve();
        this.#timers.push(setInterval(() => this.#heartbeat(), HEARTBEAT_MS));
        break;
      case "rejected":
        this.#fail(`rejected: ${m.rejected.reason}`);
        break;
      case "assignment":
        this.#runId = m.assignment.run_id;
        break;
      case "start": {
        if (m.start.run_id !== this.#runId) break;
        const startUnixMs = m.start.start_unix_ms;
        const delay = Math.max(0, startUnixMs - Date.now());
        this.#timers.push(setTimeout(() => {
          this.#running = true;
          this.#send(agentMessage("run_event", { run_id: this.#runId, kind: "STARTED", summary: "", error: "", notes: [], outcome: "" }));
          this.#onStarted.resolve({ runId: this.#runId, startUnixMs });
        }, delay));
        this.#timers.push(setTimeout(() => {
          this.#batch(false);
          this.#timers.push(setInterval(() => this.#batch(false), BATCH_MS));
        }, delay + BATCH_MS + this.#o.phaseMs));
        break;
      }
      default:
        break;
    }
  }

  #heartbeat(): void {
    const bytes = this.#send(agentMessage("heartbeat", {
      active_vus: this.#running ? 50 : 0, run_state: this.#running ? "running" : "idle", run_id: this.#running ? this.#runId : "", unix_ms: Date.now(), health: "",
    }));
    const t = this.#o.tally;
    if (t.open) {
      t.heartbeats++;
      t.heartbeatBytes += bytes;
    }
  }

  #batch(final: boolean): void {
    const g = this.#o.pool[this.#next]!;
    this.#next = (this.#next + 1) % this.#o.pool.length;
    const message = agentMessage("metrics", { run_id: this.#runId, delta: g.bytes, seq: ++this.#seq, final, unix_ms: Date.now() });
    let measured = SimAgent.#batchBytes.get(g);
    if (measured === undefined) SimAgent.#batchBytes.set(g, (measured = wireBytes(message)));
    const bytes = this.#send(message, measured);
    this.httpReqsSent += g.httpReqs;
    this.batchesSent++;
    const t = this.#o.tally;
    if (t.open && !final) {
      t.batches++;
      t.batchBytes += bytes;
      t.batchBytesMax = Math.max(t.batchBytesMax, bytes);
      t.samples += g.samples;
    }
  }

  /** The run's end on this agent: its last (final) batch, then RunEvent FINISHED. */
  finish(): void {
    for (const t of this.#timers.splice(0)) clearInterval(t);
    if (!this.#running) return;
    this.#batch(true);
    this.#send(agentMessage("run_event", { run_id: this.#runId, kind: "FINISHED", summary: "", error: "", notes: [], outcome: "finished" }));
    this.#running = false;
    this.#timers.push(setInterval(() => this.#heartbeat(), HEARTBEAT_MS));
  }

  close(): void {
    for (const t of this.#timers.splice(0)) clearInterval(t);
    this.#stream.removeAllListeners("end");
    this.#stream.removeAllListeners("error");
    this.#stream.on("error", () => {});
    try {
      this.#stream.end();
    } catch {}
    this.#client.close();
  }
}
