// A rogue coordination client for the cluster's trust-boundary tests: the real proto through
// src/cluster/rpc.ts, but every message hand-made, and everything the controller answers (or the
// status it ends the stream with) recorded. Never reconnects.
import type * as grpc from "@grpc/grpc-js";
import { agentMessage, PROTOCOL_VERSION, type AgentMessage, type ControllerMessage, type MetricsBatch, type Register, type RunEvent } from "../../../src/cluster/protocol.ts";
import { createCoordinationClient, type ClientStream } from "../../../src/cluster/rpc.ts";
import { channelCredentials, type ClientTlsFlags } from "../../../src/cluster/tls.ts";
import { waitFor } from "./helpers.ts";

export interface RogueOptions {
  joinToken?: string;
  tls?: ClientTlsFlags;
  /** Channel options over rpc.ts's (e.g. a larger send limit than an honest agent's). */
  channel?: grpc.ChannelOptions;
}

export interface Rogue {
  readonly received: ControllerMessage[];
  /** The status the stream ended with, when it ended with an error. */
  error(): grpc.ServiceError | undefined;
  ended(): boolean;
  send(message: AgentMessage): void;
  register(over?: Partial<Register>): void;
  metrics(batch: Partial<MetricsBatch> & { run_id: string }): void;
  event(event: Partial<RunEvent> & { run_id: string; kind: RunEvent["kind"] }): void;
  /** Waits for a message of `body` (or the end of the stream: then undefined). */
  next<B extends ControllerMessage["body"]>(body: B, timeoutMs?: number): Promise<Extract<ControllerMessage, { body: B }> | undefined>;
  close(): void;
}

export function rogueClient(target: string, o: RogueOptions = {}): Rogue {
  const host = target.replace(/:\d+$/, "");
  const transport = channelCredentials(o.tls ?? {}, host);
  const client = createCoordinationClient(target, { ...transport, options: { ...transport.options, ...o.channel } }, o.joinToken ? { joinToken: o.joinToken } : {});
  const stream: ClientStream = client.connect();
  const received: ControllerMessage[] = [];
  let error: grpc.ServiceError | undefined;
  let ended = false;
  stream.on("data", (m: ControllerMessage) => received.push(m));
  stream.on("error", (e: grpc.ServiceError) => {
    error = e;
    ended = true;
  });
  stream.on("end", () => (ended = true));
  stream.on("close", () => (ended = true));
  const send = (m: AgentMessage) => {
    try {
      stream.write(m);
    } catch {}
  };
  return {
    received,
    error: () => error,
    ended: () => ended,
    send,
    register: (over = {}) =>
      send(agentMessage("register", {
        agent_id: "rogue", name: "rogue", protocol_version: PROTOCOL_VERSION, cores: 1, labels: {}, unix_ms: Date.now(), active_runs: [], version: "0.0.0", ...over,
      })),
    metrics: (batch) => send(agentMessage("metrics", { delta: new Uint8Array(), seq: 1, final: false, unix_ms: Date.now(), ...batch })),
    event: (event) => send(agentMessage("run_event", { summary: "", error: "", notes: [], outcome: "", ...event })),
    async next(body, timeoutMs = 10_000) {
      const found = await waitFor(`a ${body} message`, () => received.find((m) => m.body === body) ?? (ended ? "ended" : undefined), timeoutMs);
      return found === "ended" ? undefined : (found as never);
    },
    close: () => {
      try {
        stream.cancel();
      } catch {}
      client.close();
    },
  };
}
