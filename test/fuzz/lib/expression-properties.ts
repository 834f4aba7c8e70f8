// Properties of `${...}` templates (config/templates.ts) and `if:`/`while:` conditions
// (config/conditions.ts): on any source text, compile and render/evaluate never throw and give a
// string/boolean; and against a small model of the documented grammar, a template built from known
// parts renders to what the model says (lookups on own properties only: `${env.constructor}` is
// unset, never Object's), and a condition built from a random tree evaluates as the model does.
import fc from "fast-check";
import { compileCondition } from "../../../src/config/conditions.ts";
import type { TemplateScope } from "../../../src/config/plan.ts";
import { compileTemplate, type TemplateContext } from "../../../src/config/templates.ts";
import { fuzzProperty, type FuzzProperty } from "./harness.ts";

/** Names that are members of every plain object: a lookup that is not own-only finds them. */
const PROTO_NAMES = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf", "prototype"];
const name = fc.oneof(fc.constantFrom(...PROTO_NAMES, "A", "b_1", "HOST", "x-y"), fc.stringMatching(/^[A-Za-z_][\w-]{0,6}$/));
const value = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("", "0", "false", "12", "-3.5", "${", "}"));

/** An object with exactly these own properties (`__proto__` included, as an own key). */
function ownRecord<V>(entries: ReadonlyArray<readonly [string, V]>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}
const record = <V>(arb: fc.Arbitrary<V>) => fc.array(fc.tuple(name, arb), { maxLength: 5 }).map((e) => ownRecord(e));

interface Ctx {
  env: Record<string, string>;
  mode: "run" | "validate";
  feeds: Map<string, string[] | undefined>;
  runtime: boolean;
}
const ctxArb: fc.Arbitrary<Ctx> = fc.record({
  env: record(value),
  mode: fc.constantFrom("run" as const, "validate" as const),
  feeds: fc.array(fc.tuple(name, fc.option(fc.array(name, { maxLength: 3 }), { nil: undefined })), { maxLength: 3 }).map((e) => new Map(e)),
  runtime: fc.boolean(),
});
const scopeArb: fc.Arbitrary<TemplateScope> = fc.record({
  vars: record(value),
  data: record(record(value)),
  vu: fc.nat(),
  iteration: fc.nat(),
  scenario: fc.string({ maxLength: 6 }),
});

/** A TemplateContext over `c` that records what it was told. */
function context(c: Ctx): TemplateContext & { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  return { ...c, errors, warnings, error: (m) => void errors.push(m), warn: (m) => void warnings.push(m) };
}

/** Template sources: `${`-dense noise over the expression vocabulary. */
const templateNoise = fc
  .array(fc.oneof(
    fc.constantFrom("${", "$${", "}", "$", ":-", ".", "(", ")", ",", " ", "env", "vars", "data", "vu", "iteration", "scenario", "uuid", "timestamp", "randomInt", "-1", "99999999999999999999"),
    name,
    fc.string({ maxLength: 4 }),
  ), { maxLength: 30 })
  .map((parts) => parts.join(""));

/**
 * Condition sources: operators, quotes, parentheses and operands in any order. With `lone`, also
 * single "=", "&" and "|" characters (which config/conditions.ts's tokenizer never gets past).
 */
function conditionNoise(lone: boolean): fc.Arbitrary<string> {
  const text = lone ? fc.string({ maxLength: 4 }) : fc.string({ maxLength: 4 }).map((t) => t.replace(/[=&|]/g, ""));
  return fc
    .array(fc.oneof(
      fc.constantFrom("&&", "||", "!", "(", ")", "==", "!=", "<", "<=", ">", ">=", "contains", "matches", "'", '"', " ", "${vars.a}", "${", "[", "(?", "*", "\\"),
      name,
      text,
      ...(lone ? [fc.constantFrom("=", "&", "|", "a=b", "x & y")] : []),
    ), { maxLength: 25 })
    .map((parts) => parts.join(" "));
}

// ---- the template model: parts whose rendering the model knows ----------------------------------

type Part =
  | { kind: "text"; text: string }
  | { kind: "escape" }
  | { kind: "env"; name: string; fallback?: string }
  | { kind: "vars"; name: string }
  | { kind: "data"; feed: string; column: string }
  | { kind: "vu" | "iteration" | "scenario" | "uuid" | "timestamp" }
  | { kind: "randomInt"; min: number; max: number };

const partArb: fc.Arbitrary<Part> = fc.oneof(
  fc.string({ maxLength: 6 }).filter((t) => !t.includes("$")).map((text): Part => ({ kind: "text", text })),
  fc.constant<Part>({ kind: "escape" }),
  fc.tuple(name, fc.option(fc.string({ maxLength: 5 }).filter((t) => !t.includes("}")), { nil: undefined })).map(([n, fallback]): Part => ({ kind: "env", name: n, ...(fallback !== undefined ? { fallback } : {}) })),
  name.map((n): Part => ({ kind: "vars", name: n })),
  fc.tuple(name, name).map(([feed, column]): Part => ({ kind: "data", feed, column })),
  fc.constantFrom<Part>({ kind: "vu" }, { kind: "iteration" }, { kind: "scenario" }, { kind: "uuid" }, { kind: "timestamp" }),
  fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 })).map(([min, span]): Part => ({ kind: "randomInt", min, max: min + span })),
);

