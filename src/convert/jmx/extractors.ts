// Extractors (post-processors) → `extract:` of every request in their scope (src/core/extract/),
// plus their default value. Pure.
//
// - Regular Expression Extractor (`RegexExtractor.refname`, `.regex`, `.template` `$N$`,
//   `.match_number`, `.default`, `.useHeaders`) → `{ regex, group: N }` on the body.
// - JSON Extractor (`JSONPostProcessor.referenceNames`, `.jsonPathExprs`, `.match_numbers`,
//   `.defaultValues`, `;`-separated) and the older plugin JSON Path Extractor (`VAR`, `JSONPATH`,
//   `DEFAULT`) → `{ json: PATH }`.
// - Boundary Extractor (`BoundaryExtractor.refname`, `.lboundary`, `.rboundary`, `.default`,
//   `.match_number`) → `{ regex: LEFT([\s\S]*?)RIGHT }` with both boundaries escaped.
// A default value: JMeter stores it when nothing matches; loadr unsets the variable instead, so a
// non-empty default becomes `if: "${vars.NAME == null}"` → `set: { NAME: default }` after the
// request. loadr takes the first match; another match number (random, all) is noted.
import type { JmxContext, Located } from "./context.ts";
import { escapeRegex, normalizeJsonPath } from "./assertions.ts";
import { shortClass } from "./labels.ts";
import { str } from "./props.ts";
import { toTemplate, translate, varName } from "./text.ts";

export const EXTRACTORS = new Set(["RegexExtractor", "JSONPostProcessor", "JSONPathExtractor", "BoundaryExtractor"]);

export interface Extraction {
  readonly extract: Record<string, Record<string, unknown>>;
  /** Steps after the request: the defaults of variables that did not match. */
  readonly after: Array<Record<string, unknown>>;
}

export function extractionOf(at: Located, ctx: JmxContext): Extraction {
  switch (shortClass(at.el)) {
    case "RegexExtractor":
      return regexExtractor(at, ctx);
    case "BoundaryExtractor":
      return boundaryExtractor(at, ctx);
    case "JSONPostProcessor":
      return jsonExtractor(at, ctx);
    case "JSONPathExtractor":
      return one(at, ctx, str(at.el, "VAR"), str(at.el, "JSONPATH"), str(at.el, "DEFAULT"), "1");
    default:
      return { extract: {}, after: [] };
  }
}

/** The names every extractor in the plan writes (User Defined Variables of those names are reset-sensitive). */
export function writtenNames(at: Located): string[] {
  switch (shortClass(at.el)) {
    case "RegexExtractor":
      return [str(at.el, "RegexExtractor.refname").trim()];
    case "BoundaryExtractor":
      return [str(at.el, "BoundaryExtractor.refname").trim()];
    case "JSONPostProcessor":
      return str(at.el, "JSONPostProcessor.referenceNames").split(";").map((s) => s.trim());
    case "JSONPathExtractor":
      return [str(at.el, "VAR").trim()];
    default:
      return [];
  }
}

function regexExtractor(at: Located, ctx: JmxContext): Extraction {
  const { el } = at;
  const name = str(el, "RegexExtractor.refname").trim();
  const source = str(el, "RegexExtractor.useHeaders", "false").trim();
  if (source !== "false" && source !== "unescaped" && source !== "") {
    ctx.dropped(at, `extracting from ${source === "true" ? "the response headers" : source} is not mapped (loadr's regex extraction reads the body)`);
    return { extract: {}, after: [] };
  }
  const template = str(el, "RegexExtractor.template", "$1$").trim() || "$1$";
  const group = /^\$(\d+)\$$/.exec(template);
  if (!group) {
    ctx.dropped(at, `the template "${template}" is not mapped (one group, like $1$, is)`);
    return { extract: {}, after: [] };
  }
  const regex = javaRegex(str(el, "RegexExtractor.regex"));
  if (regex === undefined) {
    ctx.dropped(at, `the regular expression /${str(el, "RegexExtractor.regex")}/ uses Java-only syntax`);
    return { extract: {}, after: [] };
  }
  return finish(at, ctx, name, { regex, group: Number(group[1]) }, str(el, "RegexExtractor.default"), str(el, "RegexExtractor.match_number", "1"));
}

