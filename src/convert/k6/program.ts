// A whole k6 script (its acorn AST) → the conversion: imports bound to what they are, init code
// (`SharedArray` + `open()` + papaparse → CSV data feeds, `new Trend/Counter/Rate/Gauge` →
// `metrics:` declarations, constants, helper functions), `options`, `setup`/`teardown` → hooks
// (k6/http over ctx.http.request, awaited), the default function and scenario `exec`
// functions → flows, and the most used request origin → `baseUrl: ${env.BASE_URL:-origin}`.
import type { Node, Program } from "acorn";
import type { Conversion } from "../types.ts";
import { Scope, type K6Context } from "./context.ts";
import { valueOf } from "./expressions.ts";
import { FlowConverter } from "./flow.ts";
import { REQUEST_KEY_ORDER } from "./http.ts";
import { initValueOf } from "./init-values.ts";
import { lifecycleHook } from "./lifecycle-hooks.ts";
import { convertOptions, type ConvertedOptions } from "./options.ts";
import { grpcCall, grpcLoad } from "./grpc.ts";
import { expr, type FunctionLike } from "./values.ts";

type AnyNode = Node & Record<string, any>;

/** Modules whose imports the converter understands (by what the script imports from them). */
const KNOWN_MODULES = new Set(["k6", "k6/http", "k6/metrics", "k6/data", "k6/net/grpc"]);

interface Exports {
  default?: FunctionLike;
  functions: Map<string, FunctionLike>;
  options?: AnyNode;
}

