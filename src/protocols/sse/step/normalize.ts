// An `sse:` step → SseSpec: defaults merged in (headers, timeout, TLS), `until` read. Called by
// the plan loader through `sseStep.normalize`; reports a relative URL without a baseUrl.
import type { Path } from "../../../config/issues.ts";
import type { Template } from "../../../config/plan.ts";
import type { StepNormalizeContext } from "../../../config/syntax.ts";
import { EMPTY_SCOPE } from "../../../config/templates.ts";
import { isAbsoluteUrl } from "../../../config/url.ts";
import { bool, ms, rec, str, template } from "../../../config/normalize/context.ts";
import { mergeHeaders } from "../../../config/normalize/request-defaults.ts";
import { SSE_CHECKS } from "../checks.ts";
import type { SseSpec } from "./spec.ts";

export function normalizeSse(step: Record<string, unknown>, stepPath: Path, nc: StepNormalizeContext): SseSpec {
  const { ctx, env, defaults } = nc;
  const path = [...stepPath, "sse"];
  const r = rec(step.sse);
  const url = template(ctx, r.url, [...path, "url"], env);
  const rendered = url.isStatic ? url.render(EMPTY_SCOPE) : "";
  if (!ctx.hasBaseUrl && url.isStatic && !url.source.includes("${env.") && rendered !== "" && !isAbsoluteUrl(rendered)) {
    ctx.issues.error([...path, "url"], `"${url.source}" is relative but the plan has no baseUrl`, { hint: "add baseUrl: at the top of the plan, or write an absolute URL" });
  }
  const headers = Object.entries(rec(r.headers)).map(
    ([name, value]) => [name, template(ctx, value, [...path, "headers", name], env)] as [string, Template],
  );
  const until = rec(r.until);
  return {
    name: str(r.name) ?? url.source,
    url,
    headers: mergeHeaders(defaults.headers, headers),
    tls: { ...defaults.tls, insecure: bool(r.insecure, defaults.tls.insecure) },
    events: typeof until.events === "number" ? until.events : undefined,
    timeout: ms(until.timeout, ms(r.timeout, defaults.timeout)),
    checks: nc.normalizeChecks(r.checks, [...path, "checks"], SSE_CHECKS),
    extract: nc.normalizeExtractions(r.extract, [...path, "extract"]),
  };
}
