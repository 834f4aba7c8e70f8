// `{ json: PATH }`: the first match of PATH (core/extract/jsonpath.ts) in the parsed body, as text
// (strings as-is, other values as their JSON text). Nothing when the body is not JSON.
import { strict } from "../../config/schema/helpers.ts";
import { jsonPath } from "../../config/schema/checks.ts";
import type { ExtractKind } from "../../plugin-api/types.ts";
import { queryFirst } from "./jsonpath.ts";
import { jsonValueText, NOT_JSON, responseJson } from "./response-json.ts";

export interface JsonExtraction {
  path: string;
}

export const jsonExtraction: ExtractKind<JsonExtraction> = {
  key: "json",
  schema: strict({ json: jsonPath }, "json extraction"),
  normalize: (raw) => (typeof raw.json === "string" ? { path: raw.json } : undefined),
  extract(spec, response) {
    const doc = responseJson(response);
    if (doc === NOT_JSON) return undefined;
    return jsonValueText(queryFirst(doc, spec.path));
  },
  describe: (spec) => `JSON path ${spec.path}`,
};
