// JMeter conditions (If Controller, While Controller) → one loadr expression (docs/expressions.md),
// or, for JavaScript that has no loadr form, a hook that computes it. Pure.
//
// JMeter substitutes `${…}` into the condition's text first, then (If Controller by default, and
// `__javaScript`/`__jexl2`/`__jexl3`/`__groovy` in either controller) evaluates it as code. Here
// each `${…}` becomes a placeholder identifier, the text is parsed as a JavaScript expression
// (acorn), and the tree is translated: literals, `== === != !== < <= > >= + - * / % && || !`,
// `"${x}"` strings (the variable's value), `vars.get("x")`, `.length`, `.includes/startsWith/
// endsWith/indexOf(…) != -1`, `.toLowerCase/toUpperCase/trim()`, `parseInt/parseFloat/Number/
// String(…)`. Anything else is `Unmapped`, and the caller turns the JavaScript into a hook.
import { parseExpressionAt } from "acorn";
import type { TextContext } from "./text.ts";
import { readReference, toExpression, translate, varName, type Part } from "./text.ts";

export class Unmapped extends Error {}

interface Prepared {
  /** The condition's code with each `${…}` as a placeholder identifier. */
  code: string;
  /** Placeholder name → the parts of its reference. */
  refs: Map<string, Part[]>;
  /** Placeholder name → the reference's source text. */
  sources: Map<string, string>;
}

const PLACEHOLDER = "__jmxRef";

/** Replaces each `${…}` of `text` with a placeholder, translating the reference itself. */
export function prepare(text: string, ctx: TextContext): Prepared {
  const refs = new Map<string, Part[]>();
  const sources = new Map<string, string>();
  let code = "";
  let i = 0;
  while (i < text.length) {
    if (text.startsWith("${", i)) {
      const ref = readReference(text, i);
      if (ref) {
        const name = `${PLACEHOLDER}${refs.size}`;
        const source = text.slice(i, ref.end);
        refs.set(name, translate(source, ctx));
        sources.set(name, source);
        code += name;
        i = ref.end;
        continue;
      }
    }
    code += text[i];
    i++;
  }
  return { code, refs, sources };
}

/** The JavaScript condition as one loadr expression (no `${}` around it); throws `Unmapped`. */
export function translateJs(text: string, ctx: TextContext): string {
  const prepared = prepare(text.trim(), ctx);
  let ast: Node;
  try {
    ast = parseExpressionAt(prepared.code, 0, { ecmaVersion: 2022 }) as unknown as Node;
  } catch (error) {
    throw new Unmapped(`it is not a JavaScript expression (${(error as Error).message})`);
  }
  if (prepared.code.slice(ast.end).trim() !== "") throw new Unmapped("it is more than one expression");
  return expression(ast, prepared);
}

// The subset of ESTree that the translation reads.
interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

const BINARY: Readonly<Record<string, string>> = {
  "==": "==",
  "===": "==",
  "!=": "!=",
  "!==": "!=",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
  "+": "+",
  "-": "-",
  "*": "*",
  "/": "/",
  "%": "%",
};

function expression(node: Node, p: Prepared): string {
  switch (node.type) {
    case "Literal": {
      const value = node.value;
      if (typeof value === "string") return stringLiteral(value, p);
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      if (value === null) return "null";
      throw new Unmapped(`the literal ${String(node.raw)} has no loadr form`);
    }
    case "Identifier": {
      const name = node.name as string;
      const parts = p.refs.get(name);
      if (parts) return wrap(toExpression(parts));
      if (name === "undefined") return "null";
      throw new Unmapped(`it uses the JavaScript name "${name}"`);
    }
    case "BinaryExpression": {
      const op = node.operator as string;
      const left = node.left as Node;
      const right = node.right as Node;
      const indexOf = indexOfTest(left, right, op, p) ?? indexOfTest(right, left, flip(op), p);
      if (indexOf) return indexOf;
      const mapped = BINARY[op];
      if (!mapped) throw new Unmapped(`the operator ${op} has no loadr form`);
      return `(${expression(left, p)} ${mapped} ${expression(right, p)})`;
    }
    case "LogicalExpression": {
      const op = node.operator as string;
      if (op !== "&&" && op !== "||") throw new Unmapped(`the operator ${op} has no loadr form`);
      return `(${expression(node.left as Node, p)} ${op} ${expression(node.right as Node, p)})`;
    }
    case "UnaryExpression": {
      const op = node.operator as string;
      const arg = expression(node.argument as Node, p);
      if (op === "!") return `!${arg}`;
      if (op === "-") return `-${arg}`;
      if (op === "+") return `float(${arg})`;
      throw new Unmapped(`the operator ${op} has no loadr form`);
    }
    case "MemberExpression": {
      if (!node.computed && (node.property as Node).name === "length") return `len(${expression(node.object as Node, p)})`;
      throw new Unmapped(`it reads the property ${(node.property as Node).name ?? "?"}`);
    }
    case "CallExpression":
      return call(node, p);
    default:
      throw new Unmapped(`a ${node.type} has no loadr form`);
  }
}

