// Checks: pass/fail assertions on a response, recorded as the `checks` rate (1 = pass, 0 = fail).
// Called by the flow interpreter after each request, on the VU's own task; synchronous. It throws
// only when a check's template fails to evaluate (e.g. a division by zero, docs/expressions.md
// "Errors"): the request step then fails with its location. A request that failed at the network level (`status` 0 or `error` set) fails every one
// of its checks: there is nothing to assert on, and the failure must show in `checks`.
//
// Semantics per kind (all conditions given on one check must hold):
// - status:   the status is one of `oneOf`.
// - header:   names are case-insensitive; a condition holds when *any* value of the header
//             satisfies it. `exists: false` passes only when the header is absent. With no
//             condition at all the header must exist.
// - body:     `contains` (substring of the rendered template) and/or `matches` (RegExp).
// - json:     `path` (see extract/jsonpath.ts) on the parsed body; the *first* match is used.
//             `equals` compares text: strings as-is, numbers/booleans/null/objects by their JSON
//             text (`1.5`, `true`). `exists: false` passes when nothing matches. No condition:
//             the path must match. A body that is not JSON, or an invalid path, matches nothing.
// - duration: `timings.duration` < `below` (ms).
import type { CheckSpec, TemplateScope } from "../config/plan.ts";
import type { MetricSink, Tags } from "../metrics/types.ts";
import type { ResponseView } from "../protocols/types.ts";
import { queryFirst } from "./extract/jsonpath.ts";
import { jsonValueText, NOT_JSON, responseJson } from "./extract/response-json.ts";

/** A check with its metric tags precomputed once per (scenario, request step). */
export interface CompiledCheck {
  readonly spec: CheckSpec;
  /** `{...scenario.tags, check, group, scenario}`; shared, never mutated. */
  readonly tags: Tags;
}

export function compileCheck(spec: CheckSpec, group: string, scenario: string, scenarioTags: Tags): CompiledCheck {
  return { spec, tags: Object.freeze({ ...scenarioTags, check: spec.name, group, scenario }) };
}

/** Whether `response` satisfies `spec`. Templates in the spec are rendered with `scope`. */
export function evaluateCheck(spec: CheckSpec, response: ResponseView, scope: TemplateScope): boolean {
  if (response.status === 0 || response.error) return false;
  switch (spec.kind) {
    case "status":
      return spec.oneOf.includes(response.status);
    case "header":
      return checkHeader(spec, response.headers[spec.header.toLowerCase()], scope);
    case "body": {
      if (spec.contains && !response.body.includes(spec.contains.render(scope))) return false;
      if (spec.matches && !test(spec.matches, response.body)) return false;
      return true;
    }
    case "json": {
      const doc = responseJson(response);
      const text = doc === NOT_JSON ? undefined : jsonValueText(queryFirst(doc, spec.path));
      if (spec.exists === false) return text === undefined;
      if (text === undefined) return false;
      return spec.equals === undefined || text === spec.equals.render(scope);
    }
    case "duration":
      return response.timings.duration < spec.below;
  }
}

type HeaderCheck = Extract<CheckSpec, { kind: "header" }>;

function checkHeader(spec: HeaderCheck, values: readonly string[] | undefined, scope: TemplateScope): boolean {
  const present = values !== undefined && values.length > 0;
  if (spec.exists === false) return !present;
  if (!present) return false;
  if (spec.equals) {
    const want = spec.equals.render(scope);
    if (!values.some((v) => v === want)) return false;
  }
  if (spec.contains) {
    const want = spec.contains.render(scope);
    if (!values.some((v) => v.includes(want))) return false;
  }
  if (spec.matches) {
    const re = spec.matches;
    if (!values.some((v) => test(re, v))) return false;
  }
  return true;
}

/** RegExp.test without the lastIndex state of g/y patterns leaking between responses. */
function test(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  const ok = re.test(text);
  re.lastIndex = 0;
  return ok;
}

/** Evaluates and records every check of a request; returns how many failed. */
export function runChecks(
  checks: readonly CompiledCheck[],
  response: ResponseView,
  scope: TemplateScope,
  metrics: MetricSink,
): number {
  let failed = 0;
  for (const check of checks) {
    const ok = evaluateCheck(check.spec, response, scope);
    if (!ok) failed++;
    metrics.add("checks", ok ? 1 : 0, check.tags);
  }
  return failed;
}
