// A scripted agent for the coordination properties: a real gRPC client of loadr.coordination.v1
// (the project's own codec, src/cluster/rpc.ts) that registers with given fields, takes the run
// it is assigned, answers Start with STARTED at once, and then sends exactly the batches and
// events its script says, bad ones included. It runs no load.
import { agentMessage, PROTOCOL_VERSION, type AgentMessage, type ControllerMessage, type Register } from "../../../src/cluster/protocol.ts";
import { createCoordinationClient, type ClientStream } from "../../../src/cluster/rpc.ts";
import { channelCredentials } from "../../../src/cluster/tls.ts";

const REGISTER_TIMEOUT_MS = 10_000;
const START_TIMEOUT_MS = 15_000;

export class ScriptedAgent {
  readonly id: string;
  readonly received: ControllerMessage[] = [];
  readonly registered: Promise<void>;
  /** The run id once Start arrived. */
  readonly started: Promise<string>;
  error: string | undefined;
  readonly #client: ReturnType<typeof createCoordinationClient>;
  readonly #stream: ClientStream;
  #runId = "";
  #ended = false;

  constructor(target: string, register: Partial<Register> & { agent_id: string }) {
    this.id = register.agent_id;
    this.#client = createCoordinationClient(target, channelCredentials({}));
    this.#stream = this.#client.connect();
    let onRegistered!: () => void;
    let onStarted!: (runId: string) => void;
    let fail!: (e: Error) => void;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    failed.catch(() => {});
    this.registered = Promise.race([new Promise<void>((r) => (onRegistered = r)), failed, timeout(REGISTER_TIMEOUT_MS, `agent ${this.id} registering`)]);
    this.started = Promise.race([new Promise<string>((r) => (onStarted = r)), failed, timeout(START_TIMEOUT_MS, `agent ${this.id} being started`)]);
    this.registered.catch(() => {});
    this.started.catch(() => {});
    this.#stream.on("data", (m: ControllerMessage) => {
      this.received.push(m);
      if (m.body === "registered") onRegistered();
      else if (m.body === "rejected") fail(new Error(`agent ${this.id} was rejected: ${m.rejected.reason}`));
      else if (m.body === "assignment") this.#runId = m.assignment.run_id;
      else if (m.body === "start" && m.start.run_id === this.#runId) onStarted(this.#runId);
    });
    const gone = (why: string) => {
      this.error ??= why;
      fail(new Error(`agent ${this.id}: ${why}`));
    };
    this.#stream.on("error", (e: Error) => gone(`stream error: ${e.message}`));
    this.#stream.on("end", () => gone("the controller ended the stream"));
    this.send(agentMessage("register", {
      name: register.agent_id, protocol_version: PROTOCOL_VERSION, cores: 1, labels: {}, unix_ms: Date.now(), active_runs: [], version: "fuzz", ...register,
    }));
  }

  send(message: AgentMessage): void {
    if (this.#ended) return;
    try {
      this.#stream.write(message);
    } catch (error) {
      this.error ??= `write failed: ${(error as Error).message}`;
    }
  }

  metrics(runId: string, delta: Uint8Array, seq: number, final = false): void {
    this.send(agentMessage("metrics", { run_id: runId, delta, seq, final, unix_ms: Date.now() }));
  }

  event(runId: string, kind: "STARTED" | "FINISHED" | "FAILED", outcome = ""): void {
    this.send(agentMessage("run_event", { run_id: runId, kind, summary: "", error: kind === "FAILED" ? "scripted failure" : "", notes: [], outcome }));
  }

  close(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#stream.removeAllListeners("error");
    this.#stream.on("error", () => {});
    try {
      this.#stream.end();
    } catch {}
    this.#client.close();
  }
}

function timeout(ms: number, what: string): Promise<never> {
  return new Promise((_, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: nothing within ${ms / 1000} s`)), ms);
    t.unref?.();
  });
}
