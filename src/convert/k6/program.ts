// A whole k6 script (its acorn AST) → the conversion: imports bound to what they are, init code
// (`SharedArray` + `open()` + papaparse → CSV data feeds, `new Trend/Counter/Rate/Gauge` →
// `metrics:` declarations, constants, helper functions), `options`, `setup`/`teardown` → hooks
// (k6/http over ctx.http.request, awaited), the default function and scenario `exec`
// functions → flows, and the most used request origin → `baseUrl: ${env.BASE_URL:-origin}`.
import type { Node, Program } from "acorn";
import { full } from "acorn-walk";
import type { Conversion } from "../types.ts";
import { Scope, type K6Context } from "./context.ts";
import { dottedName, propertyName, valueOf } from "./expressions.ts";
import { FlowConverter } from "./flow.ts";
import { hookCode } from "./hook-code.ts";
import { httpFunction, REQUEST_KEY_ORDER } from "./http.ts";
import { convertOptions, type ConvertedOptions } from "./options.ts";
import { HTTP_SHIM, SETUP_K6_SHIM } from "./shims.ts";
import { grpcCall, grpcLoad } from "./grpc.ts";
import { expr, type FunctionLike, type Value } from "./values.ts";

type AnyNode = Node & Record<string, any>;

const METRIC_TYPES: Readonly<Record<string, "trend" | "counter" | "rate" | "gauge">> = { Trend: "trend", Counter: "counter", Rate: "rate", Gauge: "gauge" };
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
    const special = metricOf(init, scope, cx, name) ?? grpcClientOf(init, scope, cx) ?? feedOf(init, scope, cx, name);
    if (special) {
      scope.set(name, { value: special });
      continue;
    }
    scope.set(name, { value: valueOf(init, scope, cx), init });
  }
}

/** `new grpc.Client()` (k6/net/grpc). */
function grpcClientOf(init: AnyNode, scope: Scope, cx: K6Context): Value | undefined {
  if (init.type !== "NewExpression" || init.callee.type !== "MemberExpression" || init.callee.object.type !== "Identifier") return undefined;
  const module = scope.get(init.callee.object.name)?.value;
  if (module?.kind !== "import" || module.module !== "k6/net/grpc" || propertyName(init.callee) !== "Client") return undefined;
  cx.note("mapped", "new grpc.Client()", init, "its invoke() calls become grpc steps");
  return { kind: "grpcClient", state: {} };
}

/** `new Trend("name", true)` → a metrics: declaration (contains: time when isTime). */
function metricOf(init: AnyNode, scope: Scope, cx: K6Context, local: string): Value | undefined {
  if (init.type !== "NewExpression" || init.callee.type !== "Identifier") return undefined;
  const imported = scope.get(init.callee.name)?.value;
  const type = imported?.kind === "import" && imported.module === "k6/metrics" ? METRIC_TYPES[imported.name] : undefined;
  if (!type) return undefined;
  const nameArg: AnyNode | undefined = init.arguments[0];
  const name = nameArg?.type === "Literal" && typeof nameArg.value === "string" ? nameArg.value : undefined;
  if (!name) {
    cx.note("dropped", `new ${init.callee.name}(…) as ${local}`, init, "the metric's name must be a string literal");
    return undefined;
  }
  const isTime = init.arguments[1]?.type === "Literal" && init.arguments[1].value === true;
  cx.metrics.set(name, { type, ...(isTime && type === "trend" ? { contains: "time" as const } : {}) });
  cx.note("mapped", `new ${init.callee.name}(${JSON.stringify(name)})`, init, `metrics: ${name} (${type}); its add() calls become hooks`);
  return { kind: "metric", metric: name, type };
}

/**
 * `new SharedArray("x", () => papaparse.parse(open("users.csv"), { header: true }).data)` and
 * `papaparse.parse(open("users.csv"), { header: true }).data` → a CSV data feed named after the
 * JavaScript binding. JSON files (`JSON.parse(open(…))`) are reported: loadr feeds are CSV.
 */
function feedOf(init: AnyNode, scope: Scope, cx: K6Context, local: string): Value | undefined {
  const isShared = init.type === "NewExpression" && init.callee.type === "Identifier" && (() => {
    const v = scope.get(init.callee.name)?.value;
    return v?.kind === "import" && v.module === "k6/data" && v.name === "SharedArray";
  })();
  let opened: string | undefined;
  let papa = false;
  let json = false;
  full(isShared ? init.arguments[1] ?? init : init, (n: AnyNode) => {
    if (n.type !== "CallExpression") return;
    if (n.callee.type === "Identifier" && n.callee.name === "open" && n.arguments[0]?.type === "Literal" && typeof n.arguments[0].value === "string") opened = n.arguments[0].value;
    const callee = dottedName(n.callee);
    if (callee && callee.at(-1) === "parse" && callee.length === 2 && scope.get(callee[0]!)?.value?.kind === "import" && (scope.get(callee[0]!)!.value as { module: string }).module === "papaparse") papa = true;
    if (callee?.join(".") === "JSON.parse") json = true;
  });
  if (!opened) {
    if (isShared) cx.note("dropped", `new SharedArray(…) as ${local}`, init, "its data does not come from open(\"file\")");
    return undefined;
  }
  if (!papa) {
    cx.note("dropped", `${local} = ${cx.snippet(init, 50)}`, init, json ? `loadr data feeds are CSV: convert ${opened} to CSV with a header row and add data: { ${local}: { csv: … } }` : "only CSV files parsed with papaparse become data feeds");
    return isShared ? { kind: "feed", feed: "" } : undefined;
  }
  const feed = local.replace(/[^A-Za-z0-9_-]/g, "_");
  cx.feeds.set(feed, { csv: opened });
  cx.files.push(opened);
  cx.note("mapped", `${local}: ${opened}`, init, `data feed ${feed} (columns by the CSV header)`);
  return { kind: "feed", feed };
}

