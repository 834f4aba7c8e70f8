// JMeter's `${...}` in element properties → loadr templates (docs/expressions.md). Pure.
//
// JMeter substitutes `${name}` (a variable) and `${__fn(arg, …)}` (a function; arguments may
// nest more `${…}`, `\,` is a literal comma) into property text. A translated text is a list of
// parts: literal text, a loadr expression (`vars.token`, `data.users.name`, `randomInt(1, 6)`),
// or a JMeter property (`__P`/`__property`), which loadr reads from the environment with its
// default (`${env.NAME:-default}`). Parts render as a template (`toTemplate`, literal `${`
// escaped as `$${`) or as one expression (`toExpression`, for conditions and arguments).
//
// Functions without a loadr equivalent stay in the text as a literal (`$${__fn(…)}`), and the
// caller's `dropped` callback records them with their position.

export type Part =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "expr"; readonly code: string }
  | { readonly kind: "env"; readonly name: string; readonly fallback: string };

export interface TextContext {
  /** What a JMeter variable reference becomes (vars.x, a feed column, a User Defined Variable's value). */
  variable(name: string): Part[];
  /** A function or construct that has no loadr equivalent. */
  dropped(what: string, detail: string): void;
}

/** An environment variable name for a JMeter property (loadr names: letters, digits, _ and -). */
export function envName(property: string): string {
  const cleaned = property.trim().replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** A VU variable name for a JMeter variable name. */
export function varName(name: string): string {
  return envName(name);
}

/** Translates JMeter text into parts. */
export function translate(text: string, ctx: TextContext): Part[] {
  const parts: Part[] = [];
  let literal = "";
  let i = 0;
  const flush = () => {
    if (literal) parts.push({ kind: "text", text: literal });
    literal = "";
  };
  while (i < text.length) {
    if (text.startsWith("${", i)) {
      const ref = readReference(text, i);
      if (ref) {
        flush();
        parts.push(...referenceParts(ref, text.slice(i, ref.end), ctx));
        i = ref.end;
        continue;
      }
    }
    literal += text[i];
    i++;
  }
  flush();
  return merge(parts);
}

/** The parts as a loadr template string. */
export function toTemplate(parts: readonly Part[]): string {
  let out = "";
  for (const part of parts) {
    if (part.kind === "text") out += part.text.replaceAll("${", () => "$${");
    else if (part.kind === "expr") out += `\${${part.code}}`;
    else out += part.fallback.includes("}") ? `\${env.${part.name}}` : `\${env.${part.name}:-${part.fallback}}`;
  }
  return out;
}

/** The parts as one loadr expression (text parts quoted, joined with `+`); "''" for none. */
export function toExpression(parts: readonly Part[]): string {
  if (parts.length === 0) return "''";
  const codes = parts.map((part) => (part.kind === "text" ? quote(part.text) : part.kind === "expr" ? part.code : quote(part.fallback)));
  if (codes.length === 1) return codes[0]!;
  // `+` joins when either side is a string: start from text so numbers join rather than add.
  return (parts[0]!.kind === "text" ? codes : ["''", ...codes]).map((c) => (/^[\w.']+$|^'.*'$/.test(c) ? c : `(${c})`)).join(" + ");
}

/** A single-quoted loadr string literal. */
export function quote(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'").replaceAll("\n", "\\n").replaceAll("\r", "\\r").replaceAll("\t", "\\t")}'`;
}

/** The text when every part is literal (after taking properties at their defaults), else undefined. */
export function staticText(parts: readonly Part[]): string | undefined {
  let out = "";
  for (const part of parts) {
    if (part.kind === "expr") return undefined;
    out += part.kind === "text" ? part.text : part.fallback;
  }
  return out;
}

/** Whether any part depends on a JMeter property (the environment in loadr). */
export function usesProperty(parts: readonly Part[]): string[] {
  return parts.filter((p): p is Extract<Part, { kind: "env" }> => p.kind === "env").map((p) => p.name);
}

interface Reference {
  /** Index just past the closing `}`. */
  end: number;
  /** A variable's name, or a function's name (with the `__`). */
  name: string;
  function: boolean;
  /** A function's raw arguments (unescaped `\,`), absent when written without parentheses. */
  args?: string[];
}

/** Reads `${…}` at `start`; undefined when it is not a complete reference (then it is literal text). */
export function readReference(text: string, start: number): Reference | undefined {
  let i = start + 2;
  if (text.startsWith("__", i)) {
    const name = /^__[A-Za-z0-9_]+/.exec(text.slice(i))?.[0];
    if (!name) return undefined;
    i += name.length;
    if (text[i] === "}") return { end: i + 1, name, function: true };
    if (text[i] !== "(") return undefined;
    const args = readArguments(text, i + 1);
    if (!args || text[args.end] !== "}") return undefined;
    return { end: args.end + 1, name, function: true, args: args.args };
  }
  const close = text.indexOf("}", i);
  if (close === -1) return undefined;
  const name = text.slice(i, close);
  if (name === "" || name.includes("${")) return undefined;
  return { end: close + 1, name, function: false };
}

/** Arguments from just after `(` to the matching `)`: returns the index just past `)`. */
function readArguments(text: string, start: number): { args: string[]; end: number } | undefined {
  const args: string[] = [];
  let current = "";
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\\" && i + 1 < text.length) {
      current += text[i + 1];
      i += 2;
      continue;
    }
    if (c === "$" && text[i + 1] === "{") {
      const nested = readReference(text, i);
      if (nested) {
        current += text.slice(i, nested.end);
        i = nested.end;
        continue;
      }
    }
    if (c === "(") depth++;
    if (c === ")") {
      if (depth === 0) {
        args.push(current);
        return { args, end: i + 1 };
      }
      depth--;
    }
    if (c === "," && depth === 0) {
      args.push(current);
      current = "";
      i++;
      continue;
    }
    current += c;
    i++;
  }
  return undefined;
}

function referenceParts(ref: Reference, source: string, ctx: TextContext): Part[] {
  if (!ref.function) return ctx.variable(ref.name);
  const args = ref.args ?? [];
  const arg = (n: number) => (args[n] ?? "").trim();
  const literal = (): Part[] => {
    ctx.dropped(`function ${ref.name}`, `no loadr equivalent: kept as the literal text ${source}`);
    return [{ kind: "text", text: source }];
  };
  switch (ref.name) {
    case "__P":
      // __P(name[, default]): the default of a property without one is "1".
      return [{ kind: "env", name: envName(arg(0)), fallback: args.length > 1 ? (args[1] ?? "") : "1" }];
    case "__property":
      // __property(name[, variable[, default]]): without a default, the property's name.
      if (arg(1) !== "") ctx.dropped(`function __property storing into variable "${arg(1)}"`, "the value is used in place; the variable is not set");
      return [{ kind: "env", name: envName(arg(0)), fallback: args.length > 2 ? (args[2] ?? "") : arg(0) }];
    case "__env":
      return [{ kind: "env", name: envName(arg(0)), fallback: args[2] ?? "" }];
    case "__Random": {
      if (arg(2) !== "") ctx.dropped(`function __Random storing into variable "${arg(2)}"`, "the value is used in place; the variable is not set");
      return [{ kind: "expr", code: `randomInt(${numberArg(args[0] ?? "", ctx)}, ${numberArg(args[1] ?? "", ctx)})` }];
    }
    case "__UUID":
      return [{ kind: "expr", code: "uuid()" }];
    case "__threadNum":
      return [{ kind: "expr", code: "vu" }];
    case "__time": {
      const format = arg(0);
      if (arg(1) !== "") ctx.dropped(`function __time storing into variable "${arg(1)}"`, "the value is used in place; the variable is not set");
      if (format === "") return [{ kind: "expr", code: "timestamp()" }];
      if (format === "/1000") return [{ kind: "expr", code: "int(timestamp() / 1000)" }];
      ctx.dropped(`function __time with the format "${format}"`, "loadr has milliseconds since the epoch only: written as timestamp()");
      return [{ kind: "expr", code: "timestamp()" }];
    }
    default:
      return literal();
  }
}

/** A numeric function argument as an expression: a literal number stays one. */
function numberArg(raw: string, ctx: TextContext): string {
  const parts = translate(raw.trim(), ctx);
  const text = staticText(parts);
  if (text !== undefined && parts.every((p) => p.kind === "text") && /^-?\d+(\.\d+)?$/.test(text.trim())) {
    return text.trim().startsWith("-") ? `-${text.trim().slice(1)}` : text.trim();
  }
  return `int(${toExpression(parts)})`;
}

function merge(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === "text" && last?.kind === "text") out[out.length - 1] = { kind: "text", text: last.text + part.text };
    else if (part.kind !== "text" || part.text !== "") out.push(part);
  }
  return out;
}
