// Schema of the `graphql:` step (shapes only; normalize.ts compiles the values). Checks and
// extractions are the shared kinds, on the HTTP response (so `json: $.data…` reads the result).
import * as v from "valibot";
import type { StepSchemaContext } from "../../../config/syntax.ts";
import { bool, duration, map, optional, scalar, str, strict, tags, type Schema } from "../../../config/schema/helpers.ts";

const graphql = (sc: StepSchemaContext): Schema =>
  strict(
    {
      name: optional(str()),
      tags: optional(tags),
      url: str("a URL (absolute, or relative to baseUrl)"),
      query: str("a GraphQL document (text)"),
      variables: optional(map(v.unknown() as Schema, "variables")),
      operationName: optional(str()),
      headers: optional(map(scalar, "header values")),
      timeout: optional(duration),
      connectTimeout: optional(duration),
      insecure: optional(bool),
      checks: optional(sc.checks()),
      extract: optional(sc.extractions()),
    },
    "graphql",
  );

export const graphqlStepSchema = (sc: StepSchemaContext): Schema => strict({ graphql: graphql(sc) }, "graphql step");
