// `${...}` templates in plan strings, compiled once at load and rendered per use.
//
//   ${env.NAME}            the environment at LOAD time (a scenario's `env` overrides the process's)
//   ${env.NAME:-default}   ... with a default when NAME is unset or empty
//   ${vars.name}           a VU variable (from `extract` or `set`); "" when unset
//   ${data.feed.column}    the column of the VU's current row of a data feed
//   ${vu} ${iteration} ${scenario}   the VU number, its iteration number, the scenario name
//   ${uuid} ${timestamp} ${randomInt(1,10)}   a random UUID, ms since epoch, an integer in [1, 10]
//   $${                    a literal "${"
//
// Problems (unknown expressions, unknown feeds or columns, unset env vars) go to the context's
// reporter; compile then still returns a template, so loading can go on and collect them all.
import type { Path } from "./issues.ts";
import type { JsonTemplate, Template, TemplateScope } from "./plan.ts";
import { didYouMean } from "./suggest.ts";

export interface TemplateContext {
  env: Record<string, string | undefined>;
  /** "run": an unset env var without default is an error; "validate": a warning. */
  mode: "run" | "validate";
  /** Feed name → its columns (undefined when the feed's file could not be read). */
  feeds: ReadonlyMap<string, readonly string[] | undefined>;
  /** False where only load-time values make sense (baseUrl): runtime references are errors. */
  runtime: boolean;
  error(message: string, hint?: string): void;
  warn(message: string, hint?: string): void;
}

type Part = string | ((scope: TemplateScope) => string);

/** Names of variables (`vars.NAME`, `set:`, `extract:`) and of env vars in templates. */
export const VARIABLE_NAME = /^[A-Za-z_][\w-]*$/;

/** The scope of a render that must not depend on it (static templates, load-time values). */
export const EMPTY_SCOPE: TemplateScope = Object.freeze({
  vars: Object.freeze({}) as Record<string, string>,
  data: Object.freeze({}) as Record<string, Record<string, string>>,
  vu: 0,
  iteration: 0,
  scenario: "",
});
const EXPRESSIONS = "env.NAME, env.NAME:-default, vars.NAME, data.FEED.COLUMN, vu, iteration, scenario, uuid, timestamp, randomInt(MIN,MAX)";

/** A template with no `${...}` processing at all. */
export function literalTemplate(text: string): Template {
  return { source: text, isStatic: true, render: () => text };
}

export function compileTemplate(source: string, ctx: TemplateContext): Template {
  const parts: Part[] = [];
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
    const end = source.indexOf("}", i + 2);
    if (end < 0) {
      ctx.error(`"${source}": "\${" at position ${i + 1} is not closed with "}"`, 'write "$${" for a literal "${"');
      text += source.slice(i);
      break;
    }
    const part = compileExpression(source.slice(i + 2, end), ctx);
    if (typeof part === "string") text += part;
    else {
      if (text) parts.push(text);
      text = "";
      parts.push(part);
    }
    i = end + 1;
  }
  if (text || parts.length === 0) parts.push(text);
  if (parts.every((p) => typeof p === "string")) return { ...literalTemplate(parts.join("")), source };
  return {
    source,
    isStatic: false,
    render: (scope) => {
      let out = "";
      for (const part of parts) out += typeof part === "string" ? part : part(scope);
      return out;
    },
  };
}

