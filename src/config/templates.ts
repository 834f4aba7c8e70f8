// `${...}` templates in plan strings, compiled once at load and rendered per use. Inside `${ }` is
// an expression of the language in config/expression/ (docs/expressions.md): references, literals,
// operators and functions, e.g.
//
//   ${env.NAME}            the environment at LOAD time (a scenario's `env` overrides the process's)
//   ${env.NAME:-default}   ... with a default (the text up to "}") when NAME is unset or empty
//   ${vars.name}           a VU variable (from `extract` or `set`); "" when unset
//   ${data.feed.column}    the column of the VU's current row of a data feed
//   ${vu} ${iteration} ${scenario}   the VU number, its iteration number, the scenario name
//   ${uuid} ${timestamp} ${randomInt(1,10)}   a random UUID, ms since epoch, an integer in [1, 10]
//   ${vars.n + 1} ${lower(vars.name)} ${vars.n < 5}   any expression
//   $${                    a literal "${"
//
// A template that is exactly one `${expression}` has that expression's typed value (`evaluate`);
// any other renders to a string. Values render as config/expression/values.ts `render` says.
// Problems go to the context's reporter with the offset of the offending character; compile then
// still returns a template, so loading can go on and collect them all.
import type { Path } from "./issues.ts";
import type { JsonTemplate, Template, TemplateScope, VarValue } from "./plan.ts";
import { compileExpression, type CompiledExpression } from "./expression/evaluator.ts";
import type { TemplateFunctions } from "./expression/functions.ts";
import { lex } from "./expression/lexer.ts";
import { parseTokens } from "./expression/parser.ts";
import { EMPTY_SCOPE, render } from "./expression/values.ts";

export interface TemplateContext {
  env: Record<string, string | undefined>;
  /** "run": an unset env var without default is an error; "validate": a warning. */
  mode: "run" | "validate";
  /** Feed name → its columns (undefined when the feed's file could not be read). */
  feeds: ReadonlyMap<string, readonly string[] | undefined>;
  /** False where only load-time values make sense (baseUrl): runtime references are errors. */
  runtime: boolean;
  /** The functions templates may call (PlanSyntax.functions: the built-ins and the plugins'); absent: the built-ins. */
  functions?: TemplateFunctions;
  /** `offset`: the 0-based character of the compiled string the problem is at (absent: the string). */
  error(message: string, hint?: string, offset?: number): void;
  warn(message: string, hint?: string, offset?: number): void;
}

export { EMPTY_SCOPE };

/** `${env.NAME:-` opens the one form whose rest, up to "}", is text and not an expression. */
const ENV_DEFAULT = /^\s*env\.([A-Za-z_][\w-]*)\s*:-/;

/** A template with no `${...}` processing: its value is `value` (a string, number or boolean). */
export function literalTemplate(value: VarValue): Template {
  const text = String(value);
  return { source: text, isStatic: true, render: () => text, evaluate: () => value };
}

/** `ctx` for a string that sits `delta` characters into the string `ctx` reports on. */
export function shiftContext(ctx: TemplateContext, delta: number): TemplateContext {
  return {
    ...ctx,
    error: (message, hint, offset) => ctx.error(message, hint, (offset ?? 0) + delta),
    warn: (message, hint, offset) => ctx.warn(message, hint, (offset ?? 0) + delta),
  };
}

/** True when `text` is exactly one `${...}`, nothing around it (or an unclosed/unreadable one). */
export function isWholeExpression(text: string): boolean {
  if (!text.startsWith("${")) return false;
  const lexed = lex(text, 2, true);
  return !lexed.ok || lexed.end === text.length - 1;
}

export function compileTemplate(source: string, ctx: TemplateContext): Template {
  const parts: Array<string | CompiledExpression> = [];
  let text = "";
  let i = 0;
  while (i < source.length) {
    if (source.startsWith("$${", i)) {
      text += "${";
      i += 3;
      continue;
    }
    if (!source.startsWith("${", i)) {
      text += source[i];
      i++;
      continue;
    }
    const envDefault = ENV_DEFAULT.exec(source.slice(i + 2));
    const close = envDefault ? source.indexOf("}", i + 2) : -1;
    if (envDefault && close >= 0) {
      text += envWithDefault(envDefault[1]!, source.slice(i + 2 + envDefault[0].length, close), ctx);
      i = close + 1;
      continue;
    }
    const { part, end } = compilePart(source, i, ctx);
    if (part === undefined) {
      // Not closed: the rest is text, reported; nothing after it is a template.
      text += source.slice(i);
      break;
    }
    if (part.isStatic) text += render(part.evaluate(EMPTY_SCOPE));
    else {
      if (text) parts.push(text);
      text = "";
      parts.push(part);
    }
    if (i === 0 && end === source.length - 1) return wholeTemplate(source, part);
    i = end + 1;
  }
  if (text || parts.length === 0) parts.push(text);
  if (parts.length === 1 && typeof parts[0] === "string") return { ...literalTemplate(parts[0]), source };
  const renderParts = (scope: TemplateScope): string => {
    let out = "";
    for (const part of parts) out += typeof part === "string" ? part : render(part.evaluate(scope));
    return out;
  };
  return { source, isStatic: false, render: renderParts, evaluate: renderParts };
}

