// Schema of a scenario's flow: steps, a request's checks and extractions. Shapes only; values
// (templates, conditions, JSON paths) are compiled by `normalize/steps.ts`.
import { bool, byKey, byType, duration, int, list, map, optional, regex, scalar, str, strict, type Schema } from "./helpers.ts";
import * as v from "valibot";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

const method: Schema = v.pipe(
  v.string(),
  v.check(
    (m) => (HTTP_METHODS as readonly string[]).includes(m.toUpperCase()),
    (issue) => `method "${String(issue.input)}" is not one of ${HTTP_METHODS.join(", ")}`,
  ),
) as Schema;

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

export const check: Schema = byKey("check", () => CHECKS, "check");

const EXTRACTIONS: Record<string, Schema> = {
  json: strict({ json: jsonPath }, "json extraction"),
  regex: strict({ regex, group: optional(int(0)) }, "regex extraction"),
  header: strict({ header: str("a header name") }, "header extraction"),
  cookie: strict({ cookie: str("a cookie name") }, "cookie extraction"),
};

export const extraction: Schema = byKey("extraction", () => EXTRACTIONS, "extraction");

export const request: Schema = strict(
  {
    name: optional(str()),
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
    checks: optional(list(check, "checks")),
    extract: optional(map(extraction, "extractions (variable: { json | regex | header | cookie })")),
  },
  "request",
);

// Declared before STEPS: group, loop and if hold steps themselves.
export const step: Schema = byKey("step", () => STEPS, "step");

const steps = (): Schema => list(step, "steps");

const STEPS: Record<string, Schema> = {
  request: strict({ request }, "request step"),
  sleep: strict(
    { sleep: byType("a duration or { min, max }", { string: duration, number: duration, object: strict({ min: duration, max: duration }, "sleep") }) },
    "sleep step",
  ),
  group: strict({ group: str("a group name"), steps: steps() }, "group step"),
  loop: strict(
    { loop: strict({ count: optional(int(0)), while: optional(str("a condition")), max: optional(int(1)) }, "loop"), steps: steps() },
    "loop step",
  ),
  if: strict({ if: str("a condition"), then: steps(), else: optional(steps()) }, "if step"),
  set: strict({ set: map(scalar, "variables") }, "set step"),
};

export const flow: Schema = list(step, "steps", 1, "a flow needs at least one step");