/** A load-time constant (string) or a runtime reference (function). */
function compileExpression(raw: string, ctx: TemplateContext): Part {
  const expr = raw.trim();
  const fail = (message: string, hint?: string): Part => {
    ctx.error(message, hint);
    return "";
  };
  const runtimeOnly = (): boolean => {
    if (!ctx.runtime) ctx.error(`\${${expr}} is not known when the plan loads; only \${env.NAME} can be used here`);
    return ctx.runtime;
  };
  if (expr.startsWith("env.")) {
    const sep = expr.indexOf(":-");
    const name = (sep < 0 ? expr.slice(4) : expr.slice(4, sep)).trim();
    if (!VARIABLE_NAME.test(name)) return fail(`\${${expr}}: "${name}" is not an environment variable name`);
    // Own properties only: `${env.constructor}` must not find Object.prototype's members.
    const value = Object.hasOwn(ctx.env, name) ? ctx.env[name] : undefined;
    if (value !== undefined && value !== "") return value;
    if (sep >= 0) return raw.slice(raw.indexOf(":-") + 2);
    const example = /URL|URI|HOST/i.test(name) ? "http://localhost:8080" : "default";
    const message = `environment variable ${name} is not set; set it or write \${env.${name}:-${example}}`;
    if (ctx.mode === "run") ctx.error(message);
    else ctx.warn(message);
    return "";
  }
  if (expr.startsWith("vars.")) {
    const name = expr.slice(5);
    if (!VARIABLE_NAME.test(name)) return fail(`\${${expr}}: "${name}" is not a variable name`);
    if (!runtimeOnly()) return "";
    // Own properties only, and only strings: `${vars.constructor}` is an unset variable.
    return (scope) => (Object.hasOwn(scope.vars, name) ? scope.vars[name] ?? "" : "");
  }
  if (expr.startsWith("data.")) {
    const [feed = "", column, ...rest] = expr.slice(5).split(".");
    if (column === undefined || rest.length > 0) return fail(`\${${expr}}: write \${data.FEED.COLUMN}`);
    if (!ctx.feeds.has(feed)) {
      const names = [...ctx.feeds.keys()];
      return fail(
        `\${${expr}}: no data feed "${feed}"${didYouMean(feed, names)}`,
        names.length ? `feeds: ${names.join(", ")}` : "declare it under data:, e.g. data: { users: { csv: users.csv } }",
      );
    }
    const columns = ctx.feeds.get(feed);
    if (columns && !columns.includes(column)) {
      return fail(`\${${expr}}: feed "${feed}" has no column "${column}"${didYouMean(column, columns)}`, `columns: ${columns.join(", ")}`);
    }
    if (!runtimeOnly()) return "";
    return (scope) => {
      const row = Object.hasOwn(scope.data, feed) ? scope.data[feed] : undefined;
      return row !== undefined && Object.hasOwn(row, column) ? row[column] ?? "" : "";
    };
  }
  switch (expr) {
    case "vu":
      return runtimeOnly() ? (scope) => String(scope.vu) : "";
    case "iteration":
      return runtimeOnly() ? (scope) => String(scope.iteration) : "";
    case "scenario":
      return runtimeOnly() ? (scope) => scope.scenario : "";
    case "uuid":
      return runtimeOnly() ? () => crypto.randomUUID() : "";
    case "timestamp":
      return runtimeOnly() ? () => String(Date.now()) : "";
  }
  const random = /^randomInt\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)$/.exec(expr);
  if (random) {
    const min = Number(random[1]);
    const max = Number(random[2]);
    // Past 2^53 numbers are not exact integers any more, and the span must be one too.
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || !Number.isSafeInteger(max - min + 1)) {
      return fail(`\${${expr}}: the bounds must be whole numbers between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, at most ${Number.MAX_SAFE_INTEGER - 1} apart`);
    }
    if (min > max) return fail(`\${${expr}}: the minimum ${min} is greater than the maximum ${max}`);
    if (!runtimeOnly()) return "";
    return () => String(min + Math.floor(Math.random() * (max - min + 1)));
  }
  const head = expr.split(/[.(]/)[0] ?? expr;
  return fail(
    `unknown template expression \${${expr}}${didYouMean(head, ["env", "vars", "data", "vu", "iteration", "scenario", "uuid", "timestamp", "randomInt"])}`,
    `use one of ${EXPRESSIONS}; write "$\${" for a literal "\${"`,
  );
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
