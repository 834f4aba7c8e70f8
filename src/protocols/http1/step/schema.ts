// Schema of the `request:` step (shapes only; normalize.ts compiles the values). Checks and
// extractions use the protocol-independent schemas of config/schema/checks.ts.
import * as v from "valibot";
import { checks, extractions } from "../../../config/schema/checks.ts";
import { bool, duration, int, map, optional, scalar, str, strict, tags, type Schema } from "../../../config/schema/helpers.ts";

const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

const method: Schema = v.pipe(
  v.string(),
  v.check(
    (m) => (HTTP_METHODS as readonly string[]).includes(m.toUpperCase()),
    (issue) => `method "${String(issue.input)}" is not one of ${HTTP_METHODS.join(", ")}`,
  ),
) as Schema;

const request: Schema = strict(
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
    checks: optional(checks),
    extract: optional(extractions),
  },
  "request",
);

/** The whole step map: `- request: { … }`. */
export const requestStepSchema: Schema = strict({ request }, "request step");
