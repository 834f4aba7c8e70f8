// Schema of the `request:` step (shapes only; normalize.ts compiles the values). Checks and
// extractions are the shared kinds, from the schema context (config/syntax.ts `StepSchemaContext`).
import * as v from "valibot";
import type { StepSchemaContext } from "../../../config/syntax.ts";
import { httpOptionsSchema } from "../../../config/schema/http-options.ts";
import { bool, duration, int, map, optional, scalar, str, strict, tags, type Schema } from "../../../config/schema/helpers.ts";

const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

const method: Schema = v.pipe(
  v.string(),
  v.check(
    (m) => (HTTP_METHODS as readonly string[]).includes(m.toUpperCase()),
    (issue) => `method "${String(issue.input)}" is not one of ${HTTP_METHODS.join(", ")}`,
  ),
) as Schema;

const request = (sc: StepSchemaContext): Schema => strict(
  {
    name: optional(str()),
    tags: optional(tags),
    method: optional(method),
    url: str("a URL (absolute, or relative to baseUrl)"),
    headers: optional(map(scalar, "header values")),
    json: optional(v.unknown() as Schema),
    form: optional(map(scalar, "form fields")),
    body: optional(str("a raw body (a string)")),
    file: optional(str("a file path, relative to the plan")),
    contentType: optional(str()),
    timeout: optional(duration),
    connectTimeout: optional(duration),
    maxRedirects: optional(int(0)),
    insecure: optional(bool),
    http: optional(httpOptionsSchema),
    checks: optional(sc.checks()),
    extract: optional(sc.extractions()),
  },
  "request",
);

/** The whole step map: `- request: { … }`. */
export const requestStepSchema = (sc: StepSchemaContext): Schema => strict({ request: request(sc) }, "request step");
