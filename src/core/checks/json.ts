// `json: PATH` with `equals` (a template) or `exists`: PATH (see core/extract/jsonpath.ts) on the
// parsed body; the *first* match is used. `equals` compares text: strings as-is,
// numbers/booleans/null/objects by their JSON text (`1.5`, `true`). `exists: false` passes when
// nothing matches. No condition: the path must match. A body that is not JSON, or an invalid
// path, matches nothing.
import * as v from "valibot";
import type { Template } from "../../config/plan.ts";
import { bool as boolSchema, optional, type Schema } from "../../config/schema/helpers.ts";
import { checkMap, jsonPath } from "../../config/schema/checks.ts";
import { bool, str, template } from "../../config/normalize/context.ts";
import type { CheckKind } from "../../plugin-api/types.ts";
import { queryFirst } from "../extract/jsonpath.ts";
import { jsonValueText, NOT_JSON, responseJson } from "../extract/response-json.ts";

export interface JsonCheck {
  path: string;
  equals?: Template;
  exists?: boolean;
}

export const jsonCheck: CheckKind<JsonCheck> = {
  key: "json",
  schema: checkMap(
    { json: jsonPath, equals: optional(v.union([v.string(), v.number(), v.boolean(), v.null()]) as Schema), exists: optional(boolSchema) },
    "json check",
  ),
  normalize(raw, path, ctx, env) {
    const jsonPath = str(raw.json) ?? "$";
    if (raw.equals !== undefined && raw.exists !== undefined) {
      ctx.issues.error([...path, "exists"], "a json check takes equals or exists, not both", { at: "key" });
    }
    if (raw.equals !== undefined) {
      const equals = template(ctx, raw.equals === null ? "null" : raw.equals, [...path, "equals"], env);
      return { spec: { path: jsonPath, equals }, name: `${jsonPath} equals ${equals.source}` };
    }
    const exists = bool(raw.exists, true);
    return { spec: { path: jsonPath, exists }, name: exists ? `${jsonPath} exists` : `${jsonPath} does not exist` };
  },
  evaluate(spec, response, scope) {
    const doc = responseJson(response);
    const text = doc === NOT_JSON ? undefined : jsonValueText(queryFirst(doc, spec.path));
    if (spec.exists === false) return text === undefined;
    if (text === undefined) return false;
    return spec.equals === undefined || text === spec.equals.render(scope);
  },
};
