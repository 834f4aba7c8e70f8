// `{ regex: PATTERN, group: N }`: capture group N (default 1; 0 is the whole match) of the first
// match in the body. A group the pattern does not have is a plan error.
import { int, optional, regex, strict } from "../../config/schema/helpers.ts";
import { num, regexOf } from "../../config/normalize/context.ts";
import type { ExtractKind } from "../../plugin-api/types.ts";

export interface RegexExtraction {
  pattern: RegExp;
  group: number;
}

export const regexExtraction: ExtractKind<RegexExtraction> = {
  key: "regex",
  schema: strict({ regex, group: optional(int(0)) }, "regex extraction"),
  normalize(raw, path, ctx) {
    if (typeof raw.regex !== "string") return undefined;
    const pattern = regexOf(raw.regex);
    if (!pattern) return undefined;
    const group = num(raw.group, 1);
    const groups = new RegExp(`${raw.regex}|`).exec("")!.length - 1;
    if (group > groups) {
      ctx.issues.error([...path, raw.group === undefined ? "regex" : "group"], `group ${group} does not exist: /${raw.regex}/ has ${groups} capture group${groups === 1 ? "" : "s"}`, {
        hint: groups === 0 ? 'add parentheses around the part to extract, e.g. "id=(\\d+)"' : undefined,
      });
    }
    return { pattern, group };
  },
  extract(spec, response) {
    spec.pattern.lastIndex = 0; // g/y patterns keep state between calls
    const match = spec.pattern.exec(response.body);
    spec.pattern.lastIndex = 0;
    return match?.[spec.group] ?? undefined;
  },
  describe: (spec) => `pattern ${spec.pattern}`,
};
