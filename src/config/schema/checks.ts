// Schemas of what any request-like step may carry, whatever its protocol: `checks:` (assertions
// on the response) and `extract:` (response → VU variables). Shapes only; values are compiled by
// normalize/checks.ts and normalize/extract.ts.
import { bool, byKey, byType, duration, int, list, map, optional, regex, scalar, str, strict, type Schema } from "./helpers.ts";
import * as v from "valibot";

const jsonPath: Schema = v.pipe(
  v.string("expected a JSON path like $.user.name"),
  v.check((p) => p.startsWith("$"), (issue) => `JSON path "${String(issue.input)}" must start with "$", e.g. "$.user.name"`),
) as Schema;

const checkName = { name: optional(str()) };

const CHECKS: Record<string, Schema> = {
  status: strict(
    { status: byType("a status code or a list of them", { number: int(100, 599), array: list(int(100, 599), "status codes", 1, "needs at least one status code") }), ...checkName },
    "status check",
  ),
  header: strict(
    { header: str("a header name"), equals: optional(scalar), contains: optional(scalar), matches: optional(regex), exists: optional(bool), ...checkName },
    "header check",
  ),
  body: strict({ body: strict({ contains: optional(scalar), matches: optional(regex) }, "body check"), ...checkName }, "body check"),
  json: strict(
    { json: jsonPath, equals: optional(v.union([v.string(), v.number(), v.boolean(), v.null()]) as Schema), exists: optional(bool), ...checkName },
    "json check",
  ),
  duration: strict({ duration: strict({ below: duration }, "duration check"), ...checkName }, "duration check"),
};

const check: Schema = byKey("check", () => CHECKS, "check");

const EXTRACTIONS: Record<string, Schema> = {
  json: strict({ json: jsonPath }, "json extraction"),
  regex: strict({ regex, group: optional(int(0)) }, "regex extraction"),
  header: strict({ header: str("a header name") }, "header extraction"),
  cookie: strict({ cookie: str("a cookie name") }, "cookie extraction"),
};

const extraction: Schema = byKey("extraction", () => EXTRACTIONS, "extraction");

/** `checks:` of a request-like step. */
export const checks: Schema = list(check, "checks");

/** `extract:` of a request-like step. */
export const extractions: Schema = map(extraction, "extractions (variable: { json | regex | header | cookie })");
