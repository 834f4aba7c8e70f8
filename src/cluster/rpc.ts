// gRPC plumbing for loadr.coordination.v1: the server the controller binds, the stream an agent
// opens, and the translation of grpc-js errors into sentences a person can act on.
import * as grpc from "@grpc/grpc-js";
import { coordinationService } from "./proto.ts";
import type { AgentMessage, ControllerMessage } from "./protocol.ts";

/** Assignments carry data files; grpc's 4 MB default is too small for them. */
const MAX_MESSAGE_BYTES = 96 * 1024 * 1024;
/** HTTP/2 keepalive pings: a dead peer behind a silent network is noticed within a minute. */
const KEEPALIVE_TIME_MS = 20_000;
const KEEPALIVE_TIMEOUT_MS = 10_000;

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
  "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  "grpc.keepalive_time_ms": KEEPALIVE_TIME_MS,
  "grpc.keepalive_timeout_ms": KEEPALIVE_TIMEOUT_MS,
  "grpc.keepalive_permit_without_calls": 1,
  // gzip every message: a metrics delta is mostly repeated series keys and compresses ~3x.
  "grpc.default_compression_algorithm": 2,
};

export type ServerStream = grpc.ServerDuplexStream<AgentMessage, ControllerMessage>;
export type ClientStream = grpc.ClientDuplexStream<AgentMessage, ControllerMessage>;

export interface GrpcServer {
  /** The bound port (useful with port 0). */
  port: number;
  /** Stops accepting, ends open streams, resolves when done (forced after `graceMs`). */
  close(graceMs?: number): Promise<void>;
}

/**
 * Binds `bind` ("host:port", port 0 allowed) and calls `onStream` for every agent stream. The
 * handler owns the stream; it is called concurrently for many agents.
 */
export function startGrpcServer(
  bind: string,
  credentials: grpc.ServerCredentials,
  onStream: (stream: ServerStream) => void,
): Promise<GrpcServer> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.http2.min_ping_interval_without_data_ms": 5_000,
  });
  server.addService(coordinationService(), { Connect: onStream as grpc.handleBidiStreamingCall<unknown, unknown> });
  return new Promise((resolve, reject) => {
    server.bindAsync(bind, credentials, (error, port) => {
      if (error) {
        reject(new Error(`cannot listen on ${bind} for agents: ${error.message}`));
        return;
      }
      resolve({
        port,
        close: (graceMs = 2_000) =>
          new Promise<void>((done) => {
            const force = setTimeout(() => {
              server.forceShutdown();
              done();
            }, graceMs);
            server.tryShutdown(() => {
              clearTimeout(force);
              done();
            });
          }),
      });
    });
  });
}

type StreamClient = grpc.Client & { Connect(metadata?: grpc.Metadata, options?: grpc.CallOptions): ClientStream };

/** A connection to a controller; `connect()` opens the coordination stream on it. */
export function createCoordinationClient(
  target: string,
  transport: { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions },
) {
  const Client = grpc.makeGenericClientConstructor(coordinationService(), "Coordination");
  const client = new Client(target, transport.credentials, { ...CHANNEL_OPTIONS, ...transport.options }) as unknown as StreamClient;
  return {
    connect: (): ClientStream => client.Connect(),
    close: () => client.close(),
  };
}

/**
 * Turns a grpc-js error into a sentence a person can act on. `host` is what the user passed to
 * --join; `tls` whether this side used TLS. The raw detail stays at the end for bug reports.
 */
export function describeGrpcError(error: unknown, host: string, tls: boolean): string {
  const e = error as Partial<grpc.ServiceError> & { message?: string };
  const details = String(e.details ?? e.message ?? error).replace(/ \(\d{4}-\d\d-\d\dT[^)]*\)/, "").replace(/\. Resolution note: ?$/, "");
  const raw = `(${details.length > 200 ? `${details.slice(0, 200)}…` : details})`;
  const wrongCa = `the TLS handshake with ${host} failed: the controller's certificate is not signed by --tls-ca, or yours is not trusted by its --tls-client-ca`;
  if (/CERTIFICATE_REQUIRED|certificate required/i.test(details)) {
    return "the controller requires a client certificate (mTLS): pass --tls-cert and --tls-key";
  }
  if (/ECONNREFUSED|connection refused/i.test(details)) return `cannot reach the controller at ${host}: nothing is listening there ${raw}`;
  if (/ENOTFOUND|EAI_AGAIN|Name resolution failed|getaddrinfo/i.test(details)) {
    return `cannot resolve the controller's host name in ${host} ${raw}`;
  }
  if (/WRONG_VERSION_NUMBER|wrong version number|packet length too long/i.test(details)) {
    return `the TLS handshake with ${host} failed: the controller does not speak TLS there (drop --tls-ca/--tls-cert, or start it with --tls-cert/--tls-key) ${raw}`;
  }
  if (/Hostname\/IP does not match|altnames|ERR_TLS_CERT_ALTNAME/i.test(details)) {
    return `the controller's certificate does not name ${host}: reissue it with that name or address in subjectAltName ${raw}`;
  }
  if (/self[- ]signed|unable to (get|verify)|UNKNOWN_CA|unknown ca|bad certificate|certificate verify|CERT_HAS_EXPIRED|certificate has expired/i.test(details)) {
    return `${wrongCa} ${raw}`;
  }
  if (/Failed to connect/i.test(details)) {
    return tls
      ? `${wrongCa} ${raw}`
      : `the controller at ${host} refused a plaintext connection: if it runs with --tls-cert, pass --tls-ca (and --tls-cert/--tls-key for mTLS) ${raw}`;
  }
  if (e.code === grpc.status.CANCELLED) return "the connection was cancelled";
  if (e.code === grpc.status.UNAVAILABLE) return `the controller at ${host} is unavailable ${raw}`;
  return `the coordination stream with ${host} failed ${raw}`;
}
