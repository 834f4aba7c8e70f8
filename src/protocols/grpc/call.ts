// One gRPC call on a VU's session, of any of the four kinds, mapped to a ResponseView. It always
// resolves, exactly once: failures come back as `error` and are recorded, never thrown.
// - A response arrived when the server sent response headers or a status of its own: `status` is
//   then 200 and `attributes.grpcStatus` holds the gRPC code (NOT_FOUND is a response, not an
//   error, so a `grpcStatus` check fails on it rather than every check).
// - No response (refused, reset, a peer that is not gRPC, past the deadline, aborted): `status` 0
//   and `error.code` one of ECONNREFUSED, reset, malformed, timeout, aborted, grpc_<status>.
// - `body` is the response message as JSON (unary, client-streaming), or the JSON array of every
//   message received (server-streaming, bidirectional), so the shared json checks and extraction
//   apply.
// - A streaming call waits for `receiveCount` messages (or the server's end) within `timeout`;
//   fewer by then is a `timeout` failure. Once the count is reached it waits for the server's
//   status; a server that keeps the stream open past the deadline is cancelled (grpcStatus
//   CANCELLED, a response).
// Metrics (metrics.ts): grpc_req_duration per call; grpc_streams per streaming call; one
// grpc_streams_msgs_sent / _received per message of a stream; data_sent / data_received as the
// framed message bytes (5-byte gRPC prefix each).
import * as grpc from "@grpc/grpc-js";
import type { Tags } from "../../metrics/types.ts";
import type { RequestTimings, ResponseView } from "../types.ts";
import type { ProtoMethod } from "./proto-root.ts";
import type { GrpcSession } from "./session.ts";
import { GRPC_STATUS_ATTRIBUTE, STATUS_NAMES } from "./status-check.ts";
import type { GrpcTls } from "./step/spec.ts";

/** The gRPC length prefix of every message on the wire. */
const FRAME_PREFIX_BYTES = 5;

export interface GrpcCall {
  target: string;
  tls: GrpcTls | undefined;
  method: ProtoMethod;
  metadata: Array<[string, string]>;
  /** One request (unary, server-streaming) or the requests to stream, in order. */
  messages: unknown[];
  receiveCount: number | undefined;
  timeout: number;
}

type AnyCall = grpc.ClientUnaryCall | grpc.ClientReadableStream<unknown> | grpc.ClientWritableStream<unknown> | grpc.ClientDuplexStream<unknown, unknown>;

