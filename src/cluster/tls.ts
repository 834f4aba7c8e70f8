// Transport credentials from PEM files: plaintext without flags, TLS with --tls-cert/--tls-key,
// mutual TLS when the controller also has --tls-client-ca (and the agent --tls-cert/--tls-key).
// Every mistake in the flags is reported as a LoadrError naming the flag to fix; a certificate
// past its notAfter (or before its notBefore) is refused at start, saying "expired".
import * as grpc from "@grpc/grpc-js";
import { X509Certificate } from "node:crypto";
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

/**
 * The validity of the certificate `pem` (the first of a chain): throws a LoadrError naming the
 * flag when it cannot be parsed, has expired or is not valid yet. Returns its notAfter (ms).
 */
function checkCertificateDates(pem: Buffer, flag: string, path: string, now = Date.now()): number {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (error) {
    throw new LoadrError(`${flag} ${path} is not a readable certificate: ${(error as Error).message}`);
  }
  const notAfter = Date.parse(cert.validTo);
  const notBefore = Date.parse(cert.validFrom);
  if (notAfter < now) {
    throw new LoadrError(`${flag} ${path} expired on ${new Date(notAfter).toISOString()} (its notAfter)`, { hint: "renew the certificate, then restart with the new one" });
  }
  if (notBefore > now) {
    throw new LoadrError(`${flag} ${path} is not valid before ${new Date(notBefore).toISOString()} (its notBefore)`, { hint: "check this machine's clock, or issue the certificate with an earlier start date" });
  }
  return notAfter;
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
  const cert = readPem(flags.cert, "--tls-cert");
  checkCertificateDates(cert, "--tls-cert", flags.cert);
  const keyCerts = [{ cert_chain: cert, private_key: readPem(flags.key, "--tls-key") }];
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

export interface ClientTransport {
  credentials: grpc.ChannelCredentials;
  options: grpc.ChannelOptions;
  /** notAfter (ms) of the agent's own client certificate, so a later refusal can say it expired (rpc.ts). */
  clientCertNotAfterMs?: number;
}

export function channelCredentials(flags: ClientTlsFlags, targetHost?: string): ClientTransport {
  if (!flags.ca && !flags.cert && !flags.key) return { credentials: grpc.credentials.createInsecure(), options: {} };
  if (Boolean(flags.cert) !== Boolean(flags.key)) throw new LoadrError("--tls-cert and --tls-key go together: pass both");
  const ip = targetHost !== undefined && isIP(targetHost) !== 0 ? targetHost : undefined;
  const cert = flags.cert ? readPem(flags.cert, "--tls-cert") : null;
  const notAfter = cert && flags.cert ? checkCertificateDates(cert, "--tls-cert", flags.cert) : undefined;
  const credentials = grpc.credentials.createSsl(
    flags.ca ? readPem(flags.ca, "--tls-ca") : null,
    flags.key ? readPem(flags.key, "--tls-key") : null,
    cert,
    ip ? { checkServerIdentity: (_host, peer) => checkServerIdentity(ip, peer) } : {},
  );
  return { credentials, options: ip ? { "grpc.ssl_target_name_override": IP_TARGET_SNI } : {}, ...(notAfter !== undefined ? { clientCertNotAfterMs: notAfter } : {}) };
}
