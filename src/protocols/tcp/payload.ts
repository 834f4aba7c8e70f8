// What a raw-socket step sends and how it reads its target, shared by the `tcp` and `udp` steps
// (src/protocols/udp/ imports this file): `send:` is text (a template, sent as UTF-8) or
// `{base64: …}` (a template whose rendering is decoded to bytes); `target:` is `host:port` (a
// template; IPv6 in brackets, `[::1]:7000`). Schemas here are shapes; normalize compiles values.
import type { Path } from "../../config/issues.ts";
import type { Template, TemplateScope } from "../../config/plan.ts";
import { byType, str, strict, type Schema } from "../../config/schema/helpers.ts";
import { rec, template, type Env, type NormalizeContext } from "../../config/normalize/context.ts";

export type PayloadSpec = { kind: "text"; text: Template } | { kind: "base64"; text: Template };

export const payloadSchema: Schema = byType("a payload: text, or {base64: …}", {
  string: str(),
  object: strict({ base64: str("base64 text") }, "binary payload"),
});

export function normalizePayload(raw: unknown, path: Path, ctx: NormalizeContext, env: Env): PayloadSpec {
  if (typeof raw === "object" && raw !== null) {
    return { kind: "base64", text: template(ctx, rec(raw).base64 ?? "", [...path, "base64"], env) };
  }
  return { kind: "text", text: template(ctx, raw ?? "", path, env) };
}

const encoder = new TextEncoder();

/** The bytes to send for `scope`. */
export function renderPayload(spec: PayloadSpec, scope: TemplateScope): Uint8Array {
  const text = spec.text.render(scope);
  return spec.kind === "text" ? encoder.encode(text) : new Uint8Array(Buffer.from(text, "base64"));
}

export interface HostPort {
  hostname: string;
  port: number;
}

/** `host:port` → its parts, or a sentence saying what is wrong with it. */
export function parseHostPort(text: string): HostPort | { error: string } {
  const match = /^(?:\[([^\]]+)\]|([^:\s\[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) {
    return { error: `target "${text}" is not host:port (e.g. 127.0.0.1:7000 or [::1]:7000)` };
  }
  return { hostname: (match[1] ?? match[2])!, port };
}
