// The converter contract (`loadr convert KIND INPUT [-o plan.yaml]`): a converter turns another
// tool's test (a k6 script, a JMeter plan, a HAR recording) into a loadr plan, and says honestly
// what mapped, what became a hook and what was dropped. One converter per folder under
// src/convert/ (k6/, jmx/, har/) plus one line in the converter map; the CLI command, the YAML
// emitter and the report are shared and know no converter by name.
//
// Contract:
// - `convert` is pure (no file system, no network): the CLI reads the input and the files it
//   names and writes the results. It never throws for input it cannot map: it maps what it can
//   and records the rest as notes. It throws `ConvertInputError` only when the input cannot be
//   parsed at all (exit 104), with the parser's position.
// - `plan` is a plain JSON value in the key order a person would write (name, baseUrl, hooks,
//   metrics, data, scenarios, thresholds …); the emitter keeps that order.
// - `hooks`, when present, is the source of an ES module (JavaScript) the plan names as
//   `hooks: ./<plan base name>.hooks.js`; every function in it carries a comment naming the
//   source position it came from.
// - Exit codes (the CLI): 0 when every note is "mapped" or "hook", 2 when any is "dropped",
//   104 for a `ConvertInputError`.

/** Where in the input something was: "script.js:42:7", or a JMX element's path and name. */
export type InputPosition = string;

export interface ConversionNote {
  readonly kind: "mapped" | "hook" | "dropped";
  /** What it was, in the source tool's words: "http.post with a FormData body", "JSR223 Sampler 'sign'". */
  readonly what: string;
  readonly where: InputPosition;
  /** Why it was dropped or what it became, when that is not obvious. */
  readonly detail?: string;
}

export interface Conversion {
  readonly plan: Record<string, unknown>;
  readonly hooks?: string;
  /** Data files the plan names that the converter expects next to it (CSV feeds), as written in the input. */
  readonly files?: readonly string[];
  readonly notes: readonly ConversionNote[];
}

export interface ConvertInput {
  /** The input's text. */
  readonly source: string;
  /** Its file name as the user gave it, for positions ("script.js"). */
  readonly fileName: string;
  /** The converter's own options (from flags), already validated by its `options` list. */
  readonly options: Readonly<Record<string, string | boolean | readonly string[]>>;
}

export interface ConverterOption {
  /** Flag name without dashes: "no-sleep", "only-host", "exclude". */
  readonly name: string;
  readonly type: "boolean" | "string" | "strings";
  readonly description: string;
}

export interface Converter {
  /** The KIND of `loadr convert KIND`: "k6", "jmx", "har". */
  readonly name: string;
  /** One line for `loadr convert --help`. */
  readonly usage: string;
  readonly options: readonly ConverterOption[];
  convert(input: ConvertInput): Conversion;
}

/** The input cannot be parsed: `line`/`column` 1-based, from the parser. */
export class ConvertInputError extends Error {
  constructor(
    message: string,
    readonly fileName: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${fileName}:${line}:${column}: ${message}`);
  }
}
