// `check(res, { "name": (r) => predicate, … })` → checks on res's request step. Predicates loadr
// has a check kind for: `r.status === N` (and `||` of them, `[a, b].includes(r.status)`),
// `r.body.includes(x)` / `indexOf(x) !== -1` / `/re/.test(r.body)` / `r.body.match(/re/)`,
// `r.json("a.b") === v` / `r.json().a.b === v` / `JSON.parse(r.body).a === v` (and their mere
// truthiness / `!== undefined`: exists), `r.timings.duration < N`, `r.headers["X"] === v` /
// `.includes(v)`; `r && …` guards are dropped. Any other predicate becomes a `{ js: fn }` check
// with the original code (hooks-module.ts); the caller adds it.
import type { Node } from "acorn";
import type { K6Context, Scope } from "./context.ts";
import { dottedName, propertyName, valueOf } from "./expressions.ts";
import { jsonPathOf, selectorPath } from "./responses.ts";
import { grpcStatusName } from "./grpc.ts";
import { jsonOf, templateOf } from "./values.ts";

type AnyNode = Node & Record<string, any>;

/**
 * The loadr check of a predicate function, or undefined when it has none. `responseName`: the
 * predicate takes no parameter and reads the response by that name (`() => res.status === 200`).
 */
export function checkOf(fn: AnyNode, scope: Scope, cx: K6Context, responseName?: string): Record<string, unknown> | undefined {
  if (fn.type !== "ArrowFunctionExpression" && fn.type !== "FunctionExpression") return undefined;
  const param = fn.params[0];
  const r = responseName !== undefined && fn.params.length === 0 ? responseName : fn.params.length === 1 && param.type === "Identifier" ? (param.name as string) : undefined;
  if (r === undefined) return undefined;
  let body: AnyNode = fn.body;
  if (body.type === "BlockStatement") {
    if (body.body.length !== 1 || body.body[0].type !== "ReturnStatement" || !body.body[0].argument) return undefined;
    body = body.body[0].argument;
  }
  return predicate(body, r, scope, cx);
}

function predicate(node: AnyNode, r: string, scope: Scope, cx: K6Context): Record<string, unknown> | undefined {
  if (node.type === "LogicalExpression" && node.operator === "&&" && node.left.type === "Identifier" && node.left.name === r) {
    return predicate(node.right, r, scope, cx);
  }
  // r.status === 200 || r.status === 201
  if (node.type === "LogicalExpression" && node.operator === "||") {
    const codes = statusCodes(node, r);
    return codes ? { status: codes.length === 1 ? codes[0] : codes } : undefined;
  }
  if (node.type === "BinaryExpression") return comparison(node, r, scope, cx);
  if (node.type === "CallExpression") return callPredicate(node, r, scope, cx);
  // A bare read: r.json("token"), r.headers["X"], r.body
  const read = readOf(node, r);
  if (read?.kind === "json") return jsonExists(read.path);
  if (read?.kind === "header") return { header: read.header };
  if (read?.kind === "body") return { body: { matches: "[\\s\\S]" } };
  return undefined;
}

function statusCodes(node: AnyNode, r: string): number[] | undefined {
  if (node.type === "LogicalExpression" && node.operator === "||") {
    const left = statusCodes(node.left, r);
    const right = statusCodes(node.right, r);
    return left && right ? [...left, ...right] : undefined;
  }
  if (node.type !== "BinaryExpression" || (node.operator !== "===" && node.operator !== "==")) return undefined;
  const [read, other] = readOf(node.left, r) ? [readOf(node.left, r), node.right] : [readOf(node.right, r), node.left];
  if (read?.kind !== "status" || other.type !== "Literal" || typeof other.value !== "number") return undefined;
  return [other.value];
}

function comparison(node: AnyNode, r: string, scope: Scope, cx: K6Context): Record<string, unknown> | undefined {
  const op: string = node.operator;
  const leftRead = readOf(node.left, r);
  const read = leftRead ?? readOf(node.right, r);
  const other: AnyNode = leftRead ? node.right : node.left;
  if (!read) {
    // r.body.indexOf("x") !== -1
    const indexOf = indexOfRead(node.left, r);
    const value = valueOf(node.right, scope, cx);
    if (indexOf && value?.kind === "number") {
      const found = (op === "!==" || op === "!=") && value.value === -1 || (op === ">=" && value.value === 0) || (op === ">" && value.value === -1);
      const needle = templateOf(valueOf(indexOf.needle, scope, cx));
      if (found && needle !== undefined) return { body: { contains: needle } };
    }
    return undefined;
  }
  const equal = op === "===" || op === "==";
  const notEqual = op === "!==" || op === "!=";
  if (read.kind === "status") {
    const grpcStatus = grpcConstant(other, scope);
    if (equal && grpcStatus) return { grpcStatus };
    const code = valueOf(other, scope, cx);
    if (equal && code?.kind === "number") return { status: code.value };
    return undefined;
  }
  if (read.kind === "duration") {
    const limit = valueOf(other, scope, cx);
    if (leftRead && op === "<" && limit?.kind === "number") return { duration: { below: `${limit.value}ms` } };
    if (!leftRead && op === ">" && limit?.kind === "number") return { duration: { below: `${limit.value}ms` } };
    return undefined;
  }
  const isNothing = (other.type === "Identifier" && other.name === "undefined") || (other.type === "Literal" && other.value === null);
  if (read.kind === "json") {
    const path = jsonPathOf(read.path);
    if (!path) return undefined;
    if (notEqual && isNothing) return { json: path, exists: true };
    if (equal && isNothing) return { json: path, exists: false };
    const value = jsonOf(valueOf(other, scope, cx));
    if (!equal || !value.ok || (typeof value.value === "object" && value.value !== null)) return undefined;
    return { json: path, equals: value.value };
  }
  if (read.kind === "header") {
    if (notEqual && isNothing) return { header: read.header, exists: true };
    if (equal && isNothing) return { header: read.header, exists: false };
    const value = templateOf(valueOf(other, scope, cx));
    return equal && value !== undefined ? { header: read.header, equals: value } : undefined;
  }
  if (read.kind === "body" && equal) {
    const value = templateOf(valueOf(other, scope, cx));
    return value !== undefined && !value.includes("${") ? { body: { matches: `^${escapeRegex(value.replaceAll("$${", () => "${"))}$` } } : undefined;
  }
  return undefined;
}

