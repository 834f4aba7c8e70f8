// Reads the JSON shapes documented in a Markdown file (fenced ```shape blocks, docs/api.md) and
// checks values against them, so a test can hold a real server's responses to its documentation.
//
// The notation (TypeScript-like): `Name = Type` definitions; types are `string`, `number`,
// `boolean`, `null`, `unknown`, string literals ("running"), unions (A | B), arrays (T[]), groups
// ((A | B)[]), references to other definitions, and objects `{ key: T, key?: T, "p(95)": T,
// [name]: T }` where `?` marks an optional key and `[name]: T` admits any further key with a value
// of T. Objects are closed: a key the shape does not name (and no `[name]` admits) is an error, so
// a response cannot grow fields the documentation does not have. `//` starts a comment.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type Shape =
  | { kind: "prim"; name: "string" | "number" | "boolean" | "null" | "unknown" }
  | { kind: "literal"; value: string }
  | { kind: "ref"; name: string }
  | { kind: "array"; of: Shape }
  | { kind: "union"; of: Shape[] }
  | { kind: "object"; members: Array<{ key: string; optional: boolean; type: Shape }>; rest?: Shape };

const PRIMS = new Set(["string", "number", "boolean", "null", "unknown"]);

/** The shapes of docs/api.md. */
export function apiShapes(): Map<string, Shape> {
  return parseShapes(readFileSync(join(import.meta.dir, "..", "..", "docs", "api.md"), "utf8"));
}

/** Every definition of every ```shape block in `markdown`. Throws on a syntax error or a name defined twice. */
export function parseShapes(markdown: string): Map<string, Shape> {
  const defs = new Map<string, Shape>();
  for (const block of markdown.matchAll(/^```shape\n([\s\S]*?)^```/gm)) {
    const p = new Parser(block[1]!);
    while (!p.done()) {
      const name = p.ident();
      p.expect("=");
      if (defs.has(name)) throw new Error(`shape ${name} is defined twice`);
      defs.set(name, p.type());
    }
  }
  for (const [name, shape] of defs) checkRefs(shape, defs, name);
  return defs;
}

function checkRefs(shape: Shape, defs: Map<string, Shape>, where: string): void {
  switch (shape.kind) {
    case "ref":
      if (!defs.has(shape.name)) throw new Error(`${where} refers to ${shape.name}, which no shape block defines`);
      break;
    case "array":
      checkRefs(shape.of, defs, where);
      break;
    case "union":
      for (const s of shape.of) checkRefs(s, defs, where);
      break;
    case "object":
      for (const m of shape.members) checkRefs(m.type, defs, where);
      if (shape.rest) checkRefs(shape.rest, defs, where);
      break;
  }
}

class Parser {
  readonly #tokens: string[];
  #i = 0;

  constructor(text: string) {
    const source = text.replace(/\/\/[^\n]*/g, "");
    this.#tokens = source.match(/"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|\[\]|[{}[\]():,;?|=]/g) ?? [];
    const rest = source.replace(/"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|\[\]|[{}[\]():,;?|=]|\s+/g, "");
    if (rest !== "") throw new Error(`unexpected characters in a shape block: ${rest.slice(0, 20)}`);
  }

  done(): boolean {
    return this.#i >= this.#tokens.length;
  }

  #peek(): string | undefined {
    return this.#tokens[this.#i];
  }

