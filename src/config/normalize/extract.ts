// `extract:` of a request-like step → ExtractSpec[] (core/extract/extractors.ts applies them).
// Protocol-independent, like checks.
import type { Path } from "../issues.ts";
import type { ExtractSpec } from "../plan.ts";
import { checkVariableName, isRecord, num, rec, regexOf, type NormalizeContext } from "./context.ts";

export function normalizeExtractions(raw: unknown, path: Path, ctx: NormalizeContext): ExtractSpec[] {
  return Object.entries(rec(raw)).flatMap(([name, e]) => normalizeExtract(name, e, [...path, name], ctx) ?? []);
}

function normalizeExtract(variable: string, raw: unknown, path: Path, ctx: NormalizeContext): ExtractSpec | undefined {
  checkVariableName(ctx, path, variable);
  if (!isRecord(raw)) return undefined;
  const loc = ctx.issues.locate(path, "key");
  if (typeof raw.json === "string") return { variable, loc, kind: "json", path: raw.json };
  if (typeof raw.regex === "string") {
    const pattern = regexOf(raw.regex);
    if (!pattern) return undefined;
    const group = num(raw.group, 1);
    const groups = new RegExp(`${raw.regex}|`).exec("")!.length - 1;
    if (group > groups) {
      ctx.issues.error([...path, raw.group === undefined ? "regex" : "group"], `group ${group} does not exist: /${raw.regex}/ has ${groups} capture group${groups === 1 ? "" : "s"}`, {
        hint: groups === 0 ? 'add parentheses around the part to extract, e.g. "id=(\\d+)"' : undefined,
      });
    }
    return { variable, loc, kind: "regex", pattern, group };
  }
  if (typeof raw.header === "string") return { variable, loc, kind: "header", header: raw.header.toLowerCase() };
  if (typeof raw.cookie === "string") return { variable, loc, kind: "cookie", cookie: raw.cookie };
  return undefined;
}
