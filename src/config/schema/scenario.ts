// Schema of a scenario: the executor picks which options are allowed, from the executors the
// caller registers (config names none). Options of another executor are errors that name the
// executor; an unknown or missing executor is reported with a "did you mean", and the scenario's
// flow and other keys are still checked.
import * as v from "valibot";
import type { PlanSyntax } from "../syntax.ts";
import { didYouMean } from "../suggest.ts";
import { httpOptionsSchema } from "./http-options.ts";
import { duration, failWith, isRecord, map, optional, scalar, SCHEMA_INFO, strict, tags, type Schema } from "./helpers.ts";

/** The executors a plan may use, by name (`PlanSyntax.executors`). */
export type ExecutorSyntaxes = PlanSyntax["executors"];

const memo = new WeakMap<ExecutorSyntaxes, WeakMap<Schema, Schema>>();

/**
 * The schema of one entry of `scenarios:` for these executors, with `flow` as its steps.
 * Memoized per (executors, flow): pass the same objects to get the same schema.
 */
export function scenarioSchema(executors: ExecutorSyntaxes, flow: Schema): Schema {
  let byFlow = memo.get(executors);
  if (!byFlow) memo.set(executors, (byFlow = new WeakMap()));
  let schema = byFlow.get(flow);
  if (!schema) byFlow.set(flow, (schema = buildScenarioSchema(executors, flow)));
  return schema;
}

function buildScenarioSchema(executors: ExecutorSyntaxes, flow: Schema): Schema {
  const names = Object.keys(executors);
  const common: v.ObjectEntries = {
    startTime: optional(duration),
    gracefulStop: optional(duration),
    env: optional(map(scalar, "environment variables")),
    tags: optional(tags),
    /** The scenario's request protocol version, over `defaults.http`; a request's own `http:` wins. */
    http: optional(httpOptionsSchema),
    flow,
  };
  const optionsOf = (name: string) => executors[name]!.options;
  const allOptions = new Set(names.flatMap((name) => Object.keys(optionsOf(name))));

  const shapes: Record<string, Schema> = {};
  for (const name of names) {
    shapes[name] = strict({ executor: v.literal(name), ...common, ...optionsOf(name) } as v.ObjectEntries, `scenario (${name})`, (key, known) =>
      allOptions.has(key)
        ? `"${key}" is not an option of executor ${name} (its options: ${Object.keys(optionsOf(name)).join(", ")})`
        : `unknown key "${key}" in a scenario${didYouMean(key, known)}`,
    );
  }

  // Every executor's options, optional, with their types: with an unknown executor the other keys
  // are still checked (a misspelt key gets its "did you mean", `vus: ten` its type error), since
  // the user will have to fix them too once the executor is right.
  const anyOptions: v.ObjectEntries = Object.fromEntries(
    names.flatMap((name) => Object.entries(optionsOf(name)).map(([key, schema]) => [key, optional(schema as Schema)])),
  );
  const unknownExecutor: Schema = v.pipe(
    strict({ executor: v.unknown(), ...common, ...anyOptions } as v.ObjectEntries, "a scenario"),
    v.rawCheck(({ dataset, addIssue }) => {
      const value = dataset.value;
      if (!isRecord(value)) return;
      const executor = value.executor;
      const message =
        executor === undefined
          ? `executor is required: one of ${names.join(", ")}`
          : `unknown executor ${JSON.stringify(executor)}${typeof executor === "string" ? didYouMean(executor, names) : ""} (executors: ${names.join(", ")})`;
      addIssue({ message, path: [{ type: "object", origin: "value", input: value, key: "executor", value: executor }] });
    }),
  ) as Schema;

  const notAMap = failWith((input) => `expected a scenario (a map with executor and flow), got ${JSON.stringify(input) ?? "nothing"}`);
  const scenario = v.lazy((input) => {
    if (!isRecord(input)) return notAMap;
    const executor = input.executor;
    return typeof executor === "string" && Object.hasOwn(shapes, executor) ? shapes[executor]! : unknownExecutor;
  }) as Schema;
  // For the JSON Schema export: a scenario is one of the executor-specific shapes.
  SCHEMA_INFO.set(scenario, { kind: "dispatch", name: "scenario", options: () => Object.values(shapes) });
  return scenario;
}
