// Assertions → `checks:` of every request in their scope (src/core/checks/). Pure.
//
// - Response Assertion (`Assertion.test_field`, `Assertion.test_type` bits: 1 matches, 2
//   contains, 4 not, 8 equals, 16 substring, 32 or; `Asserion.test_strings` — JMeter's spelling):
//     the response code → `status: [every code 100..599 the assertion accepts]` (so a pattern,
//     "not" and "or" map exactly); the body → `body: { contains }` or `body: { matches }`
//     (a "not" is a negative lookahead; "or" joins the patterns); a response header written
//     `Name: value` → `header: Name, contains: value`. Other fields are not mapped.
// - JSON Assertion (`JSON_PATH`, `EXPECTED_VALUE`, `JSONVALIDATION`, `EXPECT_NULL`, `INVERT`,
//   `ISREGEX`) → `json: PATH` with `equals` or `exists`.
// - Duration Assertion (`DurationAssertion.duration`, ms) → `duration: { below }`.
// - Size Assertion (`SizeAssertion.size`, `SizeAssertion.operator` 1 = 2 != 3 > 4 < 5 >= 6 <=)
//   → a `body: { matches }` on the body's length, in characters (JMeter counts bytes).
import type { JmxContext, Located } from "./context.ts";
import { shortClass } from "./labels.ts";
import { bool, collection, str } from "./props.ts";
import { millis } from "./thread-groups.ts";
import { staticText, toTemplate, translate } from "./text.ts";

export type Check = Record<string, unknown>;

const MATCH = 1;
const CONTAINS = 2;
const NOT = 4;
const EQUALS = 8;
const SUBSTRING = 16;
const OR = 32;

export const ASSERTIONS = new Set(["ResponseAssertion", "JSONPathAssertion", "DurationAssertion", "SizeAssertion"]);

/** The checks an assertion element becomes (noting what it could not map). */
export function checksOf(at: Located, ctx: JmxContext): Check[] {
  switch (shortClass(at.el)) {
    case "ResponseAssertion":
      return responseAssertion(at, ctx);
    case "JSONPathAssertion":
      return jsonAssertion(at, ctx);
    case "DurationAssertion": {
      const ms = Number(str(at.el, "DurationAssertion.duration").trim());
      if (!Number.isFinite(ms) || ms <= 0) {
        ctx.dropped(at, `the duration "${str(at.el, "DurationAssertion.duration")}" is not a number of milliseconds`);
        return [];
      }
      ctx.mapped(at);
      return [{ duration: { below: millis(ms) } }];
    }
    case "SizeAssertion":
      return sizeAssertion(at, ctx);
    default:
      return [];
  }
}

function responseAssertion(at: Located, ctx: JmxContext): Check[] {
  const { el } = at;
  const field = str(el, "Assertion.test_field", "Assertion.response_data").trim();
  const type = Number(str(el, "Assertion.test_type", "2").trim()) || 0;
  const strings = collection(el, "Asserion.test_strings").map((p) => p.text);
  if (bool(el, "Assertion.assume_success")) ctx.dropped(at, '"ignore status" is not mapped: a failed status still fails loadr\'s status checks', "Response Assertion: ignore status");
  const negate = (type & NOT) !== 0;
  const or = (type & OR) !== 0;
  const mode = type & (MATCH | CONTAINS | EQUALS | SUBSTRING) || CONTAINS;
  if (strings.length === 0) {
    ctx.dropped(at, "no patterns to test");
    return [];
  }
  switch (field) {
    case "Assertion.response_code": {
      const patterns = strings.map((s) => staticText(translate(s, ctx.runtime(at))));
      if (patterns.some((p) => p === undefined)) {
        ctx.dropped(at, "a response code pattern computed at run time is not mapped (status checks are literal codes)");
        return [];
      }
      const codes: number[] = [];
      for (let code = 100; code <= 599; code++) {
        const results = patterns.map((p) => testText(String(code), p!, mode));
        const hit = or ? results.some(Boolean) : results.every(Boolean);
        if (hit !== negate) codes.push(code);
      }
      if (codes.length === 0) {
        ctx.dropped(at, "no response code satisfies it");
        return [];
      }
      ctx.mapped(at);
      return [{ status: codes.length === 1 ? codes[0] : codes }];
    }
    case "Assertion.response_data":
    case "Assertion.response_data_as_document": {
      const text = ctx.runtime(at);
      const parts = strings.map((s) => translate(s, text));
      // A literal substring stays a `contains` (clearest); everything else is one regular expression.
      if (mode === SUBSTRING && !negate && !or) {
        ctx.mapped(at);
        return parts.map((p) => ({ body: { contains: toTemplate(p) } }));
      }
      const sources = parts.map((p) => staticText(p));
      if (sources.some((s) => s === undefined)) {
        ctx.dropped(at, "a pattern computed at run time is not mapped (loadr's body patterns are literal)");
        return [];
      }
      const patterns = sources.map((s) => patternFor(s!, mode));
      const checks = or ? [combine(patterns, negate)] : patterns.map((p) => combine([p], negate));
      ctx.mapped(at, mode === MATCH || mode === CONTAINS ? "Java and JavaScript regular expressions differ in rare constructs" : undefined);
      return checks.map((matches) => ({ body: { matches } }));
    }
    case "Assertion.response_headers": {
      const checks: Check[] = [];
      for (const s of strings) {
        const header = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(s.trim());
        if (!header || negate || or || (mode !== SUBSTRING && mode !== CONTAINS)) {
          ctx.dropped(at, `the header test "${s}" is not mapped (mapped: a "Name: value" contains/substring test)`);
          continue;
        }
        checks.push({ header: header[1]!, contains: toTemplate(translate(header[2]!, ctx.runtime(at))) });
      }
      if (checks.length > 0) ctx.mapped(at);
      return checks;
    }
    default:
      ctx.dropped(at, `testing ${field.replace("Assertion.", "").replaceAll("_", " ")} is not mapped (mapped: response code, body, headers)`);
      return [];
  }
}

