// One agent's coordination stream on the controller: registration with the protocol-version
// check, then every message routed to the registry and the run manager. Called by grpc-js for
// each new stream, concurrently for many agents.
import { controllerMessage, PROTOCOL_VERSION, type AgentMessage, type Register } from "../protocol.ts";
import type { ServerStream } from "../rpc.ts";
import type { AgentEntry, AgentRegistry } from "./registry.ts";

/** An agent must send Register within this time after opening the stream. */
export const REGISTER_TIMEOUT_MS = 10_000;

export interface LinkHandlers {
  controllerId: string;
  registry: AgentRegistry;
  log(line: string): void;
  /** After registration; `stale` are runs the agent reported that it must stop. */
  onRegistered(entry: AgentEntry, register: Register): string[];
  onMessage(entry: AgentEntry, message: AgentMessage): void;
}

/** Why a Register is refused, in plain words; undefined when it is accepted. */
function registrationProblem(reg: Register): string | undefined {
  if (reg.protocol_version !== PROTOCOL_VERSION) {
    const newer = reg.protocol_version > PROTOCOL_VERSION;
    return (
      `protocol version ${reg.protocol_version} is not supported: this controller speaks loadr.coordination.v1 protocol version ${PROTOCOL_VERSION}` +
      ` (the agent${reg.version ? ` runs loadr ${reg.version}, which` : ""} is ${newer ? "newer" : "older"}); run the same loadr version on the controller and its agents`
    );
  }
  if (!reg.agent_id) return "the Register message has no agent_id";
  return undefined;
}

export function handleAgentStream(stream: ServerStream, h: LinkHandlers): void {
  const address = stream.getPeer();
  let entry: AgentEntry | undefined;
  let closed = false;
  const timer = setTimeout(() => {
    if (!entry) {
      h.log(`a connection from ${address} sent no Register within ${REGISTER_TIMEOUT_MS / 1000}s; closed`);
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

  stream.on("data", (message: AgentMessage) => {
    if (closed) return;
    if (!entry) {
      if (message.body !== "register") {
        h.log(`a connection from ${address} sent ${message.body} before Register; closed`);
        return finish();
      }
      const reg = message.register;
      const problem = registrationProblem(reg);
      if (problem) {
        h.log(`refused agent ${reg.name || reg.agent_id || "?"} from ${address}: ${problem}`);
        stream.write(controllerMessage("rejected", { reason: problem, protocol_version: PROTOCOL_VERSION }));
        return finish();
      }
      clearTimeout(timer);
      entry = h.registry.register(reg, stream, address);
      const stale = h.onRegistered(entry, reg);
      stream.write(controllerMessage("registered", { controller_id: h.controllerId, protocol_version: PROTOCOL_VERSION, stale_runs: stale }));
      const labels = Object.entries(entry.labels).map(([k, v]) => `${k}=${v}`).join(",");
      h.log(`agent ${entry.name} (${entry.id}) joined from ${address}${labels ? ` with labels ${labels}` : ""}, ${reg.cores} cores`);
      return;
    }
    if (message.body === "register") return; // a second Register on one stream is ignored
    h.registry.heard(entry, message.body === "heartbeat" ? message.heartbeat.unix_ms : undefined);
    h.onMessage(entry, message);
  });
  stream.on("end", finish);
  stream.on("error", finish);
  stream.on("close", finish);
}
