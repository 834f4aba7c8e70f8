// Rungs `connection` and `session`: loadr's HTTP/1.1 layer without the flow engine above it.
// - `connection`: one Connection per VU (src/protocols/http1/connection.ts) carrying the request
//   bytes the session would write, with its deadline, phase instants and full response framing;
//   a closed connection is replaced by a new one, as the session's pool does. The connection
//   calls its owner back, and the owner the rung's callback chain (drive.ts `driveCallbacks`).
// - `session`: one Http1Session per VU (engine.ts builds them) sending the flow interpreter's
//   frozen static request through `sendThen` (as the request step does), recording every HTTP
//   sample into one real MetricStore.
// Called by rung-main.ts on the child's only thread.
import { ConnState, Connection, type ExchangeOwner } from "../../src/protocols/http1/connection.ts";
import type { Http1Response } from "../../src/protocols/http1/response-view.ts";
import { serializeRequest } from "../../src/protocols/http1/request-writer.ts";
import { parseTarget } from "../../src/protocols/http1/target.ts";
import { REQUEST_DEFAULTS } from "../../src/config/normalize/request-defaults.ts";
import type { ResponseView } from "../../src/protocols/types.ts";
import { Budget, driveCallbacks, type LoopTally } from "./drive.ts";
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
  const owners = conns.map(() => new CallbackOwner());
  const send = (vu: number, done: (result: Http1Response) => void): void => {
    const startedAt = performance.now();
    const owner = owners[vu]!;
    owner.done = done;
    conns[vu]!.exchange({ url: spec.url, request, isHead: false, startedAt, deadline: startedAt + timeoutMs, timeoutMs }, owner);
  };
  const ok = (vu: number, result: Http1Response): boolean => {
    if (conns[vu]!.state !== ConnState.Idle) conns[vu] = dial();
    return result.error === undefined && result.status === 200;
  };
  const tally = await driveCallbacks(spec.connections, new Budget(spec.budget), send, ok);
  for (const conn of conns) conn.destroy();
  return tally;
}

/** Hands the exchange in flight to its callback when the connection calls back (as Http1Session does). */
class CallbackOwner implements ExchangeOwner {
  done: ((result: Http1Response) => void) | undefined;

  onExchange(_connection: Connection, result: Http1Response): void {
    const done = this.done!;
    this.done = undefined;
    done(result);
  }
}

export async function runSession(spec: RungSpec): Promise<LoopTally & { recorded: number; recordedErrors: number }> {
  const rig = sessionRig(spec.url);
  const sessions = Array.from({ length: spec.connections }, (_, i) => rig.open(i + 1));
  const { request, tags } = rig;
  const send = (vu: number, done: (response: ResponseView) => void): void => sessions[vu]!.sendThen(request, tags, undefined, done);
  const ok = (_vu: number, response: ResponseView): boolean => response.error === undefined && response.status === 200;
  const tally = await driveCallbacks(spec.connections, new Budget(spec.budget), send, ok);
  for (const session of sessions) session.close();
  const recorded = rig.finish();
  return { ...tally, recorded: recorded.requests, recordedErrors: recorded.errors };
}
