// A `graphql:` step → GraphqlStepSpec: defaults (headers, timeouts, TLS) merged as for a request,
// the query and variables compiled as templates. Called by the plan loader through
// `graphqlStep.normalize`.
import type { Path } from "../../../config/issues.ts";
import type { Template } from "../../../config/plan.ts";
import type { StepNormalizeContext } from "../../../config/syntax.ts";
import { compileJson } from "../../../config/templates.ts";
import { bool, ms, rec, str, template } from "../../../config/normalize/context.ts";
import { mergeHeaders } from "../../../config/normalize/request-defaults.ts";
import { normalizeTags } from "../../../config/normalize/tags.ts";
import type { GraphqlStepSpec } from "./spec.ts";

export function normalizeGraphql(step: Record<string, unknown>, stepPath: Path, nc: StepNormalizeContext): GraphqlStepSpec {
  const { ctx, env, defaults } = nc;
  const path = [...stepPath, "graphql"];
  const r = rec(step.graphql);
  const url = template(ctx, r.url, [...path, "url"], env);
  const operationName = str(r.operationName);
  const headers = Object.entries(rec(r.headers)).map(
    ([name, value]) => [name, template(ctx, value, [...path, "headers", name], env)] as [string, Template],
  );
  return {
    name: str(r.name) ?? operationName ?? url.source,
    tags: normalizeTags(r.tags, [...path, "tags"], ctx, env),
    url,
    query: template(ctx, r.query, [...path, "query"], env),
    variables: r.variables === undefined ? undefined : compileJson(r.variables, (text, at) => template(ctx, text, at, env), [...path, "variables"]),
    operationName,
    headers: mergeHeaders(defaults.headers, headers),
    timeout: ms(r.timeout, defaults.timeout),
    connectTimeout: ms(r.connectTimeout, defaults.connectTimeout),
    tls: { ...defaults.tls, insecure: bool(r.insecure, defaults.tls.insecure) },
    checks: nc.normalizeChecks(r.checks, [...path, "checks"]),
    extract: nc.normalizeExtractions(r.extract, [...path, "extract"]),
  };
}
