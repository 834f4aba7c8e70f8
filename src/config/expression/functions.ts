// The expression language's functions (docs/expressions.md "Functions"): one table, read by the
// evaluator (arity checked at load, "did you mean" for unknown names) and checked against
// docs/expressions.md by test/unit/config/expression/docs.test.ts.
// A function is called synchronously on the VU's task; it throws ExpressionError at `at` (the
// call's offset) for bad arguments, and checks every number and string it returns.
import type { Value } from "../plan.ts";
import { checkLength, checkNumber, ExpressionError, render, toInteger, toNumber } from "./values.ts";

/** A function templates may call (`${name(args)}`): the built-ins below, and any a plugin registers (PlanSyntax.functions). */
export interface TemplateFunction {
  /** The parameters as the docs show them, e.g. `s, start, len?`. */
  readonly params: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** False for random and clock functions: never folded into a constant at load. */
  readonly pure: boolean;
  call(args: readonly Value[], at: number): Value;
}

const text = (fn: (s: string) => Value): TemplateFunction => ({ params: "s", minArgs: 1, maxArgs: 1, pure: true, call: ([s]) => fn(render(s!)) });
const test = (fn: (s: string, t: string) => boolean): TemplateFunction => ({
  params: "s, t",
  minArgs: 2,
  maxArgs: 2,
  pure: true,
  call: ([s, t]) => fn(render(s!), render(t!)),
});

/** A boolean reads as 1 or 0 where a number is asked for explicitly (int, float). */
const number = (value: Value, what: string, at: number): number => (typeof value === "boolean" ? Number(value) : toNumber(value, what, at));

const extreme = (name: string, pick: (...xs: number[]) => number): TemplateFunction => ({
  params: "x, y, ...",
  minArgs: 1,
  maxArgs: 64,
  pure: true,
  call: (args, at) => pick(...args.map((x, i) => toNumber(x, `${name}'s argument ${i + 1}`, at))),
});

/** By name; a null-prototype object, so no name finds Object.prototype's members. */
export const FUNCTIONS: Readonly<Record<string, TemplateFunction>> = Object.freeze(Object.assign(Object.create(null) as Record<string, TemplateFunction>, {
  lower: text((s) => s.toLowerCase()),
  upper: text((s) => s.toUpperCase()),
  trim: text((s) => s.trim()),
  len: text((s) => s.length),
  contains: test((s, t) => s.includes(t)),
  startsWith: test((s, t) => s.startsWith(t)),
  endsWith: test((s, t) => s.endsWith(t)),
  substr: {
    params: "s, start, len?",
    minArgs: 2,
    maxArgs: 3,
    pure: true,
    call([s, start, len], at) {
      const str = render(s!);
      const from = toInteger(start!, "substr's start", at);
      const first = from < 0 ? Math.max(0, str.length + from) : Math.min(from, str.length);
      if (len === undefined) return str.slice(first);
      const count = toInteger(len, "substr's len", at);
      if (count < 0) throw new ExpressionError(`substr's len must not be negative, got ${count}`, at);
      return str.slice(first, first + count);
    },
  },
  replace: {
    params: "s, find, with",
    minArgs: 3,
    maxArgs: 3,
    pure: true,
    call([s, find, by], at) {
      const [text, what, replacement] = [render(s!), render(find!), render(by!)];
      if (replacement.length > what.length) {
        // Sized before it is built: every occurrence grows the result by the difference.
        checkLength(text.length + occurrences(text, what) * (replacement.length - what.length), "replace's result", at);
      }
      return text.replaceAll(what, replacement);
    },
  },
  int: { params: "x", minArgs: 1, maxArgs: 1, pure: true, call: ([x], at) => checkNumber(Math.trunc(number(x!, "int", at)), "int's result", at) },
  float: { params: "x", minArgs: 1, maxArgs: 1, pure: true, call: ([x], at) => checkNumber(number(x!, "float", at), "float's result", at) },
  str: { params: "x", minArgs: 1, maxArgs: 1, pure: true, call: ([x]) => render(x!) },
  round: {
    params: "x, digits?",
    minArgs: 1,
    maxArgs: 2,
    pure: true,
    call([x, digits], at) {
      const n = toNumber(x!, "round", at);
      const d = digits === undefined ? 0 : toInteger(digits, "round's digits", at);
      if (d < 0 || d > 15) throw new ExpressionError(`round's digits must be 0 to 15, got ${d}`, at);
      const scale = 10 ** d;
      return checkNumber(Math.round(n * scale) / scale, "round's result", at);
    },
  },
  min: extreme("min", Math.min),
  max: extreme("max", Math.max),
  abs: { params: "x", minArgs: 1, maxArgs: 1, pure: true, call: ([x], at) => Math.abs(toNumber(x!, "abs", at)) },
  randomInt: {
    params: "min, max",
    minArgs: 2,
    maxArgs: 2,
    pure: false,
    call([a, b], at) {
      const min = toInteger(a!, "randomInt's min", at);
      const max = toInteger(b!, "randomInt's max", at);
      if (min > max) throw new ExpressionError(`randomInt: the minimum ${min} is greater than the maximum ${max}`, at);
      const span = max - min + 1;
      if (span > Number.MAX_SAFE_INTEGER) throw new ExpressionError(`randomInt: the range ${min}..${max} is wider than 2^53`, at);
      return min + Math.floor(Math.random() * span);
    },
  },
  uuid: { params: "", minArgs: 0, maxArgs: 0, pure: false, call: () => crypto.randomUUID() },
  timestamp: { params: "", minArgs: 0, maxArgs: 0, pure: false, call: () => Date.now() },
} satisfies Record<string, TemplateFunction>));

/** Functions by name (`PlanSyntax.functions`): FUNCTIONS merged with the plugins' (src/plugin-api/merge.ts). */
export type TemplateFunctions = Readonly<Record<string, TemplateFunction>>;

/** The function called `name` in `table` (default the built-ins), looked up on own properties only. */
export function functionNamed(name: string, table: TemplateFunctions = FUNCTIONS): TemplateFunction | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** How many times `what` occurs in `text`, as replaceAll counts them ("" occurs between every character). */
function occurrences(text: string, what: string): number {
  if (what === "") return text.length + 1;
  let count = 0;
  for (let i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length)) count++;
  return count;
}
