// Schema of a scenario's flow, built from the registered step kinds: a step is a map whose kind
// is its first registered key (`byKey`), and each kind supplies the schema of its whole map
// (StepSyntax.schema in config/syntax.ts). Nested lists (`steps:`, `then:` …) refer back to the
// same step schema; `checks:` and `extract:` come from the registered check and extraction kinds
// (schema/checks.ts). Shapes only; values are compiled by each kind's normalizer.
import { checksOf, extractionsOf, stepsOf } from "../registered.ts";
import type { PlanSyntax, StepSchemaContext } from "../syntax.ts";
import { checkListSchema, extractionMapSchema } from "./checks.ts";
import { byKey, list, type Schema } from "./helpers.ts";

const memo = new WeakMap<PlanSyntax, Schema>();

/** The schema of `flow:` (one step or more) for these modules. Memoized per syntax object. */
export function flowSchemaFor(syntax: PlanSyntax): Schema {
  let flow = memo.get(syntax);
  if (flow) return flow;
  const steps = stepsOf(syntax);
  let schemas: Record<string, Schema> | undefined;
  const step: Schema = byKey("step", () => (schemas ??= buildSchemas()), "step");
  const sc: StepSchemaContext = {
    steps: () => list(step, "steps"),
    checks: (own) => checkListSchema(syntax.checks, registered(own, checksOf(syntax), "check")),
    extractions: (own) => extractionMapSchema(syntax.extractions, registered(own, extractionsOf(syntax), "extraction")),
  };
  const buildSchemas = () => Object.fromEntries(Object.entries(steps).map(([key, kind]) => [key, kind.schema(sc)]));
  flow = list(step, "steps", 1, "a flow needs at least one step");
  memo.set(syntax, flow);
  return flow;
}

/**
 * `own` when each of its kinds is the one registered under its key: a step accepting a kind its
 * protocol module does not list would validate plans the engine cannot run (a wiring bug).
 */
function registered<T>(own: Readonly<Record<string, T>> | undefined, all: Readonly<Record<string, T>>, what: string) {
  for (const [key, kind] of Object.entries(own ?? {})) {
    if (all[key] !== kind) throw new Error(`a step accepts the ${what} kind "${key}", which is not registered: list it in its protocol module's ${what === "check" ? "checks" : "extractions"}`);
  }
  return own;
}
