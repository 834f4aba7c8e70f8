// The values of the expression language and their conversions (docs/expressions.md "Types"):
// one definition each of rendering, truthiness, numeric reading and comparison, shared by
// expressions, templates and the bare conditions of config/conditions.ts.
import type { TemplateScope, Value, VarValue } from "../plan.ts";

/** The largest number an expression may produce, either sign (Number.MAX_SAFE_INTEGER, 2^53 − 1). */
export const MAX_NUMBER = Number.MAX_SAFE_INTEGER;
/** The longest string an expression may produce (a guard against strings doubling in a loop). */
export const MAX_STRING_LENGTH = 1_000_000;

/** The scope of a render that must not depend on it (static templates, load-time values). */
export const EMPTY_SCOPE: TemplateScope = Object.freeze({
  vars: Object.freeze(Object.create(null)) as Record<string, VarValue>,
  data: Object.freeze(Object.create(null)) as Record<string, Record<string, string>>,
  vu: 0,
  iteration: 0,
  scenario: "",
});

/**
 * An evaluation error: what went wrong and where in the expression's string (`offset`, 0-based,
 * into the template's source). Thrown at load while folding constants (reported as a config
 * issue) and at run time (the step running the template fails with its location).
 */
export class ExpressionError extends Error {
  /** `cause`: the error this one reports (kept, e.g. a plugin's failure that is counted, core/flow/interpreter.ts). */
  constructor(
    message: string,
    readonly offset: number,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "ExpressionError";
  }
}

/** How a value reads in a template: numbers as JS `String(x)`, booleans as true/false, null as "". */
export function render(value: Value): string {
  if (typeof value === "string") return value;
  return value === null ? "" : String(value);
}

/** False for false, null, 0, "", "false" and "0" (the bare conditions' rule); true otherwise. */
export function truthy(value: Value): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  return value !== null && value !== "" && value !== "false" && value !== "0";
}

/** A number, or a string holding one (`Number(text)`, finite, not blank); undefined otherwise. */
function numeric(value: Value): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** How a value is named in an error message: `'abc'`, `12`, `true`, `null`. */
export function describe(value: Value): string {
  if (typeof value === "string") return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return String(value);
}

/** `value` as a number, or an ExpressionError at `offset` naming `what` needed it. */
export function toNumber(value: Value, what: string, offset: number): number {
  const n = numeric(value);
  if (n !== undefined) return n;
  const unset = value === null ? " (an unset variable is null)" : "";
  throw new ExpressionError(`${what} needs a number, got ${describe(value)}${unset}`, offset);
}

/** `value` as an integer, or an ExpressionError. */
export function toInteger(value: Value, what: string, offset: number): number {
  const n = toNumber(value, what, offset);
  if (!Number.isInteger(n)) throw new ExpressionError(`${what} needs an integer, got ${describe(value)}`, offset);
  return checkNumber(n, what, offset);
}

/** A number result, checked: finite and within ±MAX_NUMBER. */
export function checkNumber(n: number, what: string, offset: number): number {
  if (Number.isNaN(n)) throw new ExpressionError(`${what} is not a number`, offset);
  if (!Number.isFinite(n) || Math.abs(n) > MAX_NUMBER) {
    throw new ExpressionError(`${what} is past ±2^53 (${MAX_NUMBER}), where numbers lose integer precision`, offset);
  }
  return n;
}

/** The length of a string about to be built, checked against MAX_STRING_LENGTH before it is. */
export function checkLength(length: number, what: string, offset: number): void {
  if (length > MAX_STRING_LENGTH) throw new ExpressionError(`${what} is longer than ${MAX_STRING_LENGTH} characters`, offset);
}

export type ComparisonOp = "==" | "!=" | "<" | "<=" | ">" | ">=";

/**
 * Compares as numbers when both sides are numeric (numbers or numeric strings), else as the
 * rendered strings (JS code-unit order). So `'10' > 9`, `1 == '1.0'` and `null == ''` hold.
 */
export function compare(a: Value, op: ComparisonOp, b: Value): boolean {
  const x = numeric(a);
  const y = numeric(b);
  const [l, r]: [number | string, number | string] = x !== undefined && y !== undefined ? [x, y] : [render(a), render(b)];
  switch (op) {
    case "==":
      return l === r;
    case "!=":
      return l !== r;
    case "<":
      return l < r;
    case "<=":
      return l <= r;
    case ">":
      return l > r;
    case ">=":
      return l >= r;
  }
}