function call(node: Node, p: Prepared): string {
  const callee = node.callee as Node;
  const args = (node.arguments as Node[]) ?? [];
  if (callee.type === "Identifier") {
    const fn = callee.name as string;
    const only = () => {
      if (args.length < 1) throw new Unmapped(`${fn}() without an argument`);
      return expression(args[0]!, p);
    };
    if (fn === "parseInt") return `int(${only()})`;
    if (fn === "parseFloat" || fn === "Number") return `float(${only()})`;
    if (fn === "String") return `str(${only()})`;
    throw new Unmapped(`it calls ${fn}()`);
  }
  if (callee.type === "MemberExpression" && !callee.computed) {
    const method = (callee.property as Node).name as string;
    const object = callee.object as Node;
    if (object.type === "Identifier" && object.name === "vars" && method === "get" && args.length === 1 && args[0]!.type === "Literal" && typeof args[0]!.value === "string") {
      return `vars.${varName(args[0]!.value)}`;
    }
    const target = () => expression(object, p);
    const arg = (n: number) => {
      const a = args[n];
      if (!a) throw new Unmapped(`.${method}() without an argument`);
      return expression(a, p);
    };
    switch (method) {
      case "includes":
      case "contains":
        return `contains(${target()}, ${arg(0)})`;
      case "startsWith":
        return `startsWith(${target()}, ${arg(0)})`;
      case "endsWith":
        return `endsWith(${target()}, ${arg(0)})`;
      case "toLowerCase":
        return `lower(${target()})`;
      case "toUpperCase":
        return `upper(${target()})`;
      case "trim":
        return `trim(${target()})`;
      case "equals":
        return `(${target()} == ${arg(0)})`;
      case "equalsIgnoreCase":
        return `(lower(${target()}) == lower(${arg(0)}))`;
      default:
        throw new Unmapped(`it calls .${method}()`);
    }
  }
  throw new Unmapped("it calls a computed function");
}

/** `s.indexOf(t) != -1` (and the equivalent `> -1`, `>= 0`, `== -1`, `< 0`) → contains. */
function indexOfTest(callSide: Node, other: Node, op: string, p: Prepared): string | undefined {
  if (callSide.type !== "CallExpression") return undefined;
  const callee = callSide.callee as Node;
  if (callee.type !== "MemberExpression" || (callee.property as Node).name !== "indexOf") return undefined;
  const n = numberOf(other);
  if (n === undefined) return undefined;
  const args = callSide.arguments as Node[];
  if (args.length !== 1) return undefined;
  const contains = `contains(${expression(callee.object as Node, p)}, ${expression(args[0]!, p)})`;
  const found = (n === -1 && (op === "!=" || op === "!==" || op === ">")) || (n === 0 && op === ">=");
  const absent = (n === -1 && (op === "==" || op === "===")) || (n === 0 && op === "<");
  if (found) return contains;
  if (absent) return `!${contains}`;
  return undefined;
}

function numberOf(node: Node): number | undefined {
  if (node.type === "Literal" && typeof node.value === "number") return node.value;
  if (node.type === "UnaryExpression" && node.operator === "-" && (node.argument as Node).type === "Literal") return -((node.argument as Node).value as number);
  return undefined;
}

function flip(op: string): string {
  return ({ "<": ">", ">": "<", "<=": ">=", ">=": "<=" } as Record<string, string>)[op] ?? op;
}

/** A JavaScript string literal, with the placeholders it holds as the references' values. */
function stringLiteral(value: string, p: Prepared): string {
  const parts: Part[] = [];
  const pattern = new RegExp(`${PLACEHOLDER}\\d+`, "g");
  let last = 0;
  for (const match of value.matchAll(pattern)) {
    if (match.index > last) parts.push({ kind: "text", text: value.slice(last, match.index) });
    parts.push(...(p.refs.get(match[0]) ?? [{ kind: "text", text: match[0] }]));
    last = match.index + match[0].length;
  }
  if (last < value.length) parts.push({ kind: "text", text: value.slice(last) });
  return wrap(toExpression(parts));
}

/** Parenthesized unless it is one name, literal or call already. */
function wrap(code: string): string {
  if (/^[\w.']+$|^'[^'\\]*'$/.test(code)) return code;
  const call = /^[\w.]+\(/.exec(code);
  if (call && closingOf(code.slice(call[0].length - 1)) === code.length - call[0].length) return code;
  return `(${code})`;
}

/**
 * The condition as a JavaScript function body for a hook: each `${name}` in a string becomes
 * the VU variable's value, and one written as code becomes the value as code would see it
 * (`v("name")`, a string). `v` is defined by the caller.
 */
export function hookSource(text: string, ctx: TextContext): string {
  const prepared = prepare(text.trim(), ctx);
  const value = (name: string) => {
    const source = prepared.sources.get(name) ?? "";
    const ref = readReference(source, 0);
    return ref && !ref.function ? `v(${JSON.stringify(ref.name)})` : JSON.stringify(source);
  };
  let code = prepared.code;
  // Strings first (a placeholder inside quotes), then the bare placeholders.
  code = code.replace(/(["'])((?:\\.|(?!\1)[^\\])*)\1/g, (literal, _q: string, body: string) =>
    body.includes(PLACEHOLDER)
      ? `(${body
          .split(new RegExp(`(${PLACEHOLDER}\\d+)`))
          .map((piece) => (piece.startsWith(PLACEHOLDER) ? value(piece) : JSON.stringify(piece)))
          .join(" + ")})`
      : literal,
  );
  return code.replace(new RegExp(`${PLACEHOLDER}\\d+`, "g"), (name) => value(name));
}

/** `(a == b)` → `a == b` when the outer parentheses enclose the whole expression. */
export function unwrap(code: string): string {
  let text = code.trim();
  while (text.startsWith("(") && closingOf(text) === text.length - 1) text = text.slice(1, -1).trim();
  return text;
}

/** The index of the parenthesis closing the one at 0, skipping quoted strings. */
function closingOf(text: string): number {
  let depth = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}
