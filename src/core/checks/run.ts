// Checks: pass/fail assertions on a response, recorded as the `checks` rate (1 = pass, 0 = fail).
// `compileChecks` binds each check to its kind's `evaluate` once per (scenario, step), on the
// worker thread before any VU runs; `runChecks` is called by a step after each response, on the
// VU's own task; synchronous. It throws only when a check's template fails to evaluate (e.g. a
// division by zero, docs/expressions.md "Errors"): the step then fails with its location. A request that failed at the network level (`status`
// 0 or `error` set) fails every one of its checks, of every kind: there is nothing to assert on,
// and the failure must show in `checks`. What each kind asserts is documented in its own file
// (core/checks/*.ts for the shared kinds; a protocol's own kinds in its folder).
import type { CheckSpec, TemplateScope } from "../../config/plan.ts";
import type { MetricSink, Tags } from "../../metrics/types.ts";
import type { ResponseView } from "../../protocols/types.ts";
import type { CheckRuntimes, CompiledCheck } from "../modules.ts";

/** Where the checks of one step are compiled: the check tags are `{...tags, check, group, scenario}`. */
interface CheckTarget {
  readonly scenario: string;
  /** The plan's, scenario's, enclosing steps' and the step's own `tags:`, merged. */
  readonly tags: Tags;
  readonly group: string;
}

/**
 * Each spec bound to its kind in `kinds` (shared and every protocol's, config/registered.ts
 * `checksOf`). Throws, naming the check's location, for a kind with no runtime: the plan was
 * loaded with modules this worker does not have.
 */
export function compileChecks(specs: readonly CheckSpec[], kinds: CheckRuntimes, target: CheckTarget): CompiledCheck[] {
  return specs.map((check) => {
    const kind = kinds[check.kind];
    if (!kind) {
      const { file, line, column } = check.loc;
      throw new Error(`${file}:${line}:${column}: no runtime for check kind "${check.kind}" (the plan was loaded with modules this worker does not have)`);
    }
    const spec = check.spec;
    return {
      name: check.name,
      loc: check.loc,
      tags: Object.freeze({ ...target.tags, check: check.name, group: target.group, scenario: target.scenario }),
      evaluate: (response, scope) => kind.evaluate(spec, response, scope),
    };
  });
}

/** Whether `response` passes `check`: never for a failed request. */
export function evaluateCheck(check: CompiledCheck, response: ResponseView, scope: TemplateScope): boolean {
  if (response.status === 0 || response.error) return false;
  return check.evaluate(response, scope);
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
    const ok = evaluateCheck(check, response, scope);
    if (!ok) failed++;
    metrics.add("checks", ok ? 1 : 0, check.tags);
  }
  return failed;
}
