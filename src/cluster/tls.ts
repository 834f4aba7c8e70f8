// Transport credentials from PEM files: plaintext without flags, TLS with --tls-cert/--tls-key,
// mutual TLS when the controller also has --tls-client-ca (and the agent --tls-cert/--tls-key).
// Every mistake in the flags is reported as a LoadrError naming the flag to fix.
import * as grpc from "@grpc/grpc-js";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { checkServerIdentity } from "node:tls";
import { LoadrError } from "../shared/errors.ts";

export interface ServerTlsFlags {
  cert?: string;
  key?: string;
  /** CA bundle that client certificates must chain to; setting it requires client certs (mTLS). */
  clientCa?: string;
}

export interface ClientTlsFlags {
  /** CA bundle to verify the controller's certificate (system roots when absent but TLS is on). */
  ca?: string;
  cert?: string;
  key?: string;
}

function readPem(path: string, flag: string): Buffer {
  try {
    const pem = readFileSync(path);
    if (!pem.toString("utf8").includes("-----BEGIN")) {
      throw new LoadrError(`${flag} ${path} is not a PEM file (no "-----BEGIN" line)`);
    }
    return pem;
  } catch (error) {
    if (error instanceof LoadrError) throw error;
    throw new LoadrError(`cannot read ${flag} ${path}: ${(error as Error).message}`);
  }
}

export type TlsMode = "plaintext" | "tls" | "mtls";

export function serverTlsMode(flags: ServerTlsFlags): TlsMode {
  if (!flags.cert) return "plaintext";
  return flags.clientCa ? "mtls" : "tls";
}

export function serverCredentials(flags: ServerTlsFlags): grpc.ServerCredentials {
  if (!flags.cert && !flags.key) {
    if (flags.clientCa) throw new LoadrError("--tls-client-ca needs --tls-cert and --tls-key (mTLS runs over TLS)");
    return grpc.ServerCredentials.createInsecure();
  }
  if (!flags.cert || !flags.key) throw new LoadrError("--tls-cert and --tls-key go together: pass both");
  const keyCerts = [{ cert_chain: readPem(flags.cert, "--tls-cert"), private_key: readPem(flags.key, "--tls-key") }];
  const ca = flags.clientCa ? readPem(flags.clientCa, "--tls-client-ca") : null;
  return grpc.ServerCredentials.createSsl(ca, keyCerts, ca !== null);
}

export function clientTlsMode(flags: ClientTlsFlags): TlsMode {
  if (!flags.ca && !flags.cert) return "plaintext";
  return flags.cert ? "mtls" : "tls";
}

/**
 * Bun refuses an IP address as the TLS SNI name, which grpc-js sets to the target's host. For
 * an IP target we send this placeholder as SNI and still verify the certificate against the IP.
 */
const IP_TARGET_SNI = "loadr-controller";

export function channelCredentials(flags: ClientTlsFlags, targetHost?: string): {
  credentials: grpc.ChannelCredentials;
  options: grpc.ChannelOptions;
} {
  if (!flags.ca && !flags.cert && !flags.key) return { credentials: grpc.credentials.createInsecure(), options: {} };
  if (Boolean(flags.cert) !== Boolean(flags.key)) throw new LoadrError("--tls-cert and --tls-key go together: pass both");
  const ip = targetHost !== undefined && isIP(targetHost) !== 0 ? targetHost : undefined;
  const credentials = grpc.credentials.createSsl(
    flags.ca ? readPem(flags.ca, "--tls-ca") : null,
    flags.key ? readPem(flags.key, "--tls-key") : null,
    flags.cert ? readPem(flags.cert, "--tls-cert") : null,
    ip ? { checkServerIdentity: (_host, cert) => checkServerIdentity(ip, cert) } : {},
  );
  return { credentials, options: ip ? { "grpc.ssl_target_name_override": IP_TARGET_SNI } : {} };
}
