// A request step compiled once per (VU factory, scenario): URL joining, the default content type
// and metric tags are worked out here, and a request whose templates are all static becomes one
// frozen ResolvedRequest reused by every VU (handlers must treat the request and its header
// array as read-only). Headers arrive merged and lower-cased (normalize.ts).
import type { TemplateScope } from "../../../config/plan.ts";
import { EMPTY_SCOPE } from "../../../config/templates.ts";
import type { CompiledCheck, StepCompileContext } from "../../../core/modules.ts";
import type { Tags } from "../../../metrics/types.ts";
import type { ResolvedRequest } from "../../types.ts";
import { compileBody, type CompiledBody } from "./body.ts";
import type { RequestSpec } from "./spec.ts";

export interface CompiledRequest {
  readonly spec: RequestSpec;
  /** `{...tags in effect, ...the request's tags, scenario, group}`, passed to `ProtocolSession.send`. */
  readonly tags: Tags;
  readonly checks: readonly CompiledCheck[];
  readonly body: CompiledBody | undefined;
  /** The ResolvedRequest for `scope` (call `body.load()` first). */
  build(scope: TemplateScope): ResolvedRequest;
}

export function compileRequest(spec: RequestSpec, cc: StepCompileContext): CompiledRequest {
  const { group, scenario } = cc;
  const userTags = { ...cc.tags, ...spec.tags };
  const tags = Object.freeze({ ...userTags, scenario, group });
  const checks = cc.compileChecks(spec.checks, group, spec.tags);
  const body = spec.body ? compileBody(spec.body, cc.readFile) : undefined;

  const headerTemplates = spec.headers;
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
    if (fixedUrl === undefined && urlTemplate.isStatic) fixedUrl = cc.joinUrl(urlTemplate.render(EMPTY_SCOPE));
    const request: ResolvedRequest = {
      name: spec.name,
      method: spec.method,
      url: fixedUrl ?? cc.joinUrl(urlTemplate.render(scope)),
      headers: fixedHeaders ?? renderHeaders(scope),
      body: body?.value(scope),
      timeout: spec.timeout,
      connectTimeout: spec.connectTimeout,
      maxRedirects: spec.maxRedirects,
      tls: spec.tls,
      httpVersion: spec.httpVersion,
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
