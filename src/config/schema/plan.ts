// Schema of a whole plan (top level, defaults, data, thresholds, cluster), built from the modules
// the plan may use: their step, check and extraction kinds make the flow schema, their executors
// the scenario schema.
import type { PlanSyntax } from "../syntax.ts";
import { FEED_MODES } from "../plan.ts";
import { bool, byType, duration, int, list, map, optional, picklist, scalar, str, strict, tags, type Schema } from "./helpers.ts";
import { scenarioSchema } from "./scenario.ts";
import { httpOptionsSchema } from "./http-options.ts";
import { flowSchemaFor } from "./steps.ts";
import { hooksSchema, metricsSchema } from "./hooks.ts";
import { trendStatProblem } from "../../metrics/trend-stats.ts";
import * as v from "valibot";

const defaults: Schema = strict(
  {
    headers: optional(map(scalar, "header values")),
    timeout: optional(duration),
    connectTimeout: optional(duration),
    maxRedirects: optional(int(0)),
    insecure: optional(bool),
    tls: optional(strict({ ca: optional(str("a CA file path")), serverName: optional(str()) }, "tls")),
    http: optional(httpOptionsSchema),
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

const trendStat: Schema = v.pipe(
  v.string("expected a trend stat such as avg or p(99.9)"),
  v.check(
    (stat) => trendStatProblem(stat) === undefined,
    (issue) => trendStatProblem(String(issue.input)) ?? "",
  ),
) as Schema;

const memo = new WeakMap<PlanSyntax, Schema>();

/** The plan schema for these modules; memoized per syntax object (registries never change). */
export function planSchemaFor(syntax: PlanSyntax): Schema {
  let schema = memo.get(syntax);
  if (!schema) memo.set(syntax, (schema = buildPlanSchema(syntax)));
  return schema;
}

function buildPlanSchema(syntax: PlanSyntax): Schema {
  const flow = flowSchemaFor(syntax);
  const scenario = scenarioSchema(syntax.executors, flow);
  return strict(
    {
      name: optional(str()),
      baseUrl: optional(str("a URL")),
      tags: optional(tags),
      defaults: optional(defaults),
      data: optional(map(feed, "data feeds")),
      // k6's top-level load model and its flow: one implicit scenario (config/shorthand.ts turns
      // them into `scenarios.default` before this schema sees the plan).
      ...syntax.shortcuts.options,
      flow: optional(flow),
      scenarios: optional(
        v.pipe(
          map(scenario, "scenarios (name: { executor, …, flow })"),
          v.check((s) => typeof s === "object" && s !== null && Object.keys(s).length > 0, "needs at least one scenario"),
        ) as Schema,
      ),
      thresholds: optional(thresholds),
      summaryTrendStats: optional(list(trendStat, "trend stats (avg, min, med, max, count, p(N))", 1)),
      cluster: optional(cluster),
      hooks: optional(hooksSchema),
      metrics: optional(metricsSchema),
    },
    "the plan",
  );
}
