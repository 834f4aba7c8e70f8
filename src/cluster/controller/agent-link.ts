// One agent's coordination stream on the controller: authentication (the join token in the
// stream's metadata, the client certificate under mTLS), registration with the protocol-version
// check and field limits, then every message checked (message-limits.ts) and routed to the
// registry and the run manager. Called by grpc-js for each new stream, concurrently for many agents.
//
// A peer that has not registered gets nothing but a refusal: a Rejected (it must not retry: a
// wrong token, another protocol version, a malformed Register) or an ALREADY_EXISTS status (it may
// retry: its id is live on another stream). Only after Registered is written does the controller
// hand the agent work (`onReady`), so an Assignment never overtakes Registered.
import * as grpc from "@grpc/grpc-js";
import { randomUUID } from "node:crypto";
import { joinTokenMatches, MAX_TOKEN_LENGTH } from "../join-token.ts";
import { controllerMessage, PROTOCOL_VERSION, type AgentMessage, type Register } from "../protocol.ts";
import { JOIN_TOKEN_METADATA, refuseStream, type ServerStream } from "../rpc.ts";
import { clampProse, messageProblem, registerProblem } from "./message-limits.ts";
import type { AgentEntry, AgentRegistry } from "./registry.ts";
import { hostOf, type RejectionLog } from "./rejections.ts";

/** An agent must send Register within this time after opening the stream. */
export const REGISTER_TIMEOUT_MS = 10_000;

export interface LinkHandlers {
  controllerId: string;
  registry: AgentRegistry;
  /** When set, every stream must carry it (rpc.ts JOIN_TOKEN_METADATA). */
  joinToken?: string;
  log(line: string): void;
  /** Refused connections and messages (throttled). */
  rejections: RejectionLog;
  /** During registration, before Registered is sent: runs the agent reported that it must stop. */
  onRegistered(entry: AgentEntry, register: Register): string[];
  /** Right after Registered was written: the agent may be given work now. */
  onReady(entry: AgentEntry): void;
  onMessage(entry: AgentEntry, message: AgentMessage): void;
}

/** Why a Register is refused, in plain words; undefined when it is accepted. */
function registrationProblem(reg: Register): string | undefined {
  if (reg.protocol_version !== PROTOCOL_VERSION) {
    const newer = reg.protocol_version > PROTOCOL_VERSION;
    const version = typeof reg.version === "string" ? reg.version.slice(0, 64) : "";
    return (
      `protocol version ${reg.protocol_version} is not supported: this controller speaks loadr.coordination.v1 protocol version ${PROTOCOL_VERSION}` +
      ` (the agent${version ? ` runs loadr ${version}, which` : ""} is ${newer ? "newer" : "older"}); run the same loadr version on the controller and its agents`
    );
  }
  if (!reg.agent_id) return "the Register message has no agent_id";
  const problem = registerProblem(reg);
  return problem ? `the Register message is invalid: ${problem}` : undefined;
}

/** Why the stream's join token is refused; undefined when it is accepted (or none is needed). */
function tokenProblem(stream: ServerStream, expected: string | undefined): string | undefined {
  if (!expected) return undefined;
  const given = stream.metadata.get(JOIN_TOKEN_METADATA)[0];
  if (given === undefined || given === "") return "this controller requires a join token: start the agent with --join-token (or --join-token-file, LOADR_JOIN_TOKEN) set to the controller's token";
  if (typeof given !== "string" || given.length > MAX_TOKEN_LENGTH || !joinTokenMatches(given, expected)) {
    return "the join token is wrong: start the agent with the controller's --join-token";
  }
  return undefined;
}

/** The SHA-256 fingerprint of the peer's client certificate (mTLS), if any. */
function fingerprintOf(stream: ServerStream): string | undefined {
  try {
    return stream.getAuthContext().sslPeerCertificate?.fingerprint256 || undefined;
  } catch {
    return undefined;
  }
}

/** A short, printable name for a peer's claimed identity in the log. */
const claimed = (reg: Register) => JSON.stringify(String(reg.name || reg.agent_id || "?").slice(0, 64));

export function handleAgentStream(stream: ServerStream, h: LinkHandlers): void {
  const address = stream.getPeer();
  const peer = `connections from ${hostOf(address)}`;
  let entry: AgentEntry | undefined;
  let closed = false;
  const timer = setTimeout(() => {
    if (!entry) {
      h.rejections.note(peer, `${address} sent no Register within ${REGISTER_TIMEOUT_MS / 1000}s; closed`);
      finish();
    }
  }, REGISTER_TIMEOUT_MS);

  function finish(): void {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    if (entry) {
      h.registry.disconnected(entry, stream);
      h.log(`agent ${entry.name} (${entry.id}) disconnected`);
    }
    try {
      stream.end();
    } catch {}
  }

  const reject = (reason: string) => {
    try {
      stream.write(controllerMessage("rejected", { reason, protocol_version: PROTOCOL_VERSION }));
    } catch {}
    finish();
  };

  const badToken = tokenProblem(stream, h.joinToken);
  if (badToken) {
    h.rejections.note(peer, `${address} refused: ${badToken.split(":")[0]}`);
    reject(badToken);
    return;
  }

  stream.on("data", (message: AgentMessage) => {
    if (closed) return;
    try {
      if (!entry) return register(message);
      if (message.body === "register") return; // a second Register on one stream is ignored
      const problem = messageProblem(message);
      if (problem) {
        entry.rejectedMessages++;
        h.rejections.note(`agent ${entry.name} (${entry.id})`, `a ${message.body ?? "message"} was refused: ${problem}`);
        return;
      }
      clampProse(message);
      h.registry.heard(entry, message.body === "heartbeat" ? message.heartbeat.unix_ms : undefined);
      h.onMessage(entry, message);
    } catch (error) {
      // A bug must cost this message, never the controller (a throw here would escape into grpc-js).
      const id = randomUUID().slice(0, 8);
      h.log(`error ${id} handling a ${String(message?.body)} from ${entry ? `agent ${entry.name} (${entry.id})` : address}: ${(error as Error)?.stack ?? String(error)}`);
      if (entry) entry.rejectedMessages++;
    }
  });
  stream.on("end", finish);
  stream.on("error", finish);
  stream.on("close", finish);

  function register(message: AgentMessage): void {
    if (message.body !== "register") {
      h.rejections.note(peer, `${address} sent ${String(message.body).slice(0, 32)} before Register; closed`);
      return reject("send Register first");
    }
    const reg = message.register;
    const problem = registrationProblem(reg);
    if (problem) {
      h.rejections.note(peer, `${address}: refused agent ${claimed(reg)}: ${problem}`);
      return reject(problem);
    }
    const registration = h.registry.register(reg, stream, address, fingerprintOf(stream));
    if ("refused" in registration) {
      h.rejections.note(peer, `${address}: refused agent ${claimed(reg)}: ${registration.refused}`);
      refuseStream(stream, grpc.status.ALREADY_EXISTS, registration.refused);
      return finish();
    }
    clearTimeout(timer);
    const agent = (entry = registration.entry);
    const stale = h.onRegistered(agent, reg);
    stream.write(controllerMessage("registered", { controller_id: h.controllerId, protocol_version: PROTOCOL_VERSION, stale_runs: stale }));
    const labels = Object.entries(agent.labels).map(([k, v]) => `${k}=${v}`).join(",");
    h.log(`agent ${agent.name} (${agent.id}) joined from ${address}${labels ? ` with labels ${labels}` : ""}, ${reg.cores} cores`);
    h.onReady(agent);
  }
}