export function invoke(session: GrpcSession, call: GrpcCall, tags: Tags, signal?: AbortSignal): Promise<ResponseView> {
  const { method } = call;
  const metrics = session.context.metrics;
  const streaming = method.kind !== "unary";
  const serverStreams = method.kind === "server-streaming" || method.kind === "bidirectional";
  const started = performance.now();
  const received: unknown[] = [];
  let bytesReceived = 0;
  let bytesSent = 0;
  let headersArrived = false;
  let settled = false;
  let countReached = false;
  let timedOut = false;
  let aborted = false;
  let decodeFailure: string | undefined;
  let client: grpc.Client;
  let active: AnyCall | undefined;

  return new Promise<ResponseView>((resolve) => {
    const finish = (status: grpc.StatusObject | undefined, error?: { code: string; message: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      const duration = performance.now() - started;
      const arrived = !error && status !== undefined;
      const code = status?.code ?? grpc.status.UNKNOWN;
      const metricTags: Tags = { ...tags, method: method.name, status: String(arrived ? code : 0), ...(error ? { error: error.code } : {}) };
      metrics.add("grpc_req_duration", duration, metricTags);
      if (streaming) metrics.add("grpc_streams", 1, metricTags);
      if (bytesSent > 0) metrics.add("data_sent", bytesSent, metricTags);
      if (bytesReceived > 0) metrics.add("data_received", bytesReceived, metricTags);
      const timings: RequestTimings = { blocked: 0, connecting: 0, tlsHandshaking: 0, sending: 0, waiting: duration, receiving: 0, duration };
      const body = serverStreams ? JSON.stringify(received) : received.length > 0 ? JSON.stringify(received[0]) : "";
      resolve({
        status: arrived ? 200 : 0,
        headers: {},
        body,
        timings,
        url: `grpc://${call.target}${method.path}`,
        ...(error ? { error } : {}),
        attributes: arrived ? { [GRPC_STATUS_ATTRIBUTE]: code, grpcStatusName: STATUS_NAMES[code] ?? String(code), messages: received.length } : { messages: received.length },
      });
    };

    const onStatus = (status: grpc.StatusObject) => {
      if (settled) return;
      if (aborted) return finish(undefined, { code: "aborted", message: `the call to ${method.name} was aborted (the run is stopping)` });
      if (timedOut && countReached) return finish({ ...status, code: grpc.status.CANCELLED });
      if (timedOut) return finish(undefined, timeoutError(call, received.length));
      if (decodeFailure) return finish(undefined, { code: "malformed", message: `a response of ${method.name} from ${call.target} is not a valid message: ${decodeFailure}` });
      // A broken connection after the response headers is still a failure, not a response.
      if (isLocal(status) && (!headersArrived || transportFailure(status.details))) return finish(undefined, localError(call, status));
      finish(status);
    };

    const timer = setTimeout(() => {
      timedOut = true;
      active?.cancel();
      // grpc-js reports CANCELLED through onStatus; this is the backstop if it never does.
      setTimeout(() => (countReached ? finish({ code: grpc.status.CANCELLED, details: "", metadata: new grpc.Metadata() }) : finish(undefined, timeoutError(call, received.length))), 50);
    }, call.timeout);

    const onAbort = () => {
      aborted = true;
      active?.cancel();
      setTimeout(() => finish(undefined, { code: "aborted", message: `the call to ${method.name} was aborted (the run is stopping)` }), 50);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });

    try {
      client = session.client(call.target, call.tls);
    } catch (error) {
      return finish(undefined, { code: "invalid_target", message: `cannot open a gRPC channel to "${call.target}": ${(error as Error).message}` });
    }
    const metadata = new grpc.Metadata();
    for (const [key, value] of call.metadata) metadata.add(key, value);
    const serialize = (message: unknown): Buffer => {
      const bytes = method.encode(message);
      bytesSent += bytes.byteLength + FRAME_PREFIX_BYTES;
      return bytes;
    };
    const deserialize = (bytes: Buffer): unknown => {
      bytesReceived += bytes.byteLength + FRAME_PREFIX_BYTES;
      try {
        return method.decode(bytes);
      } catch (error) {
        decodeFailure = (error as Error).message;
        throw error;
      }
    };
    const onMessage = (message: unknown) => {
      received.push(message);
      if (serverStreams) metrics.add("grpc_streams_msgs_received", 1, { ...tags, method: method.name });
      if (call.receiveCount !== undefined && received.length >= call.receiveCount) countReached = true;
    };
    const options: grpc.CallOptions = {};
    const path = method.path;
    const first = call.messages[0] ?? {};
    switch (method.kind) {
      case "unary":
        active = client.makeUnaryRequest(path, serialize, deserialize, first, metadata, options, (_error, value) => {
          if (value !== undefined) onMessage(value);
        });
        break;
      case "server-streaming": {
        const stream = client.makeServerStreamRequest(path, serialize, deserialize, first, metadata, options);
        stream.on("data", onMessage);
        active = stream;
        break;
      }
      case "client-streaming": {
        const stream = client.makeClientStreamRequest(path, serialize, deserialize, metadata, options, (_error, value) => {
          if (value !== undefined) onMessage(value);
        });
        active = stream;
        writeAll(stream);
        break;
      }
      case "bidirectional": {
        const stream = client.makeBidiStreamRequest(path, serialize, deserialize, metadata, options);
        stream.on("data", onMessage);
        active = stream;
        writeAll(stream);
        break;
      }
    }
    active.on("metadata", () => {
      headersArrived = true;
    });
    active.on("status", onStatus);
    // A stream emits its failure as 'error' too; the status handler has it already.
    (active as unknown as NodeJS.EventEmitter).on("error", () => undefined);

    function writeAll(stream: grpc.ClientWritableStream<unknown> | grpc.ClientDuplexStream<unknown, unknown>): void {
      for (const message of call.messages) {
        stream.write(message);
        metrics.add("grpc_streams_msgs_sent", 1, { ...tags, method: method.name });
      }
      stream.end();
    }
  });
}

/** A status grpc-js made up itself (no connection, a broken one), as opposed to one a server sent. */
function isLocal(status: grpc.StatusObject): boolean {
  return status.code === grpc.status.UNAVAILABLE || status.code === grpc.status.INTERNAL || status.code === grpc.status.UNKNOWN || status.code === grpc.status.CANCELLED;
}

/** Details grpc-js gives a call whose connection broke (reset, closed, not HTTP/2). */
const TRANSPORT_FAILURE = /ECONNREFUSED|ECONNRESET|RST_STREAM|dropped|closed|EPIPE|protocol error|GOAWAY/i;

const transportFailure = (details: string): boolean => TRANSPORT_FAILURE.test(details);

function timeoutError(call: GrpcCall, got: number): { code: string; message: string } {
  const what = call.receiveCount !== undefined ? `received ${got} of ${call.receiveCount} messages` : "no answer";
  return { code: "timeout", message: `${call.method.name} on ${call.target}: ${what} within ${call.timeout} ms` };
}

function localError(call: GrpcCall, status: grpc.StatusObject): { code: string; message: string } {
  const details = status.details || STATUS_NAMES[status.code] || "failed";
  const where = `${call.method.name} on ${call.target}`;
  if (/ECONNREFUSED/.test(details)) return { code: "ECONNREFUSED", message: `${where}: connection refused (is the server listening there?)` };
  if (/ECONNRESET|RST_STREAM|dropped|closed|EPIPE/i.test(details)) return { code: "reset", message: `${where}: the connection was reset before the call ended (${details})` };
  if (/protocol|HTTP2|http\/2|frame|header|content-type|parse|malformed/i.test(details)) {
    return { code: "malformed", message: `${where}: the peer does not answer as a gRPC server (${details})` };
  }
  const name = STATUS_NAMES[status.code] ?? String(status.code);
  return { code: `grpc_${name.toLowerCase()}`, message: `${where}: ${name}: ${details}` };
}
