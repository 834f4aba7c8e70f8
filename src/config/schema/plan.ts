// Schema of a whole plan (top level, defaults, data, thresholds, cluster), built from the modules
// the plan may use: their step kinds make the flow schema, their executors the scenario schema.
import type { PlanSyntax } from "../syntax.ts";
import { FEED_MODES } from "../plan.ts";
import { stepsOf } from "../registered.ts";
import { bool, byType, duration, int, list, map, optional, picklist, scalar, str, strict, type Schema } from "./helpers.ts";
import { scenarioSchema } from "./scenario.ts";
import { flowSchemaFor } from "./steps.ts";
import * as v from "valibot";

const defaults: Schema = strict(
  {
    headers: optional(map(scalar, "header values")),
    timeout: optional(duration),
    connectTimeout: optional(duration),
    maxRedirects: optional(int(0)),
    insecure: optional(bool),
    tls: optional(strict({ ca: optional(str("a CA file path")), serverName: optional(str()) }, "tls")),
  },
  "defaults",
);

const feed: Schema = strict({ csv: str("a CSV file path, relative to the plan"), mode: optional(picklist(FEED_MODES, "mode")) }, "data feed");

const thresholdObject: Schema = strict(
  { threshold: str('an expression like "p(95)<500"'), abortOnFail: optional(bool), delayAbortEval: optional(duration) },
  "threshold",
);
const threshold: Schema = byType('a threshold: an expression like "p(95)<500", or { threshold, abortOnFail, delayAbortEval }', {
  string: v.string() as Schema,
  object: thresholdObject,
});
const thresholds: Schema = map(byType("a list of thresholds", { string: v.string() as Schema, array: list(threshold, "thresholds") }), "thresholds");

const cluster: Schema = strict(
  {
    agents: optional(int(1)),
    wait: optional(duration),
    startTimeout: optional(duration),
    selector: optional(map(scalar, "agent labels")),
    onAgentLoss: optional(picklist(["continue", "abort"], "onAgentLoss")),
    scenarios: optional(map(map(scalar, "agent labels"), "scenario selectors")),
  },
  "cluster",
);

const memo = new WeakMap<PlanSyntax, Schema>();

/** The plan schema for these modules; memoized per syntax object (registries never change). */
export function planSchemaFor(syntax: PlanSyntax): Schema {
  let schema = memo.get(syntax);
  if (!schema) memo.set(syntax, (schema = buildPlanSchema(syntax)));
  return schema;
}

function buildPlanSchema(syntax: PlanSyntax): Schema {
  const scenario = scenarioSchema(syntax.executors, flowSchemaFor(stepsOf(syntax)));
  return strict(
    {
      name: optional(str()),
      baseUrl: optional(str("a URL")),
      defaults: optional(defaults),
      data: optional(map(feed, "data feeds")),
      scenarios: v.pipe(
        map(scenario, "scenarios (name: { executor, …, flow })"),
        v.check((s) => Object.keys(s as object).length > 0, "needs at least one scenario"),
      ) as Schema,
      thresholds: optional(thresholds),
      cluster: optional(cluster),
    },
    "the plan",
  );
}