/**
 * `export function setup()` / `teardown(data)` → async hooks with k6/http over ctx.http.request,
 * each call awaited. A setup that returns something other than an object literal is wrapped so
 * that the plan reads its result as `${setup.value}`; returns which shape the flow sees.
 */
function lifecycleHook(kind: "setup" | "teardown", fn: FunctionLike, scope: Scope, cx: K6Context): "object" | "value" | undefined {
  const body: AnyNode = fn.body;
  if (body.type !== "BlockStatement") {
    cx.note("dropped", kind, fn, "an expression-bodied function");
    return undefined;
  }
  let returnsObject = true;
  full(body, (n: AnyNode) => {
    if (n.type === "ReturnStatement" && !insideInnerFunction(body, n) && n.argument?.type !== "ObjectExpression") returnsObject = false;
  });
  const httpNames = new Set<string>();
  const k6Names = new Set<string>();
  const awaits: number[] = [];
  let nested = 0;
  const walkFunctions = (node: AnyNode, depth: number): void => {
    full(node, (n: AnyNode) => {
      if (n.type !== "CallExpression") return;
      const isHttp = httpFunction(n, scope) !== undefined;
      const callee = n.callee.type === "Identifier" ? scope.get(n.callee.name)?.value : undefined;
      const isSleep = callee?.kind === "import" && callee.module === "k6" && callee.name === "sleep";
      if (!isHttp && !isSleep) return;
      if (insideInnerFunction(body, n)) nested++;
      else awaits.push(n.start);
    });
    void depth;
  };
  walkFunctions(body, 0);
  for (const [name, binding] of allImports(scope)) {
    if (binding.module === "k6/http") httpNames.add(name);
    if (binding.module === "k6") k6Names.add(name);
  }
  const code = hookCode([body], scope, cx, [], new Set([...httpNames, ...k6Names]));
  let text = cx.source.slice(body.start + 1, body.end - 1);
  for (const at of awaits.sort((a, b) => b - a)) {
    const offset = at - body.start - 1;
    text = `${text.slice(0, offset)}await ${text.slice(offset)}`;
  }
  cx.hooks.helper("k6http", HTTP_SHIM);
  cx.hooks.helper("k6checks", SETUP_K6_SHIM);
  const prelude = [
    ...[...httpNames].map((n) => {
      const v = scope.get(n)!.value as { name: string };
      return v.name === "*" ? `const ${n} = k6http(ctx);` : `const ${n} = k6http(ctx)[${JSON.stringify(v.name === "del" ? "del" : v.name)}];`;
    }),
    ...[...k6Names].filter((n) => ["check", "sleep"].includes((scope.get(n)!.value as { name: string }).name)).map((n) => `const ${n} = k6checks()[${JSON.stringify((scope.get(n)!.value as { name: string }).name)}];`),
    ...code.prelude,
  ];
  const param: AnyNode | undefined = fn.params[0];
  const params = kind === "setup" ? "ctx" : `ctx, ${param?.type === "Identifier" ? param.name : "data"}`;
  const original = `${prelude.map((l) => `  ${l}`).join("\n")}\n${trimBlankLines(text)}`;
  const wrapped = kind === "setup" && !returnsObject;
  if (wrapped) {
    cx.hooks.add({ name: "k6setup", from: `${cx.at(fn)}  setup() as written`, params, async: true, body: original });
    cx.hooks.add({
      name: "setup",
      from: `${cx.at(fn)}  setup(): its result as { value } when it is not an object, read in the plan as \${setup.value}`,
      params,
      async: true,
      body: "  const data = await k6setup(ctx);\n  return data !== null && typeof data === \"object\" && !Array.isArray(data) ? data : { value: data };",
    });
  } else {
    cx.hooks.add({ name: kind, from: `${cx.at(fn)}  ${kind}()`, params, async: true, body: original });
  }
  const detail = [`export async function ${kind}(ctx) over ctx.http.request`];
  if (kind === "setup") detail.push(wrapped ? "its result reaches the flow as ${setup.value}" : "its result reaches the flow as ${setup.KEY}");
  if (nested > 0) detail.push(`${nested} request(s) inside callbacks are not awaited: check them`);
  if (code.missing.length > 0) detail.push(`it reads ${code.missing.join("; ")}`);
  cx.note(code.missing.length > 0 ? "dropped" : "hook", `${kind}()`, fn, detail.join("; "));
  return wrapped ? "value" : "object";
}

/** Drops blank lines at the start and end of a function body's text (no other change). */
function trimBlankLines(text: string): string {
  const lines = text.split("\n");
  while (lines.length > 0 && lines[0]!.trim() === "") lines.shift();
  while (lines.length > 0 && lines.at(-1)!.trim() === "") lines.pop();
  return lines.join("\n");
}

function insideInnerFunction(root: AnyNode, target: AnyNode): boolean {
  let inside = false;
  full(root, (n: AnyNode) => {
    if (inside || n === root) return;
    if ((n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression" || n.type === "FunctionDeclaration") && n.start <= target.start && target.end <= n.end) inside = true;
  });
  return inside;
}

function allImports(scope: Scope): Array<[string, { module: string; name: string }]> {
  return scope.entries().flatMap(([name, b]) => (b.value?.kind === "import" ? [[name, { module: b.value.module, name: b.value.name }] as [string, { module: string; name: string }]] : []));
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

