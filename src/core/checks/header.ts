// `header: NAME` with at most one of `equals`, `contains` (templates), `matches` (a RegExp) and
// `exists`. Names are case-insensitive; a condition holds when *any* value of the header
// satisfies it. `exists: false` passes only when the header is absent. With no condition at all
// the header must exist.
import type { Template, TemplateScope } from "../../config/plan.ts";
import { bool as boolSchema, optional, regex, scalar, str as strSchema } from "../../config/schema/helpers.ts";
import { checkMap } from "../../config/schema/checks.ts";
import { bool, regexOf, str, template } from "../../config/normalize/context.ts";
import type { CheckKind } from "../../plugin-api/types.ts";
import { testPattern } from "./pattern.ts";

export interface HeaderCheck {
  /** Lower-case. */
  header: string;
  equals?: Template;
  contains?: Template;
  matches?: RegExp;
  exists?: boolean;
}

export const headerCheck: CheckKind<HeaderCheck> = {
  key: "header",
  schema: checkMap(
    { header: strSchema("a header name"), equals: optional(scalar), contains: optional(scalar), matches: optional(regex), exists: optional(boolSchema) },
    "header check",
  ),
  normalize(raw, path, ctx, env) {
    const header = (str(raw.header) ?? "").toLowerCase();
    const given = (["equals", "contains", "matches", "exists"] as const).filter((k) => raw[k] !== undefined);
    if (given.length > 1) {
      ctx.issues.error([...path, given[1]!], `a header check takes one of equals, contains, matches, exists; got ${given.join(" and ")}`, { at: "key" });
    }
    const spec: HeaderCheck = { header };
    let name: string;
    if (raw.equals !== undefined) {
      spec.equals = template(ctx, raw.equals, [...path, "equals"], env);
      name = `header ${header} equals ${spec.equals.source}`;
    } else if (raw.contains !== undefined) {
      spec.contains = template(ctx, raw.contains, [...path, "contains"], env);
      name = `header ${header} contains ${spec.contains.source}`;
    } else if (typeof raw.matches === "string") {
      spec.matches = regexOf(raw.matches);
      name = `header ${header} matches /${raw.matches}/`;
    } else {
      spec.exists = bool(raw.exists, true);
      name = spec.exists ? `header ${header} exists` : `header ${header} is absent`;
    }
    return { spec, name };
  },
  evaluate: (spec, response, scope) => checkHeader(spec, response.headers[spec.header.toLowerCase()], scope),
};

function checkHeader(spec: HeaderCheck, values: readonly string[] | undefined, scope: TemplateScope): boolean {
  const present = values !== undefined && values.length > 0;
  if (spec.exists === false) return !present;
  if (!present) return false;
  if (spec.equals) {
    const want = spec.equals.render(scope);
    if (!values.some((v) => v === want)) return false;
  }
  if (spec.contains) {
    const want = spec.contains.render(scope);
    if (!values.some((v) => v.includes(want))) return false;
  }
  if (spec.matches) {
    const re = spec.matches;
    if (!values.some((v) => testPattern(re, v))) return false;
  }
  return true;
}
