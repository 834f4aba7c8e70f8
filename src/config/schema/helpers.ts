// Building blocks for the plan schema (valibot). Two things valibot does not do our way:
// - strict maps report EVERY unknown key (valibot's strictObject stops at the first), each with a
//   "did you mean …?" at the key itself;
// - a YAML list item is often "a map whose kind is the key it has" (`- request: …`, `- status: 200`);
//   `byKey` picks the schema by that key, so messages speak about the item the user meant.
// Each helper records what it is in `SCHEMA_INFO`, which `json-schema.ts` reads.
import * as v from "valibot";
import { DURATION_EXAMPLES, parseDuration } from "../duration.ts";
import { closest, didYouMean } from "../suggest.ts";

export type Schema = v.GenericSchema;

export type SchemaInfo =
  | { kind: "strict"; what: string }
  | { kind: "dispatch"; name?: string; options: () => Schema[]; description?: string };

/** What a helper-built schema is, for the JSON Schema export. */
export const SCHEMA_INFO = new WeakMap<object, SchemaInfo>();

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Message used when a value is missing or of the wrong JS type. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a map";
  return JSON.stringify(value);
}

/**
 * A map with the given keys and no others. Unknown keys are errors at the key, with a suggestion;
 * `unknownKey` may phrase them (e.g. "not an option of executor X").
 */
export function strict(
  entries: v.ObjectEntries,
  what: string,
  unknownKey: (key: string, known: string[]) => string = (key, known) =>
    `unknown key "${key}" in ${what}${didYouMean(key, known)}`,
): Schema {
  const known = Object.keys(entries);
  const schema = v.pipe(
    v.looseObject(entries, (issue) =>
      issue.expected === "Object"
        ? `expected ${what} (a map), got ${describe(issue.input)}`
        : `${issue.expected} is required in ${what}`,
    ),
    v.rawCheck(({ dataset, addIssue }) => {
      const value = dataset.value;
      if (!isRecord(value)) return;
      for (const key of Object.keys(value)) {
        if (known.includes(key)) continue;
        // A misspelt required key is one mistake: drop its "is required" when we suggest it.
        const meant = closest(key, known);
        if (meant !== undefined && dataset.issues) {
          const rest = dataset.issues.filter((i) => !(i.type === "loose_object" && i.expected === `"${meant}"`));
          dataset.issues.splice(0, dataset.issues.length, ...rest);
        }
        addIssue({
          message: `${unknownKey(key, known)}`,
          input: key,
          path: [{ type: "object", origin: "key", input: value, key, value: value[key] }],
        });
      }
    }),
  );
  SCHEMA_INFO.set(schema, { kind: "strict", what });
  return schema as Schema;
}

/** Always fails with `message(input)`; the fallback of the dispatchers. */
export function failWith(message: (input: unknown) => string): Schema {
  return v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset, addIssue }) => addIssue({ message: message(dataset.value) })),
  ) as Schema;
}

/**
 * A list item identified by which key it has: `- request: …`, `- sleep: 1s`, `- status: 200`.
 * `options` is a thunk so schemas can be recursive (steps inside `group`).
 */
export function byKey(what: string, options: () => Record<string, Schema>, name?: string): Schema {
  const fallback = failWith((input) => {
    const kinds = Object.keys(options());
    if (!isRecord(input)) return `expected ${what} (a map with one of the keys ${kinds.join(", ")}), got ${describe(input)}`;
    const first = Object.keys(input)[0];
    if (first === undefined) return `empty ${what}; use one of ${kinds.join(", ")}`;
    return `unknown ${what} "${first}"${didYouMean(first, kinds)} (${what} kinds: ${kinds.join(", ")})`;
  });
  const schema = v.lazy((input) => {
    const all = options();
    if (isRecord(input)) for (const key of Object.keys(input)) if (Object.hasOwn(all, key)) return all[key]!;
    return fallback;
  });
  SCHEMA_INFO.set(schema, { kind: "dispatch", name, options: () => Object.values(options()) });
  return schema as Schema;
}

/** A value whose accepted shape depends on its JS type (`sleep: 1s` or `sleep: {min, max}`). */
export function byType(
  what: string,
  options: { string?: Schema; number?: Schema; boolean?: Schema; array?: Schema; object?: Schema },
): Schema {
  const fallback = failWith((input) => `expected ${what}, got ${describe(input)}`);
  const schema = v.lazy((input) => {
    const type = Array.isArray(input) ? "array" : input === null ? "null" : typeof input;
    return (options as Record<string, Schema | undefined>)[type] ?? fallback;
  });
  SCHEMA_INFO.set(schema, { kind: "dispatch", options: () => Object.values(options).filter((s) => s !== undefined) });
  return schema as Schema;
}

export const str = (what = "a string"): Schema => v.string(`expected ${what}`) as Schema;

/** A string the plan uses as a template; numbers and booleans are accepted and stringified. */
export const scalar: Schema = v.union(
  [v.string(), v.number(), v.boolean()],
  (issue) => `expected a string, number or boolean, got ${describe(issue.input)}`,
) as Schema;


export const bool: Schema = v.boolean((issue) => `expected true or false, got ${describe(issue.input)}`) as Schema;

export function int(min: number, max = Number.MAX_SAFE_INTEGER): Schema {
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
  const message = (issue: { input: unknown }) => `expected a whole number ${range}, got ${describe(issue.input)}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message)) as Schema;
}

export function num(min: number, exclusive = false): Schema {
  const message = (issue: { input: unknown }) => `expected a number ${exclusive ? ">" : "≥"} ${min}, got ${describe(issue.input)}`;
  return v.pipe(v.number(message), exclusive ? v.gtValue(min, message) : v.minValue(min, message)) as Schema;
}

export const duration: Schema = v.pipe(
  v.union([v.string(), v.number()], (issue) => `expected a duration like ${DURATION_EXAMPLES}, got ${describe(issue.input)}`),
  v.check(
    (value) => typeof parseDuration(value) === "number",
    (issue) => {
      const parsed = parseDuration(issue.input);
      return typeof parsed === "number" ? "" : parsed.error;
    },
  ),
  v.description(`A duration: ${DURATION_EXAMPLES}`),
) as Schema;

export const regex: Schema = v.pipe(
  v.string("expected a regular expression (a string)"),
  v.check(
    (value) => regexError(value) === undefined,
    (issue) => `bad regular expression /${String(issue.input)}/: ${regexError(String(issue.input))}`,
  ),
) as Schema;

export function regexError(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, "");
  }
}

export function picklist<const T extends readonly string[]>(values: T, what: string): Schema {
  return v.picklist(values, (issue) => `${what} must be one of ${values.join(", ")}, got ${describe(issue.input)}${typeof issue.input === "string" ? didYouMean(issue.input, values) : ""}`) as Schema;
}

export const optional = (schema: Schema): Schema => v.optional(schema) as Schema;

export function list(item: Schema, what: string, minLength = 0, tooShort = `needs at least ${minLength} ${what}`): Schema {
  const base = v.array(item, (issue) => `expected a list of ${what}, got ${describe(issue.input)}`);
  if (minLength === 0) return base as Schema;
  return v.pipe(base, v.minLength(minLength, tooShort)) as Schema;
}

/** A map of `value`s by string keys (a list is not a map: valibot's record alone would take one). */
export function map(value: Schema, what: string): Schema {
  return byType(`a map of ${what}`, { object: v.record(v.string(), value) as Schema });
}

/** A `tags:` map: tag name → fixed text (config/normalize/tags.ts). */
export const tags: Schema = map(scalar, "tags (name: value)");
