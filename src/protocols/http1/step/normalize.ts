// A `request:` step → RequestSpec: defaults merged in, the body kind chosen, checks and
// extractions (the shared kinds) normalized through the step context. Called by the plan loader
// through `httpRequestStep.normalize`.
import type { Path } from "../../../config/issues.ts";
import type { Template } from "../../../config/plan.ts";
import type { StepNormalizeContext } from "../../../config/syntax.ts";
import { EMPTY_SCOPE } from "../../../config/templates.ts";
import { isAbsoluteUrl } from "../../../config/url.ts";
import { bool, ms, num, rec, str, template } from "../../../config/normalize/context.ts";
import { httpVersionOf, mergeHeaders } from "../../../config/normalize/request-defaults.ts";
import { normalizeTags } from "../../../config/normalize/tags.ts";
import { normalizeBody } from "./normalize-body.ts";
import type { RequestSpec } from "./spec.ts";

export function normalizeRequest(step: Record<string, unknown>, stepPath: Path, nc: StepNormalizeContext): RequestSpec {
  const { ctx, env, defaults } = nc;
  const path = [...stepPath, "request"];
  const r = rec(step.request);
  const url = template(ctx, r.url, [...path, "url"], env);
  // Env references are resolved at load, so a static URL is checked as rendered; one whose env
  // variable is unset is reported by the template itself, not here.
  const rendered = url.isStatic ? url.render(EMPTY_SCOPE) : "";
  const usesEnv = url.source.includes("${env.");
  if (!ctx.hasBaseUrl && url.isStatic && !usesEnv && rendered !== "" && !isAbsoluteUrl(rendered)) {
    ctx.issues.error([...path, "url"], `"${url.source}" is relative but the plan has no baseUrl`, {
      hint: "add baseUrl: at the top of the plan, or write an absolute URL",
    });
  }
  const headers = Object.entries(rec(r.headers)).map(
    ([name, value]) => [name, template(ctx, value, [...path, "headers", name], env)] as [string, Template],
  );
  return {
    name: str(r.name) ?? url.source,
    tags: normalizeTags(r.tags, [...path, "tags"], ctx, env),
    method: (str(r.method) ?? "GET").toUpperCase(),
    url,
    headers: mergeHeaders(defaults.headers, headers),
    body: normalizeBody(r, path, ctx, env),
    timeout: ms(r.timeout, defaults.timeout),
    connectTimeout: ms(r.connectTimeout, defaults.connectTimeout),
    maxRedirects: num(r.maxRedirects, defaults.maxRedirects),
    tls: { ...defaults.tls, insecure: bool(r.insecure, defaults.tls.insecure) },
    httpVersion: httpVersionOf(r.http, defaults.httpVersion),
    checks: nc.normalizeChecks(r.checks, [...path, "checks"]),
    extract: nc.normalizeExtractions(r.extract, [...path, "extract"]),
  };
}