  #next(): string {
    const t = this.#tokens[this.#i++];
    if (t === undefined) throw new Error("a shape block ends too early");
    return t;
  }

  expect(token: string): void {
    const t = this.#next();
    if (t !== token) throw new Error(`expected "${token}" in a shape block, found "${t}" (token ${this.#i})`);
  }

  ident(): string {
    const t = this.#next();
    if (!/^[A-Za-z_]/.test(t)) throw new Error(`expected a name in a shape block, found "${t}"`);
    return t;
  }

  type(): Shape {
    const of = [this.#postfix()];
    while (this.#peek() === "|") {
      this.#next();
      of.push(this.#postfix());
    }
    return of.length === 1 ? of[0]! : { kind: "union", of };
  }

  #postfix(): Shape {
    let shape = this.#primary();
    while (this.#peek() === "[]") {
      this.#next();
      shape = { kind: "array", of: shape };
    }
    return shape;
  }

  #primary(): Shape {
    const t = this.#next();
    if (t === "(") {
      const inner = this.type();
      this.expect(")");
      return inner;
    }
    if (t === "{") return this.#object();
    if (t.startsWith('"')) return { kind: "literal", value: t.slice(1, -1) };
    if (PRIMS.has(t)) return { kind: "prim", name: t as "string" };
    if (/^[A-Za-z_]/.test(t)) return { kind: "ref", name: t };
    throw new Error(`unexpected "${t}" in a shape block`);
  }

  #object(): Shape {
    const members: Array<{ key: string; optional: boolean; type: Shape }> = [];
    let rest: Shape | undefined;
    for (;;) {
      const t = this.#next();
      if (t === "}") break;
      if (t === "," || t === ";") continue;
      if (t === "[") {
        this.ident();
        this.expect("]");
        this.expect(":");
        rest = this.type();
        continue;
      }
      const key = t.startsWith('"') ? t.slice(1, -1) : t;
      let optional = false;
      if (this.#peek() === "?") {
        this.#next();
        optional = true;
      }
      this.expect(":");
      members.push({ key, optional, type: this.type() });
    }
    return rest ? { kind: "object", members, rest } : { kind: "object", members };
  }
}

/** What is wrong with `value` as a `name` (by JSON path); empty when it conforms. */
export function checkShape(value: unknown, name: string, defs: Map<string, Shape>): string[] {
  const shape = defs.get(name);
  if (!shape) return [`no shape named ${name} is documented`];
  return problems(value, shape, defs, "$");
}

function typeOf(value: unknown): string {
  return value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
}

function describe(shape: Shape): string {
  switch (shape.kind) {
    case "prim":
      return shape.name;
    case "literal":
      return JSON.stringify(shape.value);
    case "ref":
      return shape.name;
    case "array":
      return `${describe(shape.of)}[]`;
    case "union":
      return shape.of.map(describe).join(" | ");
    case "object":
      return "an object";
  }
}

function problems(value: unknown, shape: Shape, defs: Map<string, Shape>, path: string): string[] {
  switch (shape.kind) {
    case "prim":
      if (shape.name === "unknown") return [];
      if (shape.name === "number" && typeof value === "number" && !Number.isFinite(value)) return [`${path}: ${value} is not a JSON number`];
      return typeOf(value) === shape.name ? [] : [`${path}: expected ${shape.name}, got ${JSON.stringify(value)?.slice(0, 80)}`];
    case "literal":
      return value === shape.value ? [] : [`${path}: expected ${JSON.stringify(shape.value)}, got ${JSON.stringify(value)?.slice(0, 80)}`];
    case "ref":
      return problems(value, defs.get(shape.name)!, defs, path);
    case "array":
      if (!Array.isArray(value)) return [`${path}: expected ${describe(shape)}, got ${typeOf(value)}`];
      return value.flatMap((item, i) => problems(item, shape.of, defs, `${path}[${i}]`));
    case "union": {
      const each = shape.of.map((s) => problems(value, s, defs, path));
      if (each.some((p) => p.length === 0)) return [];
      return [`${path}: matches none of ${describe(shape)}: ${each.map((p) => p[0]).join("; ")}`];
    }
    case "object": {
      if (typeOf(value) !== "object") return [`${path}: expected an object, got ${JSON.stringify(value)?.slice(0, 80)}`];
      const record = value as Record<string, unknown>;
      const out: string[] = [];
      const named = new Set(shape.members.map((m) => m.key));
      for (const m of shape.members) {
        if (!(m.key in record)) {
          if (!m.optional) out.push(`${path}.${m.key}: missing`);
          continue;
        }
        out.push(...problems(record[m.key], m.type, defs, `${path}.${m.key}`));
      }
      for (const key of Object.keys(record)) {
        if (named.has(key)) continue;
        if (shape.rest) out.push(...problems(record[key], shape.rest, defs, `${path}["${key}"]`));
        else out.push(`${path}.${key}: not documented`);
      }
      return out;
    }
  }
}
