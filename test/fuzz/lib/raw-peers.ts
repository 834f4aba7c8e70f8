// Unauthenticated peers that speak to the controller's gRPC port below the project's codec:
// `grpcFrames` sends arbitrary message bytes on the Connect stream through grpc-js with identity
// (de)serializers; `h2Request` writes an arbitrary body (gRPC length prefixes, compression flags
// and all) on a raw HTTP/2 stream with node:http2. Both end within `lingerMs` plus a bound, and
// report what came back (for diagnostics only: the properties judge the controller by its health).
import * as grpc from "@grpc/grpc-js";
import * as http2 from "node:http2";

export const CONNECT_PATH = "/loadr.coordination.v1.Coordination/Connect";
/** Past this the peer gives up on an answer (the controller is then judged by /healthz). */
const GIVE_UP_MS = 2_000;

export type Ending = "end" | "cancel" | "linger";

export interface PeerOutcome {
  replies: number;
  status?: string;
}

/** Opens a Connect stream, writes `frames` (each one gRPC message body), then ends as told. */
export function grpcFrames(target: string, frames: readonly Uint8Array[], ending: Ending, lingerMs: number, gzip: boolean): Promise<PeerOutcome> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure(), gzip ? { "grpc.default_compression_algorithm": 2 } : {});
  const call = client.makeBidiStreamRequest<Buffer, Buffer>(CONNECT_PATH, (b) => b, (b) => b);
  const outcome: PeerOutcome = { replies: 0 };
  return new Promise<PeerOutcome>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(giveUp);
      try {
        call.cancel();
      } catch {}
      client.close();
      resolve(outcome);
    };
    const giveUp = setTimeout(finish, lingerMs + GIVE_UP_MS);
    call.on("data", () => outcome.replies++);
    call.on("status", (s: grpc.StatusObject) => {
      outcome.status = `${grpc.status[s.code]}: ${s.details}`.slice(0, 200);
      finish();
    });
    call.on("error", () => {});
    for (const f of frames) {
      try {
        call.write(Buffer.from(f));
      } catch {
        break;
      }
    }
    if (ending === "end") call.end();
    setTimeout(finish, ending === "cancel" ? 0 : lingerMs);
  });
}

export interface H2Shape {
  path: string;
  contentType: string;
  encoding?: string;
  /** Body chunks, written in order. */
  chunks: readonly Uint8Array[];
  ending: Ending;
}

/** One raw HTTP/2 request to the controller's gRPC port; resolves when it is answered or given up. */
export function h2Request(target: string, shape: H2Shape, lingerMs: number): Promise<PeerOutcome> {
  const outcome: PeerOutcome = { replies: 0 };
  return new Promise<PeerOutcome>((resolve) => {
    let done = false;
    const session = http2.connect(`http://${target}`);
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(giveUp);
      session.destroy();
      resolve(outcome);
    };
    const giveUp = setTimeout(finish, lingerMs + GIVE_UP_MS);
    session.on("error", finish);
    let req: http2.ClientHttp2Stream;
    try {
      req = session.request({
        ":method": "POST",
        ":path": shape.path,
        "content-type": shape.contentType,
        te: "trailers",
        ...(shape.encoding !== undefined ? { "grpc-encoding": shape.encoding } : {}),
      });
    } catch {
      finish();
      return;
    }
    req.on("response", (headers) => (outcome.status = String(headers["grpc-status"] ?? headers[":status"] ?? "")));
    req.on("data", () => outcome.replies++);
    req.on("trailers", (t) => (outcome.status = `${outcome.status ?? ""} grpc-status ${t["grpc-status"]} ${String(t["grpc-message"] ?? "").slice(0, 120)}`));
    req.on("end", finish);
    req.on("error", finish);
    req.on("close", finish);
    for (const c of shape.chunks) req.write(Buffer.from(c));
    if (shape.ending === "end") req.end();
    setTimeout(() => {
      if (shape.ending === "cancel") req.close(http2.constants.NGHTTP2_CANCEL);
      finish();
    }, shape.ending === "cancel" ? 0 : lingerMs);
  });
}

/** A gRPC length-prefixed message: flag byte, 4-byte big-endian length (as given), payload. */
export function grpcFrame(payload: Uint8Array, compressed: number, declaredLength = payload.length): Uint8Array {
  const out = new Uint8Array(5 + payload.length);
  out[0] = compressed & 0xff;
  new DataView(out.buffer).setUint32(1, declaredLength >>> 0);
  out.set(payload, 5);
  return out;
}
