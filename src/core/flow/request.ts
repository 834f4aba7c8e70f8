// A request step compiled once per (factory, scenario): URL joining, header de-duplication,
// default content type and metric tags are worked out here, and a request whose templates are
// all static becomes one frozen ResolvedRequest reused by every VU (handlers must treat the
// request and its header array as read-only).
import type { RequestSpec, Template, TemplateScope } from "../../config/plan.ts";
import type { ResolvedRequest } from "../../protocols/types.ts";
import type { Tags } from "../../metrics/types.ts";
import { compileCheck, type CompiledCheck } from "../checks.ts";
import { compileBody, type CompiledBody, type ReadBodyFile } from "./body.ts";

export interface RequestContext {
  joinUrl: (url: string) => string;
  readFile: ReadBodyFile;
  scenario: string;
  scenarioTags: Tags;
}

export interface CompiledRequest {
  readonly spec: RequestSpec;
  /** `{...scenario.tags, scenario, group}`, passed to `ProtocolSession.send`. */
  readonly tags: Tags;
  readonly checks: readonly CompiledCheck[];
  readonly body: CompiledBody | undefined;
  /** The ResolvedRequest for `scope` (call `body.load()` first). */
  build(scope: TemplateScope): ResolvedRequest;
}

const EMPTY_SCOPE: TemplateScope = Object.freeze({ vars: {}, data: {}, vu: 0, iteration: 0, scenario: "" });

/** Header list with later entries winning over earlier ones of the same (lower-case) name. */
function lastWins(headers: ReadonlyArray<[string, Template]>): Array<[string, Template]> {
  const byName = new Map<string, Template>();
  for (const [name, template] of headers) {
    const key = name.toLowerCase();
    byName.delete(key); // keep the position of the winning entry
    byName.set(key, template);
  }
  return [...byName];
}

export function compileRequest(spec: RequestSpec, group: string, ctx: RequestContext): CompiledRequest {
  const tags = Object.freeze({ ...ctx.scenarioTags, scenario: ctx.scenario, group });
  const checks = spec.checks.map((c) => compileCheck(c, group, ctx.scenario, ctx.scenarioTags));
  const body = spec.body ? compileBody(spec.body, ctx.readFile) : undefined;

  const headerTemplates = lastWins(spec.headers);
  const contentType = body?.contentType;
  const staticHeaders = headerTemplates.every(([, t]) => t.isStatic);
  const renderHeaders = (scope: TemplateScope): Array<[string, string]> => {
    const out: Array<[string, string]> = headerTemplates.map(([name, t]) => [name, t.render(scope)]);
    if (contentType && !headerTemplates.some(([name]) => name === "content-type")) out.push(["content-type", contentType]);
    return out;
  };
  const fixedHeaders = staticHeaders ? freezeHeaders(renderHeaders(EMPTY_SCOPE)) : undefined;

  const urlTemplate = spec.url;
  // Joined at first use, not here: a relative URL without a baseUrl fails the iteration, loudly,
  // rather than the VU's creation.
  let fixedUrl: string | undefined;

  let fixed: ResolvedRequest | undefined;
  const build = (scope: TemplateScope): ResolvedRequest => {
    if (fixed) return fixed;
    if (fixedUrl === undefined && urlTemplate.isStatic) fixedUrl = ctx.joinUrl(urlTemplate.render(EMPTY_SCOPE));
    const request: ResolvedRequest = {
      name: spec.name,
      method: spec.method,
      url: fixedUrl ?? ctx.joinUrl(urlTemplate.render(scope)),
      headers: fixedHeaders ?? renderHeaders(scope),
      body: body?.value(scope),
      timeout: spec.timeout,
      connectTimeout: spec.connectTimeout,
      maxRedirects: spec.maxRedirects,
      tls: spec.tls,
    };
    if (fixedUrl !== undefined && fixedHeaders && (!body || body.isStatic)) fixed = Object.freeze(request);
    return request;
  };

  return { spec, tags, checks, body, build };
}

function freezeHeaders(headers: Array<[string, string]>): Array<[string, string]> {
  for (const pair of headers) Object.freeze(pair);
  return Object.freeze(headers) as Array<[string, string]>;
}