function callPredicate(node: AnyNode, r: string, scope: Scope, cx: K6Context): Record<string, unknown> | undefined {
  const callee = node.callee;
  const method = callee.type === "MemberExpression" ? propertyName(callee) : undefined;
  // [200, 201].includes(r.status)
  if (method === "includes" && callee.object.type === "ArrayExpression" && readOf(node.arguments[0], r)?.kind === "status") {
    const codes = callee.object.elements.map((e: AnyNode) => (e?.type === "Literal" && typeof e.value === "number" ? e.value : undefined));
    return codes.length > 0 && codes.every((c: number | undefined) => c !== undefined) ? { status: codes } : undefined;
  }
  // /re/.test(r.body)
  if (method === "test" && callee.object.type === "Literal" && callee.object.regex && readOf(node.arguments[0], r)?.kind === "body") {
    return callee.object.regex.flags === "" ? { body: { matches: callee.object.regex.pattern } } : undefined;
  }
  const target = callee.type === "MemberExpression" ? readOf(callee.object, r) : undefined;
  if (!target || node.arguments.length !== 1) return undefined;
  const arg: AnyNode = node.arguments[0];
  if (method === "includes" || method === "match" || method === "search") {
    if (arg.type === "Literal" && arg.regex) {
      if (target.kind !== "body" || arg.regex.flags !== "") return undefined;
      return { body: { matches: arg.regex.pattern } };
    }
    if (method !== "includes") return undefined;
    const needle = templateOf(valueOf(arg, scope, cx));
    if (needle === undefined) return undefined;
    if (target.kind === "body") return { body: { contains: needle } };
    if (target.kind === "header") return { header: target.header, contains: needle };
  }
  return undefined;
}

type Read =
  | { kind: "status" }
  | { kind: "body" }
  | { kind: "duration" }
  | { kind: "header"; header: string }
  | { kind: "json"; path: string[] };

/** What of the response `r` a node reads. */
function readOf(node: AnyNode | undefined, r: string): Read | undefined {
  if (!node) return undefined;
  const path: string[] = [];
  let cur: AnyNode = node;
  for (let depth = 0; depth < 64 && cur.type === "MemberExpression"; depth++) {
    const p = propertyName(cur);
    if (p === undefined) return undefined;
    path.unshift(p);
    cur = cur.object;
  }
  if (cur.type === "CallExpression") {
    if (dottedName(cur.callee)?.join(".") === "JSON.parse" && cur.arguments.length === 1 && readOf(cur.arguments[0], r)?.kind === "body") {
      return { kind: "json", path };
    }
    const c = cur.callee;
    if (c.type === "MemberExpression" && propertyName(c) === "json" && c.object.type === "Identifier" && c.object.name === r && cur.arguments.length <= 1) {
      const arg = cur.arguments[0];
      if (arg && !(arg.type === "Literal" && typeof arg.value === "string")) return undefined;
      return { kind: "json", path: [...(arg ? selectorPath(arg.value) : []), ...path] };
    }
    return undefined;
  }
  if (cur.type !== "Identifier" || cur.name !== r) return undefined;
  const joined = path.join(".");
  if (joined === "status") return { kind: "status" };
  if (joined === "body") return { kind: "body" };
  if (joined === "timings.duration") return { kind: "duration" };
  if (path[0] === "headers" && path.length === 2) return { kind: "header", header: path[1]! };
  // A gRPC response's message: its fields are the JSON the grpc step's checks read.
  if (path[0] === "message") return { kind: "json", path: path.slice(1) };
  return undefined;
}

function indexOfRead(node: AnyNode, r: string): { needle: AnyNode } | undefined {
  if (node.type !== "CallExpression" || node.callee.type !== "MemberExpression" || propertyName(node.callee) !== "indexOf" || node.arguments.length !== 1) return undefined;
  return readOf(node.callee.object, r)?.kind === "body" ? { needle: node.arguments[0] } : undefined;
}

/** `grpc.StatusOK` of an imported k6/net/grpc → "OK". */
function grpcConstant(node: AnyNode, scope: Scope): string | undefined {
  if (node.type !== "MemberExpression" || node.object.type !== "Identifier") return undefined;
  const module = scope.get(node.object.name)?.value;
  const name = propertyName(node);
  return module?.kind === "import" && module.module === "k6/net/grpc" && name ? grpcStatusName(name) : undefined;
}

function jsonExists(path: readonly string[]): Record<string, unknown> | undefined {
  const p = jsonPathOf(path);
  return p ? { json: p } : undefined;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
