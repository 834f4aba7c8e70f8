// gRPC plumbing for loadr.coordination.v1: the server the controller binds, the stream an agent
// opens, and the translation of grpc-js errors into sentences a person can act on.
//
// Message sizes are bounded per direction: what the controller accepts from any peer (Register,
// heartbeats, metric batches) is small, MAX_AGENT_MESSAGE_BYTES, after decompression (grpc-js
// counts the inflated bytes, so a gzip bomb stops at the limit); only the controller's own
// Assignments, which carry the run's data files, may be large.
import * as grpc from "@grpc/grpc-js";
import type { Socket } from "node:net";
import { MAX_PLAN_BYTES } from "../config/yaml-structure.ts";
import { MAX_TOTAL_BYTES } from "./files.ts";
import { coordinationService } from "./proto.ts";
import type { AgentMessage, ControllerMessage } from "./protocol.ts";
import type { ClientTransport } from "./tls.ts";

/** Agent → controller: a metrics delta of a busy agent is a few hundred KB. */
export const MAX_AGENT_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Controller → agent: an Assignment carries the plan, its env (1 MiB, controller/submission.ts) and its data files. */
const MAX_ASSIGNMENT_BYTES = MAX_TOTAL_BYTES + MAX_PLAN_BYTES + 4 * 1024 * 1024;
/** HTTP/2 keepalive pings: a dead peer behind a silent network is noticed within a minute. */
const KEEPALIVE_TIME_MS = 20_000;
const KEEPALIVE_TIMEOUT_MS = 10_000;
/** The gRPC metadata key an agent's join token travels in (join-token.ts). */
export const JOIN_TOKEN_METADATA = "loadr-join-token";

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  "grpc.max_receive_message_length": MAX_ASSIGNMENT_BYTES,
  "grpc.max_send_message_length": MAX_AGENT_MESSAGE_BYTES,
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

interface GrpcServerHooks {
  /** A TLS handshake with `peer` ("host:port") failed; `reason` in words (tlsRefusalReason). */
  onTlsRefusal?(peer: string, reason: string): void;
}

/**
 * Binds `bind` ("host:port", port 0 allowed) and calls `onStream` for every agent stream. The
 * handler owns the stream; it is called concurrently for many agents.
 */
export function startGrpcServer(
  bind: string,
  credentials: grpc.ServerCredentials,
  onStream: (stream: ServerStream) => void,
  hooks: GrpcServerHooks = {},
): Promise<GrpcServer> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_AGENT_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_ASSIGNMENT_BYTES,
    "grpc.keepalive_time_ms": KEEPALIVE_TIME_MS,
    "grpc.keepalive_timeout_ms": KEEPALIVE_TIMEOUT_MS,
    "grpc.keepalive_permit_without_calls": 1,
    "grpc.http2.min_ping_interval_without_data_ms": 5_000,
  });
  if (hooks.onTlsRefusal) watchTlsRefusals(server, hooks.onTlsRefusal);
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

/**
 * grpc-js gives a server no hook for failed TLS handshakes; its secure HTTP/2 servers emit
 * `tlsClientError`. They are made by the server's own `createHttp2Server` (grpc-js 1.14), wrapped
 * here on this instance to listen. Without that method (another grpc-js), refusals go unlogged.
 */
function watchTlsRefusals(server: grpc.Server, onRefusal: (peer: string, reason: string) => void): void {
  type Http2Server = { prependListener(event: "connection", l: (socket: Socket) => void): void; on(event: "tlsClientError", l: (error: Error & { code?: string }, socket: Socket) => void): void };
  const internals = server as unknown as { createHttp2Server?: (credentials: grpc.ServerCredentials) => Http2Server };
  const create = internals.createHttp2Server;
  if (typeof create !== "function") return;
  internals.createHttp2Server = (credentials) => {
    const http2 = create.call(server, credentials);
    // The address is gone from a socket the handshake failed on: remember it when it connects.
    const peers = new WeakMap<Socket, string>();
    http2.prependListener("connection", (socket) => peers.set(socket, `${socket.remoteAddress}:${socket.remotePort}`));
    http2.on("tlsClientError", (error, socket) => onRefusal(peers.get(socket) ?? "an unknown address", tlsRefusalReason(error)));
    return http2;
  };
}

