// Runs the plan schema over the parsed YAML and reports every issue (no abortEarly) with its
// dot path (the keys of valibot's issue path, as `getDotPath` joins them) at the right `line:col`.
import * as v from "valibot";
import type { IssueCollector, Path } from "../issues.ts";
import type { PlanSyntax } from "../syntax.ts";
import { planSchemaFor } from "./plan.ts";

/**
 * Checks `data` against the plan schema of `syntax` (its step kinds and executors); adds one
 * error per problem to `issues`; returns true when the shape is valid.
 */
export function validateShape(data: unknown, issues: IssueCollector, syntax: PlanSyntax): boolean {
  return validateAgainst(planSchemaFor(syntax), data, issues);
}

/** `validateShape` for any schema (a document that is not a plan: config/outputs-file.ts). */
export function validateAgainst(schema: v.GenericSchema, data: unknown, issues: IssueCollector): boolean {
  const result = v.safeParse(schema, data, { abortEarly: false });
  if (result.success) return true;
  for (const issue of flatten(result.issues)) {
    const path: Path = (issue.path ?? []).map((item) => (typeof item.key === "number" ? item.key : String(item.key)));
    // The same keys `v.getDotPath` joins; kept as an array to locate keys that contain dots.
    const last = issue.path?.at(-1);
    // Unknown keys point at the key itself; everything else at the value.
    const at = last && "origin" in last && last.origin === "key" ? "key" : "value";
    issues.error(path, messageOf(issue), { at });
  }
  return false;
}

type Issue = v.BaseIssue<unknown>;

/** Union issues carry the real problems nested; report those. */
function flatten(list: readonly Issue[]): Issue[] {
  return list.flatMap((issue) => (issue.type === "union" && issue.issues?.length ? flatten(issue.issues) : [issue]));
}

function messageOf(issue: Issue): string {
  if (!issue.message.startsWith("Invalid ")) return issue.message;
  // valibot's default wording, made plain.
  const expected = (issue.expected ?? "").replace(/\bObject\b/g, "a map").replace(/\bArray\b/g, "a list");
  return `expected ${expected}, got ${issue.received}`;
}

