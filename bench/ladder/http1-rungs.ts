// Rungs `connection` and `session`: loadr's HTTP/1.1 layer without the flow engine above it.
// - `connection`: one Connection per VU (src/protocols/http1/connection.ts) carrying the request
//   bytes the session would write, with its deadline, phase instants and full response framing;
//   a closed connection is replaced by a new one, as the session's pool does. The connection
//   calls its owner back; the rung turns that into the one promise per request a VU awaits.
// - `session`: one Http1Session per VU (engine.ts builds them) sending the flow interpreter's
//   frozen static request, recording every HTTP sample into one real MetricStore.
// Called by rung-main.ts on the child's only thread.
import { ConnState, Connection, type ExchangeOwner } from "../../src/protocols/http1/connection.ts";
import type { Http1Response } from "../../src/protocols/http1/response-view.ts";
import { serializeRequest } from "../../src/protocols/http1/request-writer.ts";
import { parseTarget } from "../../src/protocols/http1/target.ts";
import { REQUEST_DEFAULTS } from "../../src/config/normalize/request-defaults.ts";
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
  const owners = conns.map(() => new PromiseOwner());
  const send = (vu: number): Promise<Http1Response> => {
    const startedAt = performance.now();
    const owner = owners[vu]!;
    const promise = new Promise<Http1Response>(owner.capture);
    conns[vu]!.exchange({ url: spec.url, request, isHead: false, startedAt, deadline: startedAt + timeoutMs, timeoutMs }, owner);
    return promise;
  };
  const ok = (vu: number, result: Http1Response): boolean => {
    if (conns[vu]!.state !== ConnState.Idle) conns[vu] = dial();
    return result.error === undefined && result.status === 200;
  };
  const tally = await driveLoops(spec.connections, new Budget(spec.budget), send, ok);
  for (const conn of conns) conn.destroy();
  return tally;
}

/** Resolves the promise of the exchange in flight when the connection calls back. */
class PromiseOwner implements ExchangeOwner {
  private resolve: ((result: Http1Response) => void) | undefined;
  readonly capture = (resolve: (result: Http1Response) => void) => {
    this.resolve = resolve;
  };

  onExchange(_connection: Connection, result: Http1Response): void {
    const resolve = this.resolve!;
    this.resolve = undefined;
    resolve(result);
  }
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