function boundaryExtractor(at: Located, ctx: JmxContext): Extraction {
  const { el } = at;
  const left = str(el, "BoundaryExtractor.lboundary");
  const right = str(el, "BoundaryExtractor.rboundary");
  const regex = `${escapeRegex(left)}([\\s\\S]*?)${escapeRegex(right)}`;
  return finish(at, ctx, str(el, "BoundaryExtractor.refname").trim(), { regex }, str(el, "BoundaryExtractor.default"), str(el, "BoundaryExtractor.match_number", "1"));
}

function jsonExtractor(at: Located, ctx: JmxContext): Extraction {
  const { el } = at;
  const names = str(el, "JSONPostProcessor.referenceNames").split(";");
  const paths = str(el, "JSONPostProcessor.jsonPathExprs").split(";");
  const matches = str(el, "JSONPostProcessor.match_numbers").split(";");
  const defaults = str(el, "JSONPostProcessor.defaultValues").split(";");
  const out: Extraction = { extract: {}, after: [] };
  const details: string[] = [];
  names.forEach((name, i) => {
    const part = one(at, ctx, name, paths[i] ?? "", defaults[i] ?? "", matches[i] ?? "1", details);
    Object.assign(out.extract, part.extract);
    out.after.push(...part.after);
  });
  if (Object.keys(out.extract).length > 0) ctx.mapped(at, details.join("; ") || undefined);
  return out;
}

/** One JSON extraction; `details` collects its notes when the caller notes the element once. */
function one(at: Located, ctx: JmxContext, name: string, path: string, fallback: string, match: string, details?: string[]): Extraction {
  const json = normalizeJsonPath(path.trim());
  if (json === undefined) {
    ctx.dropped(at, `the variable "${name.trim()}" has no JSON path`);
    return { extract: {}, after: [] };
  }
  if (/\(\s*\)|\[\s*\?/.test(json)) {
    ctx.dropped(at, `the JSON path ${json} uses a function or filter (Jayway JsonPath): loadr's paths are $.a.b[0]; its default applies`, `JSON path ${json}`);
  }
  return finish(at, ctx, name.trim(), { json }, fallback, match, details);
}

function finish(at: Located, ctx: JmxContext, jmeterName: string, spec: Record<string, unknown>, fallback: string, match: string, collect?: string[]): Extraction {
  if (jmeterName === "") {
    ctx.dropped(at, "no variable name");
    return { extract: {}, after: [] };
  }
  const name = varName(jmeterName);
  const details: string[] = [];
  if (name !== jmeterName) details.push(`the variable "${jmeterName}" is named ${name} (loadr names: letters, digits, _ and -)`);
  const n = match.trim() === "" ? 1 : Number(match.trim());
  if (n !== 1) {
    ctx.dropped(at, `match number ${match.trim()} (${n === 0 ? "a random match" : n < 0 ? "every match, as NAME_1…NAME_n" : `the ${n}th match`}) is not mapped: loadr takes the first match`, `match number`);
  }
  if (collect) collect.push(...details);
  else ctx.mapped(at, details.join("; ") || undefined);
  const after: Array<Record<string, unknown>> = [];
  if (fallback !== "") {
    after.push({ if: `\${vars.${name} == null}`, then: [{ set: { [name]: toTemplate(translate(fallback, ctx.runtime(at))) } }] });
  }
  return { extract: { [name]: spec }, after };
}

/**
 * A Java (or JMeter's Perl5) regular expression as a JavaScript one: leading inline flags
 * `(?is)` become a modifier group `(?is:…)`, `\A`/`\Z`/`\z` anchors `^`/`$`. Undefined for
 * constructs JavaScript lacks (possessive quantifiers, atomic groups) or a pattern it rejects.
 */
export function javaRegex(source: string): string | undefined {
  let pattern = source;
  const flags = /^\(\?([imsx]+)\)/.exec(pattern);
  if (flags) {
    if (flags[1]!.includes("x")) return undefined;
    pattern = `(?${flags[1]}:${pattern.slice(flags[0].length)})`;
  }
  pattern = pattern.replace(/\\A/g, "^").replace(/\\[Zz]/g, "$");
  if (/(?<!\\)[*+?}][+]/.test(pattern) || pattern.includes("(?>")) return undefined;
  try {
    new RegExp(pattern);
  } catch {
    return undefined;
  }
  return pattern;
}

