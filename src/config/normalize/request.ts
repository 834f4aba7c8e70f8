// A `request:` step → RequestSpec: defaults merged in, body kind chosen, checks and extractions
// compiled (check names default to readable text such as `status is 200`).
import { existsSync } from "node:fs";
import type { Path } from "../issues.ts";
import type { BodySpec, CheckSpec, ExtractSpec, JsonTemplate, Ms, RequestSpec, Template, TlsSpec } from "../plan.ts";
import { regexError } from "../schema/helpers.ts";
import { addFile, arr, bool, isRecord, mergeHeaders, ms, num, rec, resolveFile, str, template, type Env, type NormalizeContext } from "./context.ts";

/** Request settings from `defaults:` (already normalized). */
export type { RequestDefaults } from "./request-defaults.ts";
import type { RequestDefaults } from "./request-defaults.ts";

const EMPTY_SCOPE = { vars: {}, data: {}, vu: 0, iteration: 0, scenario: "" };

export const VARIABLE_NAME = /^[A-Za-z_][\w-]*$/;

export function normalizeRequest(raw: unknown, path: Path, ctx: NormalizeContext, env: Env, defaults: RequestDefaults): RequestSpec {
  const r = rec(raw);
  const url = template(ctx, r.url, [...path, "url"], env);
  // Env references are resolved at load, so a static URL is checked as rendered; one whose env
  // variable is unset is reported by the template itself, not here.
  const rendered = url.isStatic ? url.render(EMPTY_SCOPE) : "";
  const usesEnv = url.source.includes("${env.");
  if (!ctx.hasBaseUrl && url.isStatic && !usesEnv && rendered !== "" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(rendered)) {
    ctx.issues.error([...path, "url"], `"${url.source}" is relative but the plan has no baseUrl`, {
      hint: "add baseUrl: at the top of the plan, or write an absolute URL",
    });
  }
  const headers: Array<[string, Template]> = Object.entries(rec(r.headers)).map(([name, value]) => [
    name.toLowerCase(),
    template(ctx, value, [...path, "headers", name], env),
  ]);
  return {
    name: str(r.name) ?? url.source,
    protocol: "http",
    method: (str(r.method) ?? "GET").toUpperCase(),
    url,
    headers: mergeHeaders(defaults.headers, headers),
    body: normalizeBody(r, path, ctx, env),
    timeout: ms(r.timeout, defaults.timeout),
    connectTimeout: ms(r.connectTimeout, defaults.connectTimeout),
    maxRedirects: num(r.maxRedirects, defaults.maxRedirects),
    tls: { ...defaults.tls, insecure: bool(r.insecure, defaults.tls.insecure) },
    checks: arr(r.checks).flatMap((c, i) => normalizeCheck(c, [...path, "checks", i], ctx, env) ?? []),
    extract: Object.entries(rec(r.extract)).flatMap(([name, e]) => normalizeExtract(name, e, [...path, "extract", name], ctx) ?? []),
  };
}

function normalizeBody(r: Record<string, unknown>, path: Path, ctx: NormalizeContext, env: Env): BodySpec | undefined {
  const kinds = (["json", "form", "body", "file"] as const).filter((k) => r[k] !== undefined);
  if (kinds.length > 1) {
    ctx.issues.error([...path, kinds[1]!], `a request has one body: ${kinds.join(" and ")} are both set`, { at: "key" });
    return undefined;
  }
  const contentType = str(r.contentType);
  const kind = kinds[0];
  if (contentType !== undefined && (kind === "json" || kind === "form")) {
    ctx.issues.error([...path, "contentType"], `contentType applies to body: and file:, not to ${kind}:`, {
      at: "key",
      hint: "set a content-type header instead",
    });
  }
  const withType = <T extends BodySpec>(spec: T): T => (contentType === undefined ? spec : { ...spec, contentType });
  switch (kind) {
    case undefined:
      return undefined;
    case "json":
      return { kind: "json", value: compileJsonAt(r.json, [...path, "json"], ctx, env) };
    case "form":
      return {
        kind: "form",
        fields: Object.entries(rec(r.form)).map(([k, v]) => [k, template(ctx, v, [...path, "form", k], env)]),
      };
    case "body":
      return withType<BodySpec>({ kind: "raw", text: template(ctx, r.body, [...path, "body"], env) });
    case "file": {
      const file = str(r.file) ?? "";
      addFile(ctx, file);
      const resolved = resolveFile(ctx, file);
      if (file && !existsSync(resolved)) {
        ctx.issues.error([...path, "file"], `body file not found: ${resolved}`, { hint: "paths are relative to the plan's directory" });
      }
      return withType<BodySpec>({ kind: "file", path: file });
    }
  }
}

/** Like `compileJson`, but each string's problems are reported at its own path. */
function compileJsonAt(value: unknown, path: Path, ctx: NormalizeContext, env: Env): JsonTemplate {
  if (typeof value === "string") return template(ctx, value, path, env);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  if (Array.isArray(value)) return value.map((v, i) => compileJsonAt(v, [...path, i], ctx, env));
  if (isRecord(value)) {
    const out: { [key: string]: JsonTemplate } = {};
    for (const [k, v] of Object.entries(value)) out[k] = compileJsonAt(v, [...path, k], ctx, env);
    return out;
  }
  return null;
}

