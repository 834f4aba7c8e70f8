// k6/http calls → loadr request steps: `http.get/head/options(url, params)`, `http.post/put/
// patch/del(url, body, params)`, `http.request(method, url, body, params)`, `http.batch([...])`
// (its requests one after another: loadr has no parallel batch) and `http.url` templates.
// Params: headers, tags (`name` → the request's name), timeout, redirects (→ maxRedirects);
// `responseType`, `auth`, `cookies`, `jar` are reported as dropped. Bodies: `JSON.stringify(x)` →
// `json:`, an object → `form:` (k6 form-encodes it), a string → `body:`.
import type { Node } from "acorn";
import type { K6Context, Scope } from "./context.ts";
import { dottedName, propertyName, valueOf } from "./expressions.ts";
import { templateOf, type RequestStep, type Value } from "./values.ts";

type AnyNode = Node & Record<string, any>;

const WITHOUT_BODY: Readonly<Record<string, string>> = { get: "GET", head: "HEAD", options: "OPTIONS" };
const WITH_BODY: Readonly<Record<string, string>> = { post: "POST", put: "PUT", patch: "PATCH", del: "DELETE" };
const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/** The k6/http function `node` calls (`get`, `batch` …), when its callee is the imported http module. */
export function httpFunction(node: AnyNode, scope: Scope): string | undefined {
  if (node.type !== "CallExpression") return undefined;
  const callee = node.callee;
  if (callee.type === "MemberExpression") {
    const object = callee.object.type === "Identifier" ? scope.get(callee.object.name)?.value : undefined;
    if (object?.kind === "import" && object.module === "k6/http" && object.name === "*") return propertyName(callee);
    return undefined;
  }
  if (callee.type === "Identifier") {
    const imported = scope.get(callee.name)?.value;
    if (imported?.kind === "import" && imported.module === "k6/http") return imported.name;
  }
  return undefined;
}

/**
 * The request steps of one k6/http call (several for `http.batch`), or undefined when the call is
 * not one this maps (the caller reports it). Notes what it dropped from the params.
 */
export function requestSteps(node: AnyNode, fn: string, scope: Scope, cx: K6Context): RequestStep[] | undefined {
  const args: AnyNode[] = node.arguments;
  if (fn in WITHOUT_BODY) {
    const step = request(WITHOUT_BODY[fn]!, args[0], fn === "options" ? args[1] : undefined, fn === "options" ? args[2] : args[1], scope, cx, node);
    return step ? [step] : undefined;
  }
  if (fn in WITH_BODY) {
    const step = request(WITH_BODY[fn]!, args[0], args[1], args[2], scope, cx, node);
    return step ? [step] : undefined;
  }
  if (fn === "request" || fn === "asyncRequest") {
    const method = valueOf(args[0] ?? node, scope, cx);
    const m = method?.kind === "text" ? method.template.toUpperCase() : undefined;
    if (!m || !METHODS.has(m)) return undefined;
    const step = request(m, args[1], args[2], args[3], scope, cx, node);
    return step ? [step] : undefined;
  }
  if (fn === "batch" && args.length === 1) return batch(args[0]!, scope, cx, node);
  return undefined;
}

function batch(list: AnyNode, scope: Scope, cx: K6Context, at: Node): RequestStep[] | undefined {
  const items: AnyNode[] =
    list.type === "ArrayExpression" ? list.elements : list.type === "ObjectExpression" ? list.properties.map((p: AnyNode) => (p.type === "Property" ? p.value : p)) : [];
  if (items.length === 0) return undefined;
  const steps: RequestStep[] = [];
  for (const item of items) {
    if (!item) return undefined;
    let step: RequestStep | undefined;
    if (item.type === "ArrayExpression") {
      const [method, url, body, params] = item.elements as AnyNode[];
      const m = method ? valueOf(method, scope, cx) : undefined;
      const name = m?.kind === "text" ? m.template.toUpperCase() : undefined;
      step = name && METHODS.has(name) ? request(name, url, body, params, scope, cx, at) : undefined;
    } else if (item.type === "ObjectExpression") {
      const field = (key: string) => item.properties.find((p: AnyNode) => p.type === "Property" && !p.computed && (p.key.name ?? p.key.value) === key)?.value as AnyNode | undefined;
      const m = field("method") ? valueOf(field("method")!, scope, cx) : undefined;
      const name = m === undefined ? "GET" : m.kind === "text" ? m.template.toUpperCase() : undefined;
      step = name && METHODS.has(name) ? request(name, field("url"), field("body"), field("params"), scope, cx, at) : undefined;
    } else {
      step = request("GET", item, undefined, undefined, scope, cx, at);
    }
    if (!step) return undefined;
    steps.push(step);
  }
  return steps;
}

