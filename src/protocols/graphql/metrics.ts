// The metrics a `graphql:` step records (step/graphql-step.ts) beside the http_req_* metrics of
// the HTTP request it rides on: one count per operation and its failure rate, where a response
// whose `errors` array is non-empty fails (tag `error: graphql`), as does any failed HTTP request.
import { defineMetric as define } from "../../metrics/builtin.ts";
import type { MetricDefinition } from "../../metrics/types.ts";

export const GRAPHQL_METRICS: readonly MetricDefinition[] = [define("graphql_reqs", "counter"), define("graphql_req_failed", "rate")];
