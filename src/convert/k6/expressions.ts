// k6 (JavaScript) expressions → converted values (values.ts): literals, template strings, `+`
// concatenation, `__ENV.X` (and `__ENV.X || "default"` → `${env.X:-default}`), `__VU`, `__ITER`,
// feed rows (`user.name` → `${data.users.name}`), setup data (`data.token` → `${setup.token}`),
// extracted variables, arithmetic and comparisons, and the calls loadr has a function for
// (`Math.random` ranges, k6-utils `randomIntBetween`/`uuidv4`, `Date.now`, `JSON.stringify`).
// Anything else is `undefined`: the caller turns the statement into a hook or drops it. Pure.
import type { Node } from "acorn";
import type { K6Context, Scope } from "./context.ts";
import { extractionVariable, responseRead } from "./responses.ts";
import { escapeTemplate, expr, exprOf, jsonOf, jsonText, templateOf, text, type Value } from "./values.ts";

type AnyNode = Node & Record<string, any>;

const COMPARISONS: Readonly<Record<string, string>> = { "===": "==", "==": "==", "!==": "!=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const ARITHMETIC = new Set(["-", "*", "/", "%"]);
/** Nesting of the script's own functions evaluated for a value. */
const MAX_CALL_DEPTH = 8;

/** The name a member expression's property has, when it is a plain name or a string literal. */
export function propertyName(node: AnyNode): string | undefined {
  if (node.type !== "MemberExpression") return undefined;
  if (!node.computed && node.property.type === "Identifier") return node.property.name;
  if (node.computed && node.property.type === "Literal" && (typeof node.property.value === "string" || typeof node.property.value === "number")) {
    return String(node.property.value);
  }
  return undefined;
}

/** `a.b.c` as ["a", "b", "c"] when every part is a plain name. */
export function dottedName(node: AnyNode): string[] | undefined {
  if (node.type === "Identifier") return [node.name];
  if (node.type !== "MemberExpression") return undefined;
  const property = propertyName(node);
  const object = dottedName(node.object);
  return property !== undefined && object ? [...object, property] : undefined;
}

export function valueOf(node: AnyNode, scope: Scope, cx: K6Context): Value | undefined {
  switch (node.type) {
    case "Literal":
      if (typeof node.value === "string") return text(escapeTemplate(node.value));
      if (typeof node.value === "number") return { kind: "number", value: node.value };
      if (typeof node.value === "boolean") return { kind: "bool", value: node.value };
      if (node.value === null) return { kind: "null" };
      return undefined;
    case "TemplateLiteral": {
      let out = "";
      for (let i = 0; i < node.quasis.length; i++) {
        out += escapeTemplate(node.quasis[i].value.cooked ?? "");
        if (i < node.expressions.length) {
          const part = templateOf(valueOf(node.expressions[i], scope, cx));
          if (part === undefined) return undefined;
          out += part;
        }
      }
      return text(out);
    }
    case "Identifier":
      return identifier(node.name, scope);
    case "MemberExpression":
      return responseValue(node, scope, cx) ?? member(node, scope, cx);
    case "LogicalExpression":
      return logical(node, scope, cx);
    case "BinaryExpression":
      return binary(node, scope, cx);
    case "UnaryExpression": {
      const arg = valueOf(node.argument, scope, cx);
      if (node.operator === "-" && arg?.kind === "number") return { kind: "number", value: -arg.value };
      const e = exprOf(arg);
      if (!e) return undefined;
      if (node.operator === "!") return expr(`!(${e.code})`);
      if (node.operator === "-") return expr(`-(${e.code})`, true);
      if (node.operator === "+") return expr(`float(${e.code})`, true);
      return undefined;
    }
    case "CallExpression":
      return responseValue(node, scope, cx) ?? call(node, scope, cx);
    case "ObjectExpression": {
      const out: Record<string, unknown> = {};
      for (const prop of node.properties) {
        if (prop.type !== "Property" || prop.computed || prop.kind !== "init" || prop.method) return undefined;
        const key = prop.key.type === "Identifier" ? prop.key.name : prop.key.type === "Literal" ? String(prop.key.value) : undefined;
        if (key === undefined) return undefined;
        const value = jsonOf(valueOf(prop.value, scope, cx));
        if (!value.ok) return undefined;
        out[key] = value.value;
      }
      return { kind: "json", value: out };
    }
    case "ArrayExpression": {
      const out: unknown[] = [];
      for (const element of node.elements) {
        if (!element || element.type === "SpreadElement") return undefined;
        const value = jsonOf(valueOf(element, scope, cx));
        if (!value.ok) return undefined;
        out.push(value.value);
      }
      return { kind: "json", value: out };
    }
    case "ParenthesizedExpression":
      return valueOf(node.expression, scope, cx);
    default:
      return undefined;
  }
}

/** A read of a response (`res.json("token")`) as the variable its step extracts it into. */
function responseValue(node: AnyNode, scope: Scope, cx: K6Context): Value | undefined {
  const read = responseRead(node, scope, cx, (n) => valueOf(n, scope, cx));
  if (!read) return undefined;
  const variable = extractionVariable(read, cx);
  return variable === undefined ? undefined : expr(`vars.${variable}`);
}

function identifier(name: string, scope: Scope): Value | undefined {
  if (name === "__VU") return expr("vu", true);
  if (name === "__ITER") return expr("iteration", true);
  if (name === "undefined") return { kind: "null" };
  const binding = scope.get(name);
  if (!binding) return undefined;
  if (binding.variable !== undefined) return expr(`vars.${binding.variable}`);
  return binding.value;
}

function member(node: AnyNode, scope: Scope, cx: K6Context): Value | undefined {
  const property = propertyName(node);
  if (property === undefined) return undefined;
  if (node.object.type === "Identifier" && node.object.name === "__ENV") return /^[A-Za-z_][A-Za-z0-9_]*$/.test(property) ? expr(`env.${property}`) : undefined;
  const object = valueOf(node.object, scope, cx);
  if (!object) return undefined;
  const safe = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(property);
  if (object.kind === "row") return safe ? expr(`data.${object.feed}.${property}`) : undefined;
  if (object.kind === "setup") return safe ? expr(`setup.${property}`) : undefined;
  if (object.kind === "expr" && object.code.startsWith("setup.") && /^[\w.-]+$/.test(object.code)) return safe ? expr(`${object.code}.${property}`) : undefined;
  if (object.kind === "json") {
    const inner = (object.value as Record<string, unknown> | null)?.[property];
    if (inner === undefined) return undefined;
    return fromJson(inner);
  }
  if (object.kind === "text" && property === "length" && !object.template.includes("${")) {
    return { kind: "number", value: object.template.replaceAll("$${", () => "${").length };
  }
  return undefined;
}

/** A JSON value (from a json Value) back as a Value. */
function fromJson(value: unknown): Value {
  if (typeof value === "string") return text(value);
  if (typeof value === "number") return { kind: "number", value };
  if (typeof value === "boolean") return { kind: "bool", value };
  if (value === null) return { kind: "null" };
  return { kind: "json", value };
}

function logical(node: AnyNode, scope: Scope, cx: K6Context): Value | undefined {
  const left = valueOf(node.left, scope, cx);
  const right = valueOf(node.right, scope, cx);
  // `__ENV.X || "default"`: the one form with a default (docs/expressions.md).
  if ((node.operator === "||" || node.operator === "??") && left?.kind === "expr" && /^env\.\w+$/.test(left.code)) {
    const fallback = templateOf(right);
    if (right && (right.kind === "text" || right.kind === "number") && fallback !== undefined && !fallback.includes("}") && !fallback.includes("$")) {
      return text(`\${${left.code}:-${fallback}}`);
    }
  }
  const l = exprOf(left);
  const r = exprOf(right);
  if (!l || !r || node.operator === "??") return undefined;
  // loadr's && and || give booleans (JavaScript's give an operand): fine in conditions only.
  return expr(`(${l.code} ${node.operator} ${r.code})`);
}

function binary(node: AnyNode, scope: Scope, cx: K6Context): Value | undefined {
  const left = valueOf(node.left, scope, cx);
  const right = valueOf(node.right, scope, cx);
  if (!left || !right) return undefined;
  const op: string = node.operator;
  if (op === "+") {
    if (left.kind === "number" && right.kind === "number") return { kind: "number", value: left.value + right.value };
    const l = exprOf(left);
    const r = exprOf(right);
    if (l?.numeric && r?.numeric) return expr(`(${l.code} + ${r.code})`, true);
    const lt = templateOf(left);
    const rt = templateOf(right);
    return lt !== undefined && rt !== undefined ? text(lt + rt) : undefined;
  }
  if (ARITHMETIC.has(op)) {
    if (left.kind === "number" && right.kind === "number") {
      const value = op === "-" ? left.value - right.value : op === "*" ? left.value * right.value : op === "/" ? left.value / right.value : left.value % right.value;
      if (Number.isFinite(value)) return { kind: "number", value };
    }
    const l = exprOf(left);
    const r = exprOf(right);
    return l && r ? expr(`(${l.code} ${op} ${r.code})`, true) : undefined;
  }
  const comparison = COMPARISONS[op];
  if (comparison) {
    const l = exprOf(left);
    const r = exprOf(right);
    return l && r ? expr(`(${l.code} ${comparison} ${r.code})`) : undefined;
  }
  return undefined;
}

function call(node: AnyNode, scope: Scope, cx: K6Context): Value | undefined {
  const callee = dottedName(node.callee)?.join(".");
  const args: AnyNode[] = node.arguments;
  // Math.floor(Math.random() * N) (+ M): a random integer in [M, M + N - 1].
  if (callee === "Math.floor" && args.length === 1) {
    const range = randomRange(args[0]!, scope, cx);
    if (range) return expr(`randomInt(${range.min}, ${range.min + range.span - 1})`, true);
  }
  const importedName = node.callee.type === "Identifier" ? scope.get(node.callee.name)?.value : undefined;
  if (importedName?.kind === "function") return functionValue(importedName.node, importedName.name, args, scope, cx);
  if (callee === "Object.assign" && args.length >= 1) {
    const merged: Record<string, unknown> = {};
    for (const arg of args) {
      const part = valueOf(arg, scope, cx);
      if (part?.kind !== "json" || typeof part.value !== "object" || part.value === null || Array.isArray(part.value)) return undefined;
      Object.assign(merged, part.value);
    }
    return { kind: "json", value: merged };
  }
  const utility = importedName?.kind === "import" ? importedName.name : undefined;
  if (utility === "randomIntBetween" && args.length === 2) {
    const a = exprOf(valueOf(args[0]!, scope, cx));
    const b = exprOf(valueOf(args[1]!, scope, cx));
    if (a && b) return expr(`randomInt(${a.code}, ${b.code})`, true);
  }
  if ((utility === "uuidv4" || callee === "crypto.randomUUID") && args.length === 0) return expr("uuid()");
  if (callee === "Date.now" && args.length === 0) return expr("timestamp()", true);
  if (callee === "JSON.stringify" && args.length === 1) {
    const value = jsonOf(valueOf(args[0]!, scope, cx));
    // The JSON text, and the value itself for a request body (`json:`).
    return value.ok ? { kind: "text", template: jsonText(value.value), json: { value: value.value } } : undefined;
  }
  if ((callee === "String" || callee === "encodeURIComponent") && args.length === 1) {
    const value = valueOf(args[0]!, scope, cx);
    const t = templateOf(value);
    if (t === undefined) return undefined;
    if (callee === "String") return text(t);
    // Only a constant can be encoded here; loadr has no URL-encoding function.
    return t.includes("${") ? (/^\$\{(vu|iteration)\}$/.test(t) ? text(t) : undefined) : text(escapeTemplate(encodeURIComponent(t)));
  }
  if ((callee === "parseInt" || callee === "Number" || callee === "parseFloat") && args.length >= 1) {
    const e = exprOf(valueOf(args[0]!, scope, cx));
    if (e) return expr(`${callee === "parseInt" ? "int" : "float"}(${e.code})`, true);
  }
  if (node.callee.type === "MemberExpression" && args.length === 0) {
    const method = propertyName(node.callee);
    const functions: Record<string, string> = { toLowerCase: "lower", toUpperCase: "upper", trim: "trim", toString: "str" };
    const fn = method !== undefined ? functions[method] : undefined;
    const e = fn ? exprOf(valueOf(node.callee.object, scope, cx)) : undefined;
    if (fn && e) return expr(`${fn}(${e.code})`);
  }
  return undefined;
}

/** Calls of the script's own functions that return one expression (`(tag) => ({ headers, tags })`), evaluated with their arguments. */
function functionValue(fn: AnyNode, name: string, args: AnyNode[], scope: Scope, cx: K6Context): Value | undefined {
  let body: AnyNode = fn.body;
  if (body.type === "BlockStatement") {
    if (body.body.length !== 1 || body.body[0].type !== "ReturnStatement" || !body.body[0].argument) return undefined;
    body = body.body[0].argument;
  }
  if (cx.inlining.includes(name) || cx.inlining.length >= MAX_CALL_DEPTH) return undefined;
  const inner = scope.child();
  for (let i = 0; i < fn.params.length; i++) {
    const param: AnyNode = fn.params[i];
    if (param.type !== "Identifier") return undefined;
    const arg = args[i];
    inner.set(param.name, arg ? (arg.type === "Identifier" && scope.get(arg.name) ? scope.get(arg.name)! : { value: valueOf(arg, scope, cx) }) : { value: { kind: "null" } });
  }
  cx.inlining.push(name);
  try {
    return valueOf(body, inner, cx);
  } finally {
    cx.inlining.pop();
  }
}

/** `Math.random() * N` (+ M), N and M integers: { min: M, span: N }. */
function randomRange(node: AnyNode, scope: Scope, cx: K6Context): { min: number; span: number } | undefined {
  if (node.type === "BinaryExpression" && node.operator === "+") {
    const inner = randomRange(node.left, scope, cx);
    const add = valueOf(node.right, scope, cx);
    if (inner && add?.kind === "number" && Number.isInteger(add.value)) return { min: inner.min + add.value, span: inner.span };
    return undefined;
  }
  if (node.type !== "BinaryExpression" || node.operator !== "*") return undefined;
  const [random, factor] = isMathRandom(node.left) ? [node.left, node.right] : isMathRandom(node.right) ? [node.right, node.left] : [];
  if (!random) return undefined;
  const n = valueOf(factor, scope, cx);
  if (n?.kind === "number" && Number.isInteger(n.value) && n.value > 0) return { min: 0, span: n.value };
  // Math.random() * items.length over a feed is a random row, not a number: the caller handles it.
  return undefined;
}

export function isMathRandom(node: AnyNode): boolean {
  return node.type === "CallExpression" && dottedName(node.callee)?.join(".") === "Math.random" && node.arguments.length === 0;
}