export function convertProgram(ast: Program, cx: K6Context): Conversion {
  const scope = new Scope();
  const exports: Exports = { functions: new Map() };
  for (const statement of ast.body as AnyNode[]) topLevel(statement, scope, cx, exports);

  const options: ConvertedOptions = exports.options ? convertOptions(exports.options, scope, cx) : { shortcuts: {}, scenarios: [], defaults: {} };
  const setup = exports.functions.get("setup");
  const setupShape = setup ? lifecycleHook("setup", setup, scope, cx) : undefined;
  const teardown = exports.functions.get("teardown");
  if (teardown) lifecycleHook("teardown", teardown, scope, cx);
  if (exports.functions.has("handleSummary")) {
    cx.note("dropped", "handleSummary", exports.functions.get("handleSummary")!, "loadr writes its summary itself (--summary-json, outputs)");
  }

  const flowOf = (name: string, at: Node): Record<string, unknown>[] => {
    const fn = name === "default" ? exports.default : exports.functions.get(name);
    if (!fn) {
      cx.note("dropped", `exec ${name}`, at, "the script exports no such function");
      return [{ sleep: "0s" }];
    }
    const inner = scope.child();
    const param: AnyNode | undefined = fn.params[0];
    // What setup() returned: an object's keys are ${setup.KEY}; anything else was wrapped as { value }.
    if (param?.type === "Identifier") inner.set(param.name, { value: setupShape === "object" ? { kind: "setup" } : setupShape === "value" ? expr("setup.value") : undefined });
    const steps = new FlowConverter(cx, name === "default" ? "default" : name).body(fn, inner);
    return steps.length > 0 ? steps : [{ sleep: "0s" }];
  };

  const plan: Record<string, unknown> = { name: planName(cx.fileName) };
  let scenarios: Record<string, unknown> | undefined;
  let flow: Record<string, unknown>[] | undefined;
  if (options.scenarios.length > 0) {
    scenarios = {};
    for (const s of options.scenarios) scenarios[s.name] = { ...s.options, flow: flowOf(s.exec, s.at) };
  } else if (exports.default) {
    flow = flowOf("default", exports.default);
  } else {
    cx.note("dropped", "the script", ast, "it has no default function and no scenarios: nothing to run");
    flow = [{ sleep: "0s" }];
  }

  const baseUrl = chooseBaseUrl(cx);
  if (baseUrl) plan.baseUrl = baseUrl;
  if (!cx.hooks.empty) plan.hooks = "./plan.hooks.js"; // the CLI names the real file
  if (cx.metrics.size > 0) {
    plan.metrics = Object.fromEntries([...cx.metrics].map(([name, m]) => [name, { type: m.type, ...(m.contains ? { contains: m.contains } : {}) }]));
  }
  if (options.tags) plan.tags = options.tags;
  if (Object.keys(options.defaults).length > 0) plan.defaults = options.defaults;
  if (cx.feeds.size > 0) plan.data = Object.fromEntries([...cx.feeds].map(([name, f]) => [name, { csv: f.csv, ...(f.mode ? { mode: f.mode } : {}) }]));
  Object.assign(plan, options.shortcuts);
  if (flow) plan.flow = flow;
  if (scenarios) plan.scenarios = scenarios;
  if (options.thresholds) plan.thresholds = options.thresholds;
  if (options.summaryTrendStats !== undefined) plan.summaryTrendStats = options.summaryTrendStats;

  for (const step of cx.requests) step.request = ordered(step.request, REQUEST_KEY_ORDER);
  const hooks = cx.hooks.source(`// Hooks for the plan converted from ${cx.fileName}: the code loadr steps cannot express, as written\n// there, each function headed by its source position. Contract: the JS hooks of loadr (ctx.vars, ctx.data,\n// ctx.env, ctx.metrics; setup/teardown get ctx.http.request).`);
  // A function run by several scenarios is converted once per scenario: report each note once.
  const seen = new Set<string>();
  const notes = cx.notes
    .filter((n) => {
      const key = JSON.stringify([n.kind, n.what, n.where, n.detail ?? ""]);
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .map((note, i) => ({ note, i, at: positionOf(note.where, cx.fileName) }))
    .sort((a, b) => a.at[0] - b.at[0] || a.at[1] - b.at[1] || a.i - b.i)
    .map(({ note }) => note);
  return { plan, ...(hooks ? { hooks } : {}), ...(cx.files.length > 0 ? { files: [...new Set(cx.files)] } : {}), notes };
}

function topLevel(statement: AnyNode, scope: Scope, cx: K6Context, exports: Exports): void {
  switch (statement.type) {
    case "ImportDeclaration":
      return importDeclaration(statement, scope, cx);
    case "ExportNamedDeclaration":
      if (statement.declaration) return declaration(statement.declaration, scope, cx, exports, true);
      if (statement.specifiers.length > 0) cx.note("dropped", cx.snippet(statement), statement, "re-exports are not followed");
      return;
    case "ExportDefaultDeclaration": {
      const d: AnyNode = statement.declaration;
      if (d.type === "FunctionDeclaration" || d.type === "FunctionExpression" || d.type === "ArrowFunctionExpression") exports.default = d as FunctionLike;
      else if (d.type === "Identifier" && scope.get(d.name)?.value?.kind === "function") exports.default = (scope.get(d.name)!.value as { node: FunctionLike }).node;
      else cx.note("dropped", "export default", statement, "the default export is not a function");
      return;
    }
    case "VariableDeclaration":
    case "FunctionDeclaration":
      return declaration(statement, scope, cx, exports, false);
    case "EmptyStatement":
      return;
    case "ExpressionStatement": {
      const call = grpcCall(statement.expression, scope);
      if (call?.method === "load" && grpcLoad(statement.expression, call.client, scope, cx)) return;
      cx.note("dropped", cx.snippet(statement), statement, "init code (runs once per VU in k6); loadr has no init stage — move it into a hook's init(ctx) if it matters");
      return;
    }
    default:
      cx.note("dropped", cx.snippet(statement), statement, "init code (runs once per VU in k6); loadr has no init stage — move it into a hook's init(ctx) if it matters");
  }
}

function importDeclaration(node: AnyNode, scope: Scope, cx: K6Context): void {
  const source = String(node.source.value);
  const module = KNOWN_MODULES.has(source) ? source : /papaparse/.test(source) ? "papaparse" : /k6-utils/.test(source) ? "k6-utils" : source;
  for (const spec of node.specifiers as AnyNode[]) {
    const local: string = spec.local.name;
    const imported = spec.type === "ImportSpecifier" ? (spec.imported.name ?? spec.imported.value) : "*";
    scope.set(local, { value: { kind: "import", module, name: imported } });
  }
  if (!KNOWN_MODULES.has(module) && module !== "papaparse" && module !== "k6-utils") {
    cx.note("dropped", `import from ${JSON.stringify(source)}`, node, source.startsWith("k6/") ? "loadr maps k6, k6/http, k6/metrics, k6/data and k6/net/grpc; code using this module becomes a hook or is dropped where it is used" : "a hook cannot import remote or local modules; code using it is dropped where it is used");
  }
}

function declaration(node: AnyNode, scope: Scope, cx: K6Context, exports: Exports, exported: boolean): void {
  if (node.type === "FunctionDeclaration") {
    scope.set(node.id.name, { value: { kind: "function", node: node as FunctionLike, name: node.id.name } });
    if (exported) exports.functions.set(node.id.name, node as FunctionLike);
    return;
  }
  if (node.type !== "VariableDeclaration") return;
  for (const d of node.declarations as AnyNode[]) {
    if (d.id.type !== "Identifier") {
      cx.note("dropped", cx.snippet(d), d, "a destructuring declaration at the top of the script");
      continue;
    }
    const name: string = d.id.name;
    const init: AnyNode | null = d.init;
    if (exported && name === "options" && init) {
      exports.options = init;
      continue;
    }
    if (!init) {
      scope.set(name, { value: undefined });
      continue;
    }
    if (init.type === "ArrowFunctionExpression" || init.type === "FunctionExpression") {
      scope.set(name, { value: { kind: "function", node: init as FunctionLike, name } });
      if (exported) exports.functions.set(name, init as FunctionLike);
      continue;
    }
    const special = initValueOf(init, scope, cx, name);
    if (special) {
      scope.set(name, { value: special });
      continue;
    }
    scope.set(name, { value: valueOf(init, scope, cx), init });
  }
}

/** The most used origin of absolute request URLs (literal, or a leading `${env.X…}`) → baseUrl, and those URLs made relative. */
function chooseBaseUrl(cx: K6Context): string | undefined {
  const originOf = (url: string): string | undefined => {
    const env = /^\$\{env\.[A-Za-z_]\w*(?::-[^}]*)?\}/.exec(url);
    if (env) return env[0];
    const literal = /^https?:\/\/[^/$?#]+/.exec(url);
    return literal ? literal[0] : undefined;
  };
  const counts = new Map<string, number>();
  for (const step of cx.requests) {
    const origin = typeof step.request.url === "string" ? originOf(step.request.url) : undefined;
    if (origin) counts.set(origin, (counts.get(origin) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!best) return undefined;
  for (const step of cx.requests) {
    const url = step.request.url as string;
    if (typeof url === "string" && originOf(url) === best) {
      const rest = url.slice(best.length);
      step.request.url = rest === "" ? "/" : rest.startsWith("/") ? rest : `/${rest}`;
    }
  }
  return best.startsWith("${") ? best : `\${env.BASE_URL:-${best}}`;
}

/** [line, column] of a `file:line:col` position (the report lists notes in source order). */
function positionOf(where: string, fileName: string): [number, number] {
  const [line, column] = where.slice(fileName.length + 1).split(":").map(Number);
  return [line ?? 0, column ?? 0];
}

function ordered(map: Record<string, unknown>, order: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of order) if (map[key] !== undefined) out[key] = map[key];
  for (const [key, value] of Object.entries(map)) if (!(key in out)) out[key] = value;
  return out;
}

function planName(fileName: string): string {
  const base = fileName.split(/[\\/]/).at(-1) ?? fileName;
  return base.replace(/\.[cm]?[jt]s$/, "") || "converted";
}

