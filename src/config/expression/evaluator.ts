// The evaluator: a syntax tree (ast.ts) compiled once at load into a function of the VU's scope.
// At load it resolves every name (vars, data feeds and their columns, env, functions) and reports
// what is wrong at the offending token with a "did you mean"; it folds constant sub-expressions
// (so `${1 / 0}` is a load error) and trial-calls random functions with constant arguments (so
// `${randomInt(5, 1)}` is one too). Per use, the function reads the scope by own properties only
// and throws ExpressionError for what only a run can reveal (docs/expressions.md "Errors").
import type { Value } from "../plan.ts";
import { didYouMean } from "../suggest.ts";
import type { TemplateContext } from "../templates.ts";
import type { Node } from "./ast.ts";
import { FUNCTIONS, functionNamed } from "./functions.ts";
import { binary, unary, type Run } from "./operators.ts";
import { EMPTY_SCOPE, ExpressionError } from "./values.ts";

/** Names of variables (`vars.NAME`, `set:`, `extract:`) and of env vars. */
export const VARIABLE_NAME = /^[A-Za-z_][\w-]*$/;

export interface CompiledExpression {
  /** Throws ExpressionError (its message names the expression) for a run-time error. */
  readonly evaluate: Run;
  /** True when the value does not depend on the scope (it was computed at load). */
  readonly isStatic: boolean;
}

const REFERENCES = ["vars", "data", "env", "setup", "vu", "iteration", "scenario"];
const NAMES_HINT = `names: vars.NAME, data.FEED.COLUMN, env.NAME, setup.KEY, vu, iteration, scenario; functions: ${Object.keys(FUNCTIONS).join(", ")}`;

interface Part {
  run: Run;
  /** Computed at load (no scope reference, no random or clock function). */
  constant: boolean;
  /** A problem was reported here: the parts around it report nothing more. */
  broken?: true;
}

const BROKEN: Part = { run: () => null, constant: true, broken: true };

/**
 * Compiles `node`, parsed from the expression text `label` (for messages: `${label}: ...`).
 * Problems go to `ctx` with their offset; the result then evaluates to null.
 */