function safeRegex(pattern: string): RegExp | undefined {
  return regexError(pattern) === undefined ? new RegExp(pattern) : undefined;
}

function normalizeCheck(raw: unknown, path: Path, ctx: NormalizeContext, env: Env): CheckSpec | undefined {
  if (!isRecord(raw)) return undefined;
  const loc = ctx.issues.locate(path);
  const explicit = str(raw.name);
  type Body = CheckSpec extends infer C ? (C extends CheckSpec ? Omit<C, "name" | "loc"> : never) : never;
  const named = (spec: Body, defaultName: string): CheckSpec => ({ ...spec, name: explicit ?? defaultName, loc }) as CheckSpec;
  if (raw.status !== undefined) {
    const oneOf = (Array.isArray(raw.status) ? raw.status : [raw.status]).filter((s): s is number => typeof s === "number");
    return named({ kind: "status", oneOf }, `status is ${oneOf.join(" or ")}`);
  }
  if (raw.header !== undefined) {
    const header = (str(raw.header) ?? "").toLowerCase();
    const given = (["equals", "contains", "matches", "exists"] as const).filter((k) => raw[k] !== undefined);
    if (given.length > 1) {
      ctx.issues.error([...path, given[1]!], `a header check takes one of equals, contains, matches, exists; got ${given.join(" and ")}`, { at: "key" });
    }
    const spec: CheckSpec & { kind: "header" } = { kind: "header", header, name: "", loc };
    let text = `header ${header} exists`;
    if (raw.equals !== undefined) {
      spec.equals = template(ctx, raw.equals, [...path, "equals"], env);
      text = `header ${header} equals ${spec.equals.source}`;
    } else if (raw.contains !== undefined) {
      spec.contains = template(ctx, raw.contains, [...path, "contains"], env);
      text = `header ${header} contains ${spec.contains.source}`;
    } else if (typeof raw.matches === "string") {
      spec.matches = safeRegex(raw.matches);
      text = `header ${header} matches /${raw.matches}/`;
    } else {
      spec.exists = bool(raw.exists, true);
      text = spec.exists ? `header ${header} exists` : `header ${header} is absent`;
    }
    return { ...spec, name: explicit ?? text };
  }
  if (raw.body !== undefined) {
    const body = rec(raw.body);
    const spec: CheckSpec & { kind: "body" } = { kind: "body", name: "", loc };
    const parts: string[] = [];
    if (body.contains !== undefined) {
      spec.contains = template(ctx, body.contains, [...path, "body", "contains"], env);
      parts.push(`contains ${JSON.stringify(spec.contains.source)}`);
    }
    if (typeof body.matches === "string") {
      spec.matches = safeRegex(body.matches);
      parts.push(`matches /${body.matches}/`);
    }
    if (parts.length === 0 && isRecord(raw.body)) {
      ctx.issues.error([...path, "body"], "a body check needs contains: or matches:");
    }
    return { ...spec, name: explicit ?? `body ${parts.join(" and ")}` };
  }
  if (raw.json !== undefined) {
    const jsonPath = str(raw.json) ?? "$";
    if (raw.equals !== undefined && raw.exists !== undefined) {
      ctx.issues.error([...path, "exists"], "a json check takes equals or exists, not both", { at: "key" });
    }
    if (raw.equals !== undefined) {
      const equals = template(ctx, raw.equals === null ? "null" : raw.equals, [...path, "equals"], env);
      return named({ kind: "json", path: jsonPath, equals }, `${jsonPath} equals ${equals.source}`);
    }
    const exists = bool(raw.exists, true);
    return named({ kind: "json", path: jsonPath, exists }, exists ? `${jsonPath} exists` : `${jsonPath} does not exist`);
  }
  if (raw.duration !== undefined) {
    const below = rec(raw.duration).below;
    return named({ kind: "duration", below: ms(below, 0) }, `duration below ${str(below) ?? ""}`);
  }
  return undefined;
}

function normalizeExtract(variable: string, raw: unknown, path: Path, ctx: NormalizeContext): ExtractSpec | undefined {
  if (!VARIABLE_NAME.test(variable)) {
    ctx.issues.error(path, `"${variable}" is not a variable name (letters, digits, _ and -; not starting with a digit)`, { at: "key" });
  }
  if (!isRecord(raw)) return undefined;
  const loc = ctx.issues.locate(path, "key");
  if (typeof raw.json === "string") return { variable, loc, kind: "json", path: raw.json };
  if (typeof raw.regex === "string") {
    const pattern = safeRegex(raw.regex);
    if (!pattern) return undefined;
    const group = num(raw.group, 1);
    const groups = new RegExp(`${raw.regex}|`).exec("")!.length - 1;
    if (group > groups) {
      ctx.issues.error([...path, raw.group === undefined ? "regex" : "group"], `group ${group} does not exist: /${raw.regex}/ has ${groups} capture group${groups === 1 ? "" : "s"}`, {
        hint: groups === 0 ? 'add parentheses around the part to extract, e.g. "id=(\\d+)"' : undefined,
      });
    }
    return { variable, loc, kind: "regex", pattern, group };
  }
  if (typeof raw.header === "string") return { variable, loc, kind: "header", header: raw.header.toLowerCase() };
  if (typeof raw.cookie === "string") return { variable, loc, kind: "cookie", cookie: raw.cookie };
  return undefined;
}
