// A VU's gRPC session: one grpc-js channel per (target, TLS settings), opened on the VU's first
// call to it and reused by every later call (k6 reuses a connection per VU the same way). Each
// channel has its own subchannel pool, so closing the session closes every socket it opened
// (grpc-js otherwise shares connections process-wide). Used by one VU at a time.
import * as grpc from "@grpc/grpc-js";
import type { Session, SessionContext } from "../types.ts";
import type { GrpcTls } from "./step/spec.ts";

export class GrpcSession implements Session {
  private readonly clients = new Map<string, grpc.Client>();
  private closed = false;

  constructor(readonly context: SessionContext) {}

  /** The channel to `target` (`host:port`) with `tls` (undefined: plaintext). */
  client(target: string, tls: GrpcTls | undefined): grpc.Client {
    if (this.closed) throw new Error("gRPC session used after close");
    const key = tls ? `${target}|tls|${tls.insecure ? 1 : 0}|${tls.serverName ?? ""}|${tls.ca ?? ""}` : target;
    let client = this.clients.get(key);
    if (!client) {
      client = new grpc.Client(target, credentialsOf(tls), {
        "grpc.use_local_subchannel_pool": 1,
        "grpc.initial_reconnect_backoff_ms": 100,
        "grpc.max_reconnect_backoff_ms": 1_000,
        "grpc-node.max_session_memory": 64,
        ...(tls?.serverName ? { "grpc.ssl_target_name_override": tls.serverName, "grpc.default_authority": tls.serverName } : {}),
      });
      this.clients.set(key, client);
    }
    return client;
  }

  close(): void {
    this.closed = true;
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

function credentialsOf(tls: GrpcTls | undefined): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  const ca = tls.ca ? Buffer.from(tls.ca) : null;
  return grpc.credentials.createSsl(ca, null, null, tls.insecure ? { checkServerIdentity: () => undefined, rejectUnauthorized: false } : {});
}