function sourceOf(p: Part): string {
  switch (p.kind) {
    case "text":
      return p.text;
    case "escape":
      return "$${";
    case "env":
      return `\${env.${p.name}${p.fallback !== undefined ? `:-${p.fallback}` : ""}}`;
    case "vars":
      return `\${vars.${p.name}}`;
    case "data":
      return `\${data.${p.feed}.${p.column}}`;
    case "randomInt":
      return `\${randomInt(${p.min},${p.max})}`;
    default:
      return `\${${p.kind}}`;
  }
}

const own = <V>(o: Record<string, V>, k: string): V | undefined => (Object.hasOwn(o, k) ? o[k] : undefined);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What the model expects: a pattern for the rendering and whether compiling reports an error. */
function model(parts: Part[], c: Ctx, scope: TemplateScope): { pattern: string; error: boolean } {
  let pattern = "";
  let error = false;
  const runtimeRef = (p: string) => {
    if (!c.runtime) error = true;
    return c.runtime ? p : "";
  };
  for (const p of parts) {
    switch (p.kind) {
      case "text":
        pattern += escape(p.text);
        break;
      case "escape":
        pattern += escape("${");
        break;
      case "env": {
        const v = own(c.env, p.name);
        if (v !== undefined && v !== "") pattern += escape(v);
        else if (p.fallback !== undefined) pattern += escape(p.fallback);
        else if (c.mode === "run") error = true;
        break;
      }
      case "vars":
        pattern += runtimeRef(escape(String(own(scope.vars, p.name) ?? "")));
        break;
      case "data": {
        if (!c.feeds.has(p.feed)) {
          error = true;
          break;
        }
        const columns = c.feeds.get(p.feed);
        if (columns && !columns.includes(p.column)) {
          error = true;
          break;
        }
        const row = own(scope.data, p.feed);
        pattern += runtimeRef(escape(row !== undefined ? own(row, p.column) ?? "" : ""));
        break;
      }
      case "vu":
        pattern += runtimeRef(String(scope.vu));
        break;
      case "iteration":
        pattern += runtimeRef(String(scope.iteration));
        break;
      case "scenario":
        pattern += runtimeRef(escape(scope.scenario));
        break;
      case "uuid":
        pattern += runtimeRef("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        break;
      case "timestamp":
        pattern += runtimeRef("\\d{13}");
        break;
      case "randomInt":
        pattern += runtimeRef("-?\\d+");
        break;
    }
  }
  return { pattern, error };
}

// ---- the condition model: a random tree printed with explicit parentheses ------------------------

type Cond =
  | { kind: "and" | "or"; left: Cond; right: Cond }
  | { kind: "not"; inner: Cond }
  | { kind: "operand"; text: string; quoted: boolean }
  | { kind: "compare"; op: "==" | "!=" | "<" | "<=" | ">" | ">=" | "contains"; left: Operand; right: Operand }
  | { kind: "matches"; left: Operand; pattern: string };
type Operand = { text: string; quoted: boolean };

const operandArb: fc.Arbitrary<Operand> = fc.oneof(
  fc.oneof(fc.integer({ min: -50, max: 50 }).map(String), fc.constantFrom("0", "false", "true", "1.5", "abc", "ab", "b")).map((text) => ({ text, quoted: false })),
  fc.string({ maxLength: 5 }).filter((t) => !/['$]/.test(t)).map((text) => ({ text, quoted: true })),
);
const condArb: fc.Arbitrary<Cond> = fc.letrec<{ cond: Cond }>((tie) => ({
  cond: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    operandArb.map((o): Cond => ({ kind: "operand", ...o })),
    fc.tuple(fc.constantFrom("==", "!=", "<", "<=", ">", ">=", "contains"), operandArb, operandArb).map(([op, left, right]): Cond => ({ kind: "compare", op, left, right })),
    fc.tuple(operandArb, fc.constantFrom("^a", "b$", "[0-9]+", "x|y", "^$")).map(([left, pattern]): Cond => ({ kind: "matches", left, pattern })),
    tie("cond").map((inner): Cond => ({ kind: "not", inner })),
    fc.tuple(fc.constantFrom("and" as const, "or" as const), tie("cond"), tie("cond")).map(([kind, left, right]): Cond => ({ kind, left, right })),
  ),
})).cond;

const operandText = (o: Operand) => (o.quoted ? `'${o.text}'` : o.text);

function conditionText(c: Cond): string {
  switch (c.kind) {
    case "and":
      return `(${conditionText(c.left)}) && (${conditionText(c.right)})`;
    case "or":
      return `(${conditionText(c.left)}) || (${conditionText(c.right)})`;
    case "not":
      return `!(${conditionText(c.inner)})`;
    case "operand":
      return operandText(c);
    case "compare":
      return `${operandText(c.left)} ${c.op} ${operandText(c.right)}`;
    case "matches":
      return `${operandText(c.left)} matches '${c.pattern}'`;
  }
}

function numberOf(text: string): number | undefined {
  if (text.trim() === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function evaluateModel(c: Cond): boolean {
  switch (c.kind) {
    case "and":
      return evaluateModel(c.left) && evaluateModel(c.right);
    case "or":
      return evaluateModel(c.left) || evaluateModel(c.right);
    case "not":
      return !evaluateModel(c.inner);
    case "operand":
      return c.text !== "" && c.text !== "false" && c.text !== "0";
    case "matches":
      return new RegExp(c.pattern).test(c.left.text);
    case "compare": {
      const [a, b] = [c.left.text, c.right.text];
      if (c.op === "contains") return a.includes(b);
      const x = numberOf(a);
      const y = numberOf(b);
      const [l, r]: [number | string, number | string] = x !== undefined && y !== undefined ? [x, y] : [a, b];
      return { "==": l === r, "!=": l !== r, "<": l < r, "<=": l <= r, ">": l > r, ">=": l >= r }[c.op];
    }
  }
}

const EMPTY_SCOPE: TemplateScope = { vars: {}, data: {}, vu: 1, iteration: 0, scenario: "s" };

export const EXPRESSION_PROPERTIES: FuzzProperty<void>[] = [
  fuzzProperty<void, [string, Ctx, TemplateScope[]]>(
    { id: "expressions/template-noise", runs: 1_000, claim: "compileTemplate and render never throw on any source; render gives a string" },
    () =>
      fc.property(templateNoise, ctxArb, fc.array(scopeArb, { minLength: 1, maxLength: 3 }), (source, c, scopes) => {
        const t = compileTemplate(source, context(c));
        for (const scope of scopes) if (typeof t.render(scope) !== "string") throw new Error("render did not give a string");
      }),
  ),
  fuzzProperty<void, [Part[], Ctx, TemplateScope]>(
    {
      id: "expressions/template-model",
      runs: 1_000,
      claim: "a template of known parts renders as the model says (own properties only) and reports an error exactly when the model does",
    },
    () =>
      fc.property(fc.array(partArb, { maxLength: 8 }), ctxArb, scopeArb, (parts, c, scope) => {
        const ctx = context(c);
        const rendered = compileTemplate(parts.map(sourceOf).join(""), ctx).render(scope);
        const expected = model(parts, c, scope);
        if (!new RegExp(`^${expected.pattern}$`, "s").test(rendered)) throw new Error(`rendered ${JSON.stringify(rendered)}, the model expects /^${expected.pattern}$/`);
        if (expected.error !== ctx.errors.length > 0) throw new Error(`errors ${JSON.stringify(ctx.errors)}, the model expects ${expected.error ? "one" : "none"}`);
      }),
  ),
  ...[false, true].map((lone) =>
    fuzzProperty<void, [string, Ctx, TemplateScope]>(
      {
        id: lone ? "expressions/condition-any-text" : "expressions/condition-noise",
        runs: 1_000,
        claim: `compileCondition and evaluate never throw or hang on any source${lone ? " (lone '=', '&', '|' included)" : ""}; evaluate gives a boolean`,
        ...(lone
          ? {
              knownFailure:
                "config/conditions.ts `tokenize`: a lone '=', '&' or '|' (e.g. `if: \"a = b\"`) is an empty bare word that never advances, so compiling loops forever, pushing tokens: `loadr validate` grows past 590 MB in 7 s, and a plan submitted to a controller freezes it (issue 11 item 6's class)",
            }
          : {}),
      },
      () =>
        fc.property(conditionNoise(lone), ctxArb, scopeArb, (source, c, scope) => {
          const cond = compileCondition(source, context({ ...c, runtime: true }));
          if (typeof cond.evaluate(scope) !== "boolean") throw new Error("evaluate did not give a boolean");
        }),
    ),
  ),
  fuzzProperty<void, [Cond]>(
    { id: "expressions/condition-model", runs: 1_000, claim: "a condition printed from a random tree compiles without error and evaluates as the documented grammar says" },
    () =>
      fc.property(condArb, (tree) => {
        const ctx = context({ env: {}, mode: "run", feeds: new Map(), runtime: true });
        const source = conditionText(tree);
        const got = compileCondition(source, ctx).evaluate(EMPTY_SCOPE);
        if (ctx.errors.length > 0) throw new Error(`"${source}" did not compile: ${ctx.errors.join("; ")}`);
        if (got !== evaluateModel(tree)) throw new Error(`"${source}" evaluated to ${got}, the grammar gives ${!got}`);
      }),
  ),
];
