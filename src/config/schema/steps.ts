// Schema of a scenario's flow, built from the registered step kinds: a step is a map whose kind
// is its first registered key (`byKey`), and each kind supplies the schema of its whole map
// (StepSyntax.schema in config/syntax.ts). Nested lists (`steps:`, `then:` …) refer back to the
// same step schema. Shapes only; values are compiled by each kind's normalizer.
import type { StepSyntax } from "../syntax.ts";
import { byKey, list, type Schema } from "./helpers.ts";

const memo = new WeakMap<object, Schema>();

/**
 * The schema of `flow:` (one step or more) for these step kinds. Memoized per `steps` object:
 * pass the same map (config/registered.ts `stepsOf` returns one per modules value) to get the
 * same schema, which keeps the scenario schema's memo (config/schema/scenario.ts) warm too.
 */
export function flowSchemaFor(steps: Readonly<Record<string, StepSyntax<any>>>): Schema {
  let flow = memo.get(steps);
  if (flow) return flow;
  let schemas: Record<string, Schema> | undefined;
  const step: Schema = byKey("step", () => (schemas ??= buildSchemas()), "step");
  const nested = (): Schema => list(step, "steps");
  const buildSchemas = () => Object.fromEntries(Object.entries(steps).map(([key, kind]) => [key, kind.schema({ steps: nested })]));
  flow = list(step, "steps", 1, "a flow needs at least one step");
  memo.set(steps, flow);
  return flow;
}