function request(method: string, urlNode: AnyNode | undefined, bodyNode: AnyNode | undefined, paramsNode: AnyNode | undefined, scope: Scope, cx: K6Context, at: Node): RequestStep | undefined {
  if (!urlNode) return undefined;
  const url = urlTemplate(urlNode, scope, cx);
  if (url === undefined) return undefined;
  const r: Record<string, unknown> = { method, url };
  if (bodyNode && !(bodyNode.type === "Literal" && bodyNode.value === null) && !(bodyNode.type === "Identifier" && bodyNode.name === "undefined")) {
    const body = valueOf(bodyNode, scope, cx);
    if (!body) return undefined;
    if (body.kind === "text" && body.json) r.json = body.json.value;
    else if (body.kind === "json" && isFlatObject(body.value)) r.form = body.value;
    else {
      const t = templateOf(body);
      if (t === undefined) return undefined;
      r.body = t;
    }
  }
  if (paramsNode) {
    const params = valueOf(paramsNode, scope, cx);
    if (params?.kind !== "json" || typeof params.value !== "object" || params.value === null || Array.isArray(params.value)) return undefined;
    if (!applyParams(r, params.value as Record<string, unknown>, cx, paramsNode)) return undefined;
  }
  const step = { request: r };
  cx.requests.push(step);
  cx.note("mapped", `http.${method === "DELETE" ? "del" : method.toLowerCase()} ${String(url).slice(0, 60)}`, at, undefined);
  return step;
}

/** `http.url\`…\`` or any string expression. */
function urlTemplate(node: AnyNode, scope: Scope, cx: K6Context): string | undefined {
  if (node.type === "TaggedTemplateExpression" && dottedName(node.tag)?.at(-1) === "url") return templateOf(valueOf(node.quasi, scope, cx));
  const value: Value | undefined = valueOf(node, scope, cx);
  return value?.kind === "text" || value?.kind === "expr" ? templateOf(value) : undefined;
}

function isFlatObject(value: unknown): value is Record<string, string | number | boolean> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every((v) => ["string", "number", "boolean"].includes(typeof v));
}

function applyParams(r: Record<string, unknown>, params: Record<string, unknown>, cx: K6Context, at: Node): boolean {
  for (const [key, value] of Object.entries(params)) {
    switch (key) {
      case "headers": {
        if (!isFlatObject(value)) return false;
        const headers: Record<string, string | number | boolean> = {};
        for (const [name, v] of Object.entries(value)) {
          // json: sets the content type itself.
          if (r.json !== undefined && name.toLowerCase() === "content-type" && String(v).toLowerCase().startsWith("application/json")) continue;
          headers[name] = v;
        }
        if (Object.keys(headers).length > 0) r.headers = headers;
        break;
      }
      case "tags": {
        if (!isFlatObject(value)) return false;
        const { name, ...rest } = value;
        if (name !== undefined) r.name = String(name);
        if (Object.keys(rest).length > 0) r.tags = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)]));
        break;
      }
      case "timeout":
        if (typeof value === "number") r.timeout = `${value}ms`;
        else if (typeof value === "string" && /^\d+(\.\d+)?(ms|s|m|h)$/.test(value)) r.timeout = value;
        else return false;
        break;
      case "redirects":
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0) return false;
        r.maxRedirects = value;
        break;
      default:
        cx.note("dropped", `request param ${key}`, at, "loadr's request step has no such setting");
    }
  }
  return true;
}

/** The request map in the order a person writes it. */
export const REQUEST_KEY_ORDER = ["name", "method", "url", "headers", "json", "form", "body", "timeout", "maxRedirects", "insecure", "tags", "checks", "extract"];