/** A pattern that holds where JMeter's test of one string holds. */
function patternFor(source: string, mode: number): string {
  switch (mode) {
    case MATCH:
      return `^(?:${source})$`;
    case EQUALS:
      return `^${escapeRegex(source)}$`;
    case SUBSTRING:
      return escapeRegex(source);
    default:
      return source;
  }
}

function combine(patterns: readonly string[], negate: boolean): string {
  const any = patterns.length === 1 ? patterns[0]! : patterns.map((p) => `(?:${p})`).join("|");
  if (!negate) return any;
  // "not": no position where it matches; an anchored one (^…$) must not match the whole body.
  return any.startsWith("^") && patterns.length === 1 ? `^(?!${any.slice(1)})` : `^(?![\\s\\S]*(?:${any}))`;
}

/** JMeter's test of `text` against one pattern string. */
function testText(text: string, pattern: string, mode: number): boolean {
  try {
    switch (mode) {
      case MATCH:
        return new RegExp(`^(?:${pattern})$`).test(text);
      case EQUALS:
        return text === pattern;
      case SUBSTRING:
        return text.includes(pattern);
      default:
        return new RegExp(pattern).test(text);
    }
  } catch {
    return false;
  }
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function jsonAssertion(at: Located, ctx: JmxContext): Check[] {
  const { el } = at;
  const path = normalizeJsonPath(str(el, "JSON_PATH").trim());
  if (path === undefined) {
    ctx.dropped(at, `the JSON path "${str(el, "JSON_PATH")}" is not mapped`);
    return [];
  }
  const validate = bool(el, "JSONVALIDATION");
  const invert = bool(el, "INVERT");
  const expectNull = bool(el, "EXPECT_NULL");
  const regex = bool(el, "ISREGEX");
  const expected = str(el, "EXPECTED_VALUE");
  if (!validate) {
    ctx.mapped(at);
    return [{ json: path, exists: !invert }];
  }
  if (invert) {
    ctx.dropped(at, "an inverted value test is not mapped (loadr's json check has equals or exists)");
    return [];
  }
  if (expectNull) {
    ctx.mapped(at);
    return [{ json: path, equals: null }];
  }
  if (regex && /[\\^$.*+?()[\]{}|]/.test(expected)) {
    ctx.dropped(at, `the expected value is a regular expression (${expected}): loadr's json check compares text`);
    return [];
  }
  ctx.mapped(at);
  return [{ json: path, equals: toTemplate(translate(expected, ctx.runtime(at))) }];
}

/** A JSON path as loadr writes it (`$.a.b`); JMeter also accepts one without the `$`. */
export function normalizeJsonPath(path: string): string | undefined {
  if (path === "") return undefined;
  if (path.startsWith("$")) return path;
  return path.startsWith("[") ? `$${path}` : `$.${path}`;
}

function sizeAssertion(at: Located, ctx: JmxContext): Check[] {
  const { el } = at;
  const size = Number(str(el, "SizeAssertion.size").trim());
  const operator = Number(str(el, "SizeAssertion.operator", "1").trim()) || 1;
  const field = str(el, "Assertion.test_field", "SizeAssertion.response_network_size");
  if (!Number.isInteger(size) || size < 0) {
    ctx.dropped(at, `the size "${str(el, "SizeAssertion.size")}" is not a number of bytes`);
    return [];
  }
  if (/response_(headers|code|message)$/.test(field)) {
    ctx.dropped(at, `testing the size of the ${field.slice(field.lastIndexOf("response_") + 9)} is not mapped (mapped: the body's size)`);
    return [];
  }
  const any = "[\\s\\S]";
  const pattern: Record<number, string> = {
    1: `^${any}{${size}}$`,
    2: `^(?!${any}{${size}}$)`,
    3: `^${any}{${size + 1},}$`,
    4: size === 0 ? "^(?!)" : `^${any}{0,${size - 1}}$`,
    5: `^${any}{${size},}$`,
    6: `^${any}{0,${size}}$`,
  };
  const matches = pattern[operator];
  if (matches === undefined) {
    ctx.dropped(at, `the operator ${operator} is not one JMeter defines`);
    return [];
  }
  ctx.mapped(
    at,
    field.endsWith("response_data") || field.endsWith("response_data_size")
      ? "tested on the body's length in characters (JMeter counts bytes; they differ for non-ASCII text)"
      : "tested on the body's length in characters: JMeter counts the whole response (headers too) in bytes",
  );
  return [{ body: { matches } }];
}
