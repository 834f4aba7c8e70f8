// The plan's `defaults:` as every request-like step sees them (headers, timeouts, TLS, version):
// read once per plan by `normalizeDefaults`, merged under each step's own values by the step's
// normalizer (headers with `mergeHeaders`).
import type { Ms, Template, TlsSpec } from "../plan.ts";
import { addFile, bool, ms, num, rec, str, template, type NormalizeContext } from "./context.ts";

/**
 * The values of `http: { version }` (defaults, scenario, request): "auto" lets the protocol
 * negotiate. The schema (httpOptionsSchema) accepts them as strings or YAML numbers (`2`, `1.1`).
 */
export const HTTP_VERSIONS = ["1.1", "2", "auto"] as const;
export const DEFAULT_HTTP_VERSION = "1.1";

/** `http: { version }` as written (already schema-checked) → the version string, or `fallback`. */
export function httpVersionOf(raw: unknown, fallback: string): string {
  const version = rec(raw).version;
  return version === undefined ? fallback : String(version);
}

export interface RequestDefaults {
  headers: Array<[string, Template]>;
  /** One of HTTP_VERSIONS. */
  httpVersion: string;
  timeout: Ms;
  connectTimeout: Ms;
  maxRedirects: number;
  tls: TlsSpec;
}

/** A request's timeouts and redirects when neither the step nor `defaults:` sets them. */
export const REQUEST_DEFAULTS = { timeout: 60_000, connectTimeout: 10_000, maxRedirects: 10 } as const;

export function normalizeDefaults(raw: unknown, ctx: NormalizeContext): RequestDefaults {
  const d = rec(raw);
  const env = ctx.source.env;
  const headers = Object.entries(rec(d.headers)).map(
    ([name, value]) => [name, template(ctx, value, ["defaults", "headers", name], env)] as [string, Template],
  );
  const tlsRaw = rec(d.tls);
  const tls: TlsSpec = { insecure: bool(d.insecure, false) };
  const ca = str(tlsRaw.ca);
  if (ca !== undefined) {
    addFile(ctx, ca);
    const read = ctx.planFiles.readText(ca, "CA file");
    if (read.ok) tls.ca = read.text;
    else ctx.issues.error(["defaults", "tls", "ca"], read.message, { hint: read.hint });
  }
  const serverName = str(tlsRaw.serverName);
  if (serverName !== undefined) tls.serverName = serverName;
  return {
    headers: mergeHeaders(headers),
    httpVersion: httpVersionOf(d.http, DEFAULT_HTTP_VERSION),
    timeout: ms(d.timeout, REQUEST_DEFAULTS.timeout),
    connectTimeout: ms(d.connectTimeout, REQUEST_DEFAULTS.connectTimeout),
    maxRedirects: num(d.maxRedirects, REQUEST_DEFAULTS.maxRedirects),
    tls,
  };
}

/**
 * Header lists merged: names lower-cased, a later list's value wins over an earlier one's of the
 * same name and keeps the position of the name's first appearance (the defaults' order first).
 */
export function mergeHeaders(...lists: ReadonlyArray<ReadonlyArray<readonly [string, Template]>>): Array<[string, Template]> {
  const merged = new Map<string, Template>();
  for (const list of lists) for (const [name, value] of list) merged.set(name.toLowerCase(), value);
  return [...merged];
}
