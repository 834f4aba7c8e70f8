// Rungs `connection` and `session`: loadr's HTTP/1.1 layer without the flow engine above it.
// - `connection`: one Connection per VU (src/protocols/http1/connection.ts) carrying the request
//   bytes the session would write, with its deadline, phase instants and full response framing;
//   a closed connection is replaced by a new one, as the session's pool does.
// - `session`: one Http1Session per VU (engine.ts builds them) sending the flow interpreter's
//   frozen static request, recording every HTTP sample into one real MetricStore.
// Called by rung-main.ts on the child's only thread.
import { ConnState, Connection, type HopResult } from "../../src/protocols/http1/connection.ts";
import { serializeRequest } from "../../src/protocols/http1/request-writer.ts";
import { parseTarget } from "../../src/protocols/http1/target.ts";
import { REQUEST_DEFAULTS } from "../../src/config/normalize/plan.ts";
import type { ResponseView } from "../../src/protocols/types.ts";
import { Budget, driveLoops, type LoopTally } from "./drive.ts";
import { sessionRig } from "./engine.ts";
import type { RungSpec } from "./rungs.ts";

export async function runConnection(spec: RungSpec): Promise<LoopTally> {
  const target = parseTarget(spec.url);
  if ("code" in target) throw new Error(target.message);
  const serialized = serializeRequest("GET", target, [], undefined, "");
  if ("code" in serialized) throw new Error(serialized.message);
  // As the session caches a static request: bytes, encoded once.
  const request = { data: Buffer.from(serialized.data), size: serialized.size };
  const timeoutMs = REQUEST_DEFAULTS.timeout;
  const dial = () => new Connection(target.origin, target, undefined, REQUEST_DEFAULTS.connectTimeout);
  const conns = Array.from({ length: spec.connections }, dial);
  const send = (vu: number): Promise<HopResult> => {
    const startedAt = performance.now();
    return conns[vu]!.exchange({ request, isHead: false, startedAt, deadline: startedAt + timeoutMs, timeoutMs });
  };
  const ok = (vu: number, result: HopResult): boolean => {
    if (conns[vu]!.state !== ConnState.Idle) conns[vu] = dial();
    return result.error === undefined && result.status === 200;
  };
  const tally = await driveLoops(spec.connections, new Budget(spec.budget), send, ok);
  for (const conn of conns) conn.destroy();
  return tally;
}

export async function runSession(spec: RungSpec): Promise<LoopTally & { recorded: number; recordedErrors: number }> {
  const rig = sessionRig(spec.url);
  const sessions = Array.from({ length: spec.connections }, (_, i) => rig.open(i + 1));
  const { request, tags } = rig;
  const send = (vu: number): Promise<ResponseView> => sessions[vu]!.send(request, tags);
  const ok = (_vu: number, response: ResponseView): boolean => response.error === undefined && response.status === 200;
  const tally = await driveLoops(spec.connections, new Budget(spec.budget), send, ok);
  for (const session of sessions) session.close();
  const recorded = rig.finish();
  return { ...tally, recorded: recorded.requests, recordedErrors: recorded.errors };
}
