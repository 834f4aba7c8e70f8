// Reads of a k6 response → extractions on its request step: `res.json("a.b")`, `res.json().a.b`,
// `JSON.parse(res.body).a.b` (JSON path `$.a.b`), `res.headers["X"]` (header), `res.cookies.x[0]
// .value` (cookie) and `res.body` (the whole body, by regex). Each read becomes one variable
// (`${vars.name}`), extracted once per step and path. Also k6's gjson selectors → loadr JSON paths.
import type { Node } from "acorn";
import type { K6Context, Scope } from "./context.ts";
import { dottedName, propertyName } from "./expressions.ts";
import type { RequestStep, Value } from "./values.ts";

type AnyNode = Node & Record<string, any>;

/** What a read of a response is, before it is given a variable. */
export type ResponseRead =
  | { readonly kind: "json"; readonly step: RequestStep; readonly path: string[] }
  | { readonly kind: "header"; readonly step: RequestStep; readonly header: string }
  | { readonly kind: "cookie"; readonly step: RequestStep; readonly cookie: string }
  | { readonly kind: "body"; readonly step: RequestStep }
  | { readonly kind: "status"; readonly step: RequestStep };

/** k6 selector `items.0.id` → `$.items[0].id`; undefined for gjson syntax loadr lacks (`#`, `*`, `|`, `@`). */
export function jsonPathOf(path: readonly string[]): string | undefined {
  let out = "$";
  for (const segment of path) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += `.${segment}`;
    else if (!/[#*|@?\\'"]/.test(segment) && segment !== "") out += `['${segment}']`;
    else return undefined;
  }
  return out;
}

/** Splits a k6 `json()` selector on its dots. */
export function selectorPath(selector: string): string[] {
  return selector === "" ? [] : selector.split(".");
}

/**
 * The response read `node` is, when it is one: the node is a member/call chain rooted at a
 * response binding. `responseOf` resolves a node to the step whose response it names.
 */
export function responseRead(node: AnyNode, scope: Scope, cx: K6Context, responseOf: (n: AnyNode) => Value | undefined): ResponseRead | undefined {
  // JSON.parse(res.body) … and res.json(…) …: collect the member path down to the root.
  const path: string[] = [];
  let cur: AnyNode = node;
  for (let depth = 0; depth < 64 && cur.type === "MemberExpression"; depth++) {
    const property = propertyName(cur);
    if (property === undefined) return undefined;
    path.unshift(property);
    cur = cur.object;
  }
  if (cur.type === "CallExpression") {
    const callee = dottedName(cur.callee)?.join(".");
    if (callee === "JSON.parse" && cur.arguments.length === 1) {
      const inner = responseRead(cur.arguments[0], scope, cx, responseOf);
      return inner?.kind === "body" ? { kind: "json", step: inner.step, path } : undefined;
    }
    if (cur.callee.type === "MemberExpression" && propertyName(cur.callee) === "json") {
      const res = responseOf(cur.callee.object);
      if (res?.kind !== "response") return undefined;
      const arg = cur.arguments[0];
      if (cur.arguments.length > 1) return undefined;
      if (arg && !(arg.type === "Literal" && typeof arg.value === "string")) return undefined;
      return { kind: "json", step: res.step, path: [...(arg ? selectorPath(arg.value) : []), ...path] };
    }
    return undefined;
  }
  const res = responseOf(cur);
  if (res?.kind !== "response") return undefined;
  const [first, second, third, fourth] = path;
  if (first === "body" && path.length === 1) return { kind: "body", step: res.step };
  if (first === "message" && path.length > 1) return { kind: "json", step: res.step, path: path.slice(1) }; // a gRPC reply's fields
  if (first === "status" && path.length === 1) return { kind: "status", step: res.step };
  if (first === "headers" && second !== undefined && path.length === 2) return { kind: "header", step: res.step, header: second };
  if (first === "cookies" && second !== undefined && third === "0" && fourth === "value" && path.length === 4) return { kind: "cookie", step: res.step, cookie: second };
  return undefined;
}

/**
 * A VU variable holding the read, extracted by its step (reused for the same read). `preferred`
 * names it (the JavaScript binding), else the path's last part does. Undefined for reads loadr
 * cannot extract (the status; a selector it cannot express).
 */
export function extractionVariable(read: ResponseRead, cx: K6Context, preferred?: string): string | undefined {
  let spec: Record<string, unknown>;
  let base: string;
  switch (read.kind) {
    case "json": {
      const path = jsonPathOf(read.path);
      if (!path) return undefined;
      spec = { json: path };
      base = read.path.filter((p) => !/^\d+$/.test(p)).at(-1) ?? "body";
      break;
    }
    case "header":
      spec = { header: read.header };
      base = read.header.toLowerCase();
      break;
    case "cookie":
      spec = { cookie: read.cookie };
      base = read.cookie;
      break;
    case "body":
      spec = { regex: "^([\\s\\S]*)$" };
      base = "body";
      break;
    case "status":
      return undefined;
  }
  const extract = (read.step.request.extract ??= {}) as Record<string, Record<string, unknown>>;
  const key = JSON.stringify(spec);
  for (const [name, existing] of Object.entries(extract)) if (JSON.stringify(existing) === key) return name;
  const name = cx.variableName(preferred ?? base);
  extract[name] = spec;
  return name;
}
