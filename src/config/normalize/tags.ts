// User tags: the `tags:` maps of the plan, a scenario, a step (group …) and a request. Each is a
// map of fixed strings merged into the metric tags of every sample it covers (inner maps win),
// so threshold filters such as `http_req_duration{kind:search}` can select them. Values may use
// `${env.NAME}` (resolved at load); runtime references are errors, since every distinct value is
// a new series. Names loadr sets itself are refused, each with what to write instead.
import type { Path } from "../issues.ts";
import { EMPTY_SCOPE } from "../templates.ts";
import { rec, template, type Env, type NormalizeContext } from "./context.ts";

/** Tag names loadr sets on samples itself, with what to use instead of setting them. */
const RESERVED_TAGS: Readonly<Record<string, string>> = Object.freeze({
  scenario: "loadr sets it to the scenario's name; rename the scenario, or pick another tag name",
  group: "loadr sets it to the group path; put the steps in a `group:` step",
  name: "loadr sets it from the request's `name:` (or its URL); write `name:` on the request",
  method: "loadr sets it to the request's method",
  status: "loadr sets it to the response's status",
  error: "loadr sets it to the request's error code",
  url: "loadr does not tag URLs (each distinct URL would be a new series); group requests by their `name:`",
  check: "loadr sets it to the check's name on the `checks` metric",
});

/** The tags written at `path` (a map), env templates rendered; reserved names are reported. */
export function normalizeTags(raw: unknown, path: Path, ctx: NormalizeContext, env: Env): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [name, value] of Object.entries(rec(raw))) {
    const reserved = RESERVED_TAGS[name];
    if (reserved !== undefined) {
      ctx.issues.error([...path, name], `"${name}" is a tag loadr sets itself`, { at: "key", hint: reserved });
      continue;
    }
    tags[name] = template(ctx, value, [...path, name], env, false).render(EMPTY_SCOPE);
  }
  return tags;
}