export function compileExpression(node: Node, label: string, ctx: TemplateContext): CompiledExpression {
  const prefix = `\${${label.trim()}}`;
  const report = (message: string, offset: number, hint?: string): Part => {
    ctx.error(`${prefix}: ${message}`, hint, offset);
    return BROKEN;
  };
  const constant = (value: Value): Part => ({ run: () => value, constant: true });
  const runtime = (run: Run, what: string, offset: number): Part => {
    if (ctx.runtime) return { run, constant: false };
    return report(`${what} is not known when the plan loads; only env.NAME and constants can be used here`, offset);
  };
  /** Folds a part whose inputs are constant into its value, reporting an error at load. */
  const fold = (part: Part): Part => {
    if (!part.constant) return part;
    try {
      return constant(part.run(EMPTY_SCOPE));
    } catch (error) {
      if (error instanceof ExpressionError) return report(error.message, error.offset);
      throw error;
    }
  };

  const reference = (node: Node & { kind: "ref" }): Part => {
    const [head, ...rest] = node.path as [string, ...string[]];
    const text = node.path.join(".");
    const arity = (count: number, form: string): Part | undefined =>
      rest.length === count ? undefined : report(`write ${form}${rest.length > count ? `; ${text} has too many parts` : ""}`, node.start);
    switch (head) {
      case "vars": {
        const bad = arity(1, "vars.NAME");
        if (bad) return bad;
        const name = rest[0]!;
        if (!VARIABLE_NAME.test(name)) return report(`"${name}" is not a variable name`, node.start + 5);
        if (/-\d+$/.test(name)) {
          const cut = name.lastIndexOf("-");
          ctx.warn(`${prefix}: ${text} reads the variable named "${name}"; to subtract, write vars.${name.slice(0, cut)} - ${name.slice(cut + 1)}`, undefined, node.start);
        }
        return runtime((s) => (Object.hasOwn(s.vars, name) ? s.vars[name]! : null), text, node.start);
      }
      case "data": {
        const bad = arity(2, "data.FEED.COLUMN");
        if (bad) return bad;
        const [feed, column] = rest as [string, string];
        if (!ctx.feeds.has(feed)) {
          const names = [...ctx.feeds.keys()];
          const hint = names.length ? `feeds: ${names.join(", ")}` : "declare it under data:, e.g. data: { users: { csv: users.csv } }";
          return report(`no data feed "${feed}"${didYouMean(feed, names)}`, node.start + 5, hint);
        }
        const columns = ctx.feeds.get(feed);
        if (columns && !columns.includes(column)) {
          return report(`feed "${feed}" has no column "${column}"${didYouMean(column, columns)}`, node.start + 6 + feed.length, `columns: ${columns.join(", ")}`);
        }
        return runtime(
          (s) => {
            const row = Object.hasOwn(s.data, feed) ? s.data[feed] : undefined;
            return row !== undefined && Object.hasOwn(row, column) ? row[column]! : "";
          },
          text,
          node.start,
        );
      }
      case "env": {
        const bad = arity(1, "env.NAME");
        if (bad) return bad;
        return constant(envValue(rest[0]!, node.start + 4, ctx, report));
      }
      case "setup": {
        // What the hooks module's setup() returned (JSON): setup.token, setup.user.id, setup.items.0.
        if (rest.length === 0) return report("write setup.KEY (a key of what the hooks module's setup() returns)", node.start);
        return runtime((s) => setupValue(s.setup, rest), text, node.start);
      }
      case "vu":
      case "iteration":
      case "scenario": {
        const bad = arity(0, head);
        if (bad) return bad;
        const run: Run = head === "vu" ? (s) => s.vu : head === "iteration" ? (s) => s.iteration : (s) => s.scenario;
        return runtime(run, head, node.start);
      }
    }
    // `${uuid}` and `${timestamp}`: calls without parentheses, as templates always wrote them.
    if (rest.length === 0 && (head === "uuid" || head === "timestamp")) return call({ kind: "call", name: head, args: [], start: node.start });
    if (rest.length === 0 && functionNamed(head)) return report(`${head} is a function: write ${head}(${functionNamed(head)!.params})`, node.start);
    const suggestion = didYouMean(head, [...REFERENCES, "uuid", "timestamp"]) || (rest.length === 0 ? `; to read a variable, write vars.${head}` : "");
    return report(`unknown name "${head}"${suggestion}`, node.start, NAMES_HINT);
  };

  const call = (node: Node & { kind: "call" }): Part => {
    const fn = functionNamed(node.name);
    if (!fn) return report(`unknown function "${node.name}"${didYouMean(node.name, Object.keys(FUNCTIONS))}`, node.start, `functions: ${Object.keys(FUNCTIONS).join(", ")}`);
    const n = node.args.length;
    if (n < fn.minArgs || n > fn.maxArgs) {
      const wanted = fn.minArgs === fn.maxArgs ? `${fn.minArgs}` : fn.maxArgs > 8 ? `at least ${fn.minArgs}` : `${fn.minArgs} to ${fn.maxArgs}`;
      const plural = wanted === "1" || wanted.endsWith(" 1") ? "" : "s";
      return report(`${node.name}(${fn.params}) takes ${wanted} argument${plural}, got ${n}`, node.start);
    }
    const args = node.args.map(part);
    if (args.some((a) => a.broken)) return BROKEN;
    const at = node.start;
    const run: Run = (s) => fn.call(args.map((a) => a.run(s)), at);
    const allConstant = args.every((a) => a.constant);
    if (fn.pure) return fold({ run, constant: allConstant });
    if (allConstant) {
      // A random or clock function with constant arguments: one trial call finds bad bounds now.
      try {
        run(EMPTY_SCOPE);
      } catch (error) {
        if (error instanceof ExpressionError) return report(error.message, error.offset);
        throw error;
      }
    }
    return runtime(run, `${node.name}()`, node.start);
  };

  const part = (node: Node): Part => {
    switch (node.kind) {
      case "literal":
        return constant(node.value);
      case "ref":
        return reference(node);
      case "call":
        return call(node);
      case "unary": {
        const operand = part(node.operand);
        if (operand.broken) return BROKEN;
        return fold({ run: unary(node, operand.run), constant: operand.constant });
      }
      case "binary": {
        const left = part(node.left);
        const right = part(node.right);
        if (left.broken || right.broken) return BROKEN;
        return fold({ run: binary(node, left.run, right.run), constant: left.constant && right.constant });
      }
    }
  };

  const whole = part(node);
  const run = whole.run;
  // A plain reference (`${vars.token}`, `${vu}`), the most common template, cannot throw.
  if (node.kind === "ref" && !whole.constant) return { isStatic: false, evaluate: run };
  return {
    isStatic: whole.constant,
    evaluate: (scope) => {
      try {
        return run(scope);
      } catch (error) {
        if (error instanceof ExpressionError) throw new ExpressionError(`${prefix}: ${error.message}`, error.offset);
        throw error;
      }
    },
  };
}

/** The value at `path` in setup data: scalars as they are, objects and lists as JSON text, null when absent. */
function setupValue(data: unknown, path: readonly string[]): Value {
  let at: unknown = data;
  for (const key of path) {
    if (typeof at !== "object" || at === null || !Object.hasOwn(at, key)) return null;
    at = (at as Record<string, unknown>)[key];
  }
  if (at === null || at === undefined) return null;
  if (typeof at === "string" || typeof at === "boolean") return at;
  if (typeof at === "number") return Number.isFinite(at) ? at : null;
  return JSON.stringify(at);
}

function envValue(name: string, offset: number, ctx: TemplateContext, report: (message: string, offset: number) => unknown): string {
  if (!VARIABLE_NAME.test(name)) {
    report(`"${name}" is not an environment variable name`, offset);
    return "";
  }
  // Own properties only: `env.constructor` must not find Object.prototype's members.
  const value = Object.hasOwn(ctx.env, name) ? ctx.env[name] : undefined;
  if (value !== undefined && value !== "") return value;
  const example = /URL|URI|HOST/i.test(name) ? "http://localhost:8080" : "default";
  const message = `environment variable ${name} is not set; set it or write \${env.${name}:-${example}}`;
  if (ctx.mode === "run") ctx.error(message, undefined, offset);
  else ctx.warn(message, undefined, offset);
  return "";
}