/** The template of a string that is exactly one expression: its value keeps its type. */
function wholeTemplate(source: string, expression: CompiledExpression): Template {
  if (expression.isStatic) {
    const value = expression.evaluate(EMPTY_SCOPE);
    const text = render(value);
    return { source, isStatic: true, render: () => text, evaluate: () => value };
  }
  const { evaluate } = expression;
  return { source, isStatic: false, render: (scope) => render(evaluate(scope)), evaluate };
}

/**
 * The expression of the `${` at `at`: lexed up to its `}`, parsed, compiled. `end` is the index of
 * its `}`; `part` is undefined when there is none. A broken expression still yields a part (null).
 */
function compilePart(source: string, at: number, ctx: TemplateContext): { part?: CompiledExpression; end: number } {
  const lexed = lex(source, at + 2, true);
  const broken = (end: number): { part: CompiledExpression; end: number } => ({ part: { isStatic: true, evaluate: () => null }, end });
  if (!lexed.ok) {
    if (lexed.end >= source.length) {
      const unclosed = lexed.error.offset === at; // the lexer points a missing "}" at its "${"
      ctx.error(`"${source}": ${lexed.error.message}`, unclosed ? 'write "$${" for a literal "${"' : undefined, lexed.error.offset);
      return { end: source.length };
    }
    ctx.error(`\${${source.slice(at + 2, lexed.end)}}: ${lexed.error.message}`, undefined, lexed.error.offset);
    return broken(lexed.end);
  }
  const label = source.slice(at + 2, lexed.end);
  const parsed = parseTokens(lexed.tokens);
  if (!parsed.ok) {
    ctx.error(`\${${label.trim()}}: ${parsed.error.message}`, undefined, parsed.error.offset);
    return broken(lexed.end);
  }
  return { part: compileExpression(parsed.node, label, ctx), end: lexed.end };
}

/** `${env.NAME:-default}`: NAME's value when set and not empty, else the default text. */
function envWithDefault(name: string, fallback: string, ctx: TemplateContext): string {
  // Own properties only: `${env.toString:-x}` must not find Object.prototype's members.
  const value = Object.hasOwn(ctx.env, name) ? ctx.env[name] : undefined;
  return value !== undefined && value !== "" ? value : fallback;
}

/**
 * Compiles every string in a JSON-like value (a request's `json:` body) with `compile`, which is
 * given each string's path below `path` (so problems are reported where they are).
 */
export function compileJson(value: unknown, compile: (text: string, path: Path) => Template, path: Path = []): JsonTemplate {
  if (typeof value === "string") return compile(value, path);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return value;
  if (Array.isArray(value)) return value.map((v, i) => compileJson(v, compile, [...path, i]));
  if (typeof value === "object" && value !== undefined) {
    const out: { [key: string]: JsonTemplate } = {};
    for (const [k, v] of Object.entries(value)) out[k] = compileJson(v, compile, [...path, k]);
    return out;
  }
  return null;
}

function isTemplate(value: JsonTemplate): value is Template {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof value.render === "function";
}

/** True when no template in `value` depends on the scope. */
export function isStaticJson(value: JsonTemplate): boolean {
  if (value === null || typeof value !== "object") return true;
  if (isTemplate(value)) return value.isStatic;
  if (Array.isArray(value)) return value.every(isStaticJson);
  return Object.values(value).every(isStaticJson);
}

/** Renders a JSON template into a plain JSON value (template strings render to strings). */
export function renderJson(t: JsonTemplate, scope: TemplateScope): unknown {
  if (t === null || typeof t !== "object") return t;
  if (isTemplate(t)) return t.render(scope);
  if (Array.isArray(t)) return t.map((v) => renderJson(v, scope));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(t)) out[key] = renderJson(t[key]!, scope);
  return out;
}
