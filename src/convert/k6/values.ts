// What a k6 expression stands for once converted: the symbolic values the k6 converter tracks per
// JavaScript binding, and how each renders into a loadr template (docs/expressions.md). A value the
// converter cannot follow is `undefined` at the call sites; these types name only what it can.
import type { Node } from "acorn";

/** A request step under construction: the YAML map of `- request: {...}`. */
export interface RequestStep {
  request: Record<string, unknown>;
  [key: string]: unknown;
}

export type Value =
  /** A string: a loadr template (`$${` escapes a literal `${`). */
  | { readonly kind: "text"; readonly template: string; readonly json?: { readonly value: unknown } }
  /** A loadr expression (the inside of `${}`); `numeric` when it is known to be a number. */
  | { readonly kind: "expr"; readonly code: string; readonly numeric: boolean }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "null" }
  /** An object or array literal: its JSON with loadr templates in the strings. */
  | { readonly kind: "json"; readonly value: unknown }
  /** The response of a request step. */
  | { readonly kind: "response"; readonly step: RequestStep; readonly name: string }
  /** A `SharedArray`/CSV feed, and one row of it. */
  | { readonly kind: "feed"; readonly feed: string }
  | { readonly kind: "row"; readonly feed: string }
  /** A custom metric object (`new Trend("x")`). */
  | { readonly kind: "metric"; readonly metric: string; readonly type: "trend" | "counter" | "rate" | "gauge" }
  /** What `setup()` returned, as the default function's parameter. */
  | { readonly kind: "setup" }
  /** A function of the script (inlined where it is called). */
  | { readonly kind: "function"; readonly node: FunctionLike; readonly name: string }
  /** A k6/net/grpc Client and what it was told (grpc.ts). */
  | { readonly kind: "grpcClient"; readonly state: import("./grpc.ts").GrpcClientState }
  /** An imported k6 module or name (`http`, `check`, `k6/metrics` Trend …). */
  | { readonly kind: "import"; readonly module: string; readonly name: string };

export type FunctionLike = Node & { params: Node[]; body: Node; async?: boolean };

export const text = (template: string): Value => ({ kind: "text", template });
export const expr = (code: string, numeric = false): Value => ({ kind: "expr", code, numeric });

/** A JavaScript string as template text: `${` is written `$${`. */
export function escapeTemplate(s: string): string {
  return s.replaceAll("${", () => "$${");
}

/** A string literal of the loadr expression language. */
export function exprString(s: string): string {
  return `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'").replaceAll("\n", "\\n").replaceAll("\r", "\\r").replaceAll("\t", "\\t")}'`;
}

/** The value as template text, when it has one. */
export function templateOf(value: Value | undefined): string | undefined {
  if (!value) return undefined;
  switch (value.kind) {
    case "text":
      return value.template;
    case "expr":
      return `\${${value.code}}`;
    case "number":
      return String(value.value);
    case "bool":
      return String(value.value);
    case "null":
      return "";
    default:
      return undefined;
  }
}

/** The value as a loadr expression (inside `${}`), when it has one. */
export function exprOf(value: Value | undefined): { code: string; numeric: boolean } | undefined {
  if (!value) return undefined;
  switch (value.kind) {
    case "expr":
      return { code: value.code, numeric: value.numeric };
    case "number":
      return { code: value.value < 0 ? `(-${-value.value})` : String(value.value), numeric: true };
    case "bool":
      return { code: String(value.value), numeric: false };
    case "null":
      return { code: "null", numeric: false };
    case "text": {
      const exact = /^\$\{([^{}]*)\}$/.exec(value.template);
      if (exact && !value.template.startsWith("$${")) return { code: exact[1]!, numeric: false };
      if (!value.template.includes("${")) return { code: exprString(value.template.replaceAll("$${", () => "${")), numeric: false };
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The value as a JSON value for `json:` bodies (strings hold templates); a numeric expression is
 * the exact template `${code}`, which keeps its type.
 */
export function jsonOf(value: Value | undefined): { ok: true; value: unknown } | { ok: false } {
  if (!value) return { ok: false };
  switch (value.kind) {
    case "json":
      return { ok: true, value: value.value };
    case "number":
    case "bool":
      return { ok: true, value: value.value };
    case "null":
      return { ok: true, value: null };
    case "text":
      return { ok: true, value: value.template };
    case "expr":
      return { ok: true, value: `\${${value.code}}` };
    default:
      return { ok: false };
  }
}

/** JSON text with the templates of `value` inside (for `JSON.stringify(...)` bodies). */
export function jsonText(value: unknown): string {
  if (typeof value === "string") {
    const exact = /^\$\{([^{}]*)\}$/.exec(value);
    // A numeric expression placed by jsonOf: unquoted, so it renders as a JSON number.
    if (exact && NUMERIC_EXPRESSION.test(exact[1]!)) return value;
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(jsonText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Expressions the converter emits that are numbers: `vu`, `iteration`, `randomInt(…)`, arithmetic over them. */
const NUMERIC_EXPRESSION = /^(?:vu|iteration|randomInt\([\d\s,]*\)|timestamp\(\)|[\d\s.+\-*/%()])+$/;
