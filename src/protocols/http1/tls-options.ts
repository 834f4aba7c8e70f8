// Bun.connect TLS options from a request's TlsSpec. Verification is on unless `insecure`;
// `ca` replaces the default roots (Bun semantics); the verified name (and SNI) is `serverName`,
// else the URL's host name — we connect to the resolved IP, so it must be passed explicitly.
import type { TLSOptions } from "bun";
import type { TlsSpec } from "../../config/plan.ts";
import type { Target } from "./target.ts";

/** Identifies CA texts compactly in pool keys (a handful of distinct CAs per process). */
const caIds = new Map<string, number>();

function caId(ca: string | undefined): number {
  if (ca === undefined || ca === "") return 0;
  let id = caIds.get(ca);
  if (id === undefined) {
    id = caIds.size + 1;
    caIds.set(ca, id);
  }
  return id;
}

/** The pool key of a connection: origin plus, for https, the TLS settings that shape it. */
export function connectionKey(target: Target, tls: TlsSpec): string {
  if (!target.secure) return target.origin;
  return `${target.origin}|${tls.insecure ? 1 : 0}|${tls.serverName ?? ""}|${caId(tls.ca)}`;
}

export function bunTlsOptions(target: Target, tls: TlsSpec): TLSOptions {
  const options: TLSOptions = { rejectUnauthorized: !tls.insecure };
  if (tls.ca !== undefined && tls.ca !== "") options.ca = tls.ca;
  const name = tls.serverName ?? (target.isIp ? undefined : target.hostname);
  if (name !== undefined && name !== "") options.serverName = name;
  return options;
}
