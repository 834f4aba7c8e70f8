// The normalized `graphql:` step (`Step.spec` of kind "graphql"): normalize.ts makes it of the
// YAML, graphql-step.ts sends it as an HTTP POST of `{query, variables, operationName}`.
import type { CheckSpec, ExtractSpec, JsonTemplate, Ms, Template, TlsSpec } from "../../../config/plan.ts";

export interface GraphqlStepSpec {
  /** Metric tag `name`: the explicit name, else the operation name, else the URL's source. */
  name: string;
  tags: Record<string, string>;
  url: Template;
  /** Sent as given (loadr does not parse GraphQL); templated. */
  query: Template;
  variables: JsonTemplate | undefined;
  operationName: string | undefined;
  /** Defaults merged in; names lower-cased. */
  headers: Array<[string, Template]>;
  timeout: Ms;
  connectTimeout: Ms;
  tls: TlsSpec;
  checks: CheckSpec[];
  extract: ExtractSpec[];
}