/** Why a peer's TLS handshake failed, in words a person can act on (OpenSSL's codes as Bun reports them). */
function tlsRefusalReason(error: Error & { code?: string }): string {
  const code = error.code ?? "";
  const text = `${code} ${error.message}`;
  if (/PEER_DID_NOT_RETURN_A_CERTIFICATE|CERTIFICATE_REQUIRED/i.test(text)) return "it sent no client certificate (this controller requires mTLS: the agent needs --tls-cert and --tls-key)";
  if (/CERT_HAS_EXPIRED|certificate has expired/i.test(text)) return "its client certificate has expired (renew the agent's --tls-cert)";
  if (/CERT_NOT_YET_VALID|not yet valid/i.test(text)) return "its client certificate is not valid yet (check the agent's clock, or the certificate's start date)";
  if (/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER|SELF_SIGNED|unable to verify|unknown ca|CERT_SIGNATURE_FAILURE/i.test(text)) {
    return "its client certificate is not signed by this controller's --tls-client-ca";
  }
  if (/WRONG_VERSION_NUMBER|HTTP_REQUEST|wrong version|http request/i.test(text)) return "it does not speak TLS (an agent without --tls-ca?)";
  if (/ECONNRESET|socket hang up/i.test(text)) return "it closed the connection during the TLS handshake (it does not trust this controller's certificate, or that certificate has expired)";
  return `the TLS handshake failed (${text.trim().slice(0, 200)})`;
}

type StreamClient = grpc.Client & { Connect(metadata?: grpc.Metadata, options?: grpc.CallOptions): ClientStream };

/** Marks the errors of a stream whose own client certificate has expired (describeGrpcError reads it). */
const OWN_CERT_EXPIRED = "this agent's client certificate (--tls-cert) expired on";

/**
 * A connection to a controller; `connect()` opens the coordination stream on it, with the join
 * token (join-token.ts) in its metadata when there is one.
 */
export function createCoordinationClient(target: string, transport: ClientTransport, options: { joinToken?: string } = {}) {
  const Client = grpc.makeGenericClientConstructor(coordinationService(), "Coordination");
  const client = new Client(target, transport.credentials, { ...CHANNEL_OPTIONS, ...transport.options }) as unknown as StreamClient;
  const notAfter = transport.clientCertNotAfterMs;
  return {
    connect: (): ClientStream => {
      const metadata = new grpc.Metadata();
      if (options.joinToken) metadata.set(JOIN_TOKEN_METADATA, options.joinToken);
      const stream = client.Connect(metadata);
      if (notAfter !== undefined) {
        // A handshake refused for an expired client certificate reads like any failed handshake
        // here; this side knows its certificate's notAfter, so it says so.
        stream.prependListener("error", (error: Partial<grpc.ServiceError>) => {
          if (Date.now() > notAfter && error.code === grpc.status.UNAVAILABLE) error.details = `${OWN_CERT_EXPIRED} ${new Date(notAfter).toISOString()}: ${error.details ?? ""}`;
        });
      }
      return stream;
    },
    close: () => client.close(),
  };
}

/**
 * Ends a server stream with a gRPC status, so the agent sees why and may retry (unlike a
 * Rejected message, which makes it give up).
 */
export function refuseStream(stream: ServerStream, code: grpc.status, details: string): void {
  try {
    stream.emit("error", { code, details });
  } catch {}
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
  if (details.startsWith(OWN_CERT_EXPIRED)) {
    const when = details.slice(OWN_CERT_EXPIRED.length + 1).split(" ")[0]!.replace(/:$/, "");
    return `the TLS handshake with ${host} failed: ${OWN_CERT_EXPIRED} ${when}; renew it`;
  }
  if (/CERTIFICATE_REQUIRED|certificate required/i.test(details)) {
    return "the controller requires a client certificate (mTLS): pass --tls-cert and --tls-key";
  }
  if (/CERT_HAS_EXPIRED|certificate has expired/i.test(details)) {
    return `the TLS handshake with ${host} failed: the controller's certificate has expired (renew the controller's --tls-cert) ${raw}`;
  }
  if (e.code === grpc.status.ALREADY_EXISTS) return `the controller refused this registration for now: ${details} (retrying)`;
  if (e.code === grpc.status.RESOURCE_EXHAUSTED) return `the controller refused a message: ${details}`;
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
  if (/self[- ]signed|unable to (get|verify)|UNKNOWN_CA|unknown ca|bad certificate|certificate verify/i.test(details)) {
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
