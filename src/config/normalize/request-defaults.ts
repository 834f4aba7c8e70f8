// The plan's `defaults:` as every request-like step sees them (HTTP, and later gRPC, WebSocket…):
// read once per plan by `normalizeDefaults`, merged under each step's own values by the step's
// normalizer (headers with `mergeHeaders`).
import { readFileSync } from "node:fs";
import type { Ms, Template, TlsSpec } from "../plan.ts";
import { addFile, bool, ms, num, rec, resolveFile, str, template, type NormalizeContext } from "./context.ts";

export interface RequestDefaults {
  headers: Array<[string, Template]>;
  timeout: Ms;
  connectTimeout: Ms;
  maxRedirects: number;
  tls: TlsSpec;
}

const FALLBACK = { timeout: 60_000, connectTimeout: 10_000, maxRedirects: 10 } as const;

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
    const file = resolveFile(ctx, ca);
    try {
      tls.ca = readFileSync(file, "utf8");
    } catch {
      ctx.issues.error(["defaults", "tls", "ca"], `CA file not found or unreadable: ${file}`, { hint: "paths are relative to the plan's directory" });
    }
  }
  const serverName = str(tlsRaw.serverName);
  if (serverName !== undefined) tls.serverName = serverName;
  return {
    headers: mergeHeaders(headers),
    timeout: ms(d.timeout, FALLBACK.timeout),
    connectTimeout: ms(d.connectTimeout, FALLBACK.connectTimeout),
    maxRedirects: num(d.maxRedirects, FALLBACK.maxRedirects),
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
