// `body: { contains, matches }`: `contains` is a substring of the rendered template, `matches` a
// RegExp; both given, both must hold. At least one of them is required.
import type { Template } from "../../config/plan.ts";
import { optional, regex, scalar, strict } from "../../config/schema/helpers.ts";
import { checkMap } from "../../config/schema/checks.ts";
import { isRecord, rec, regexOf, template } from "../../config/normalize/context.ts";
import type { CheckKind } from "../../plugin-api/types.ts";
import { testPattern } from "./pattern.ts";

export interface BodyCheck {
  contains?: Template;
  matches?: RegExp;
}

export const bodyCheck: CheckKind<BodyCheck> = {
  key: "body",
  schema: checkMap({ body: strict({ contains: optional(scalar), matches: optional(regex) }, "body check") }, "body check"),
  normalize(raw, path, ctx, env) {
    const body = rec(raw.body);
    const spec: BodyCheck = {};
    const parts: string[] = [];
    if (body.contains !== undefined) {
      spec.contains = template(ctx, body.contains, [...path, "body", "contains"], env);
      parts.push(`contains ${JSON.stringify(spec.contains.source)}`);
    }
    if (typeof body.matches === "string") {
      spec.matches = regexOf(body.matches);
      parts.push(`matches /${body.matches}/`);
    }
    if (parts.length === 0 && isRecord(raw.body)) {
      ctx.issues.error([...path, "body"], "a body check needs contains: or matches:");
    }
    return { spec, name: `body ${parts.join(" and ")}` };
  },
  evaluate(spec, response, scope) {
    if (spec.contains && !response.body.includes(spec.contains.render(scope))) return false;
    if (spec.matches && !testPattern(spec.matches, response.body)) return false;
    return true;
  },
};
