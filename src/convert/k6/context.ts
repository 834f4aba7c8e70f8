// The state of one k6 conversion: the source and its positions, the notes (the report), the
// bindings in scope (JavaScript name → converted value, with the declaration it came from, so a
// hook can re-create it), and the hooks module being generated. One per `convert` call; the
// converter is single-threaded and synchronous.
import type { Node } from "acorn";
import type { ConversionNote } from "../types.ts";
import { HooksModule } from "./hooks-module.ts";
import type { Value } from "./values.ts";

export interface Binding {
  readonly value: Value | undefined;
  /** The declaration's initializer (`__ENV.BASE_URL || "…"`), for hooks that read the name. */
  readonly init?: Node;
  /** The VU variable holding the value at run time, when a step or hook set one. */
  readonly variable?: string;
  /** Why the value is not known, for the report (`the result of check()`). */
  readonly unknown?: string;
}

export class Scope {
  private readonly bindings = new Map<string, Binding>();
  constructor(readonly parent?: Scope) {}

  get(name: string): Binding | undefined {
    return this.bindings.get(name) ?? this.parent?.get(name);
  }
  set(name: string, binding: Binding): void {
    this.bindings.set(name, binding);
  }
  /** Every binding visible here (inner ones first). */
  entries(): Array<[string, Binding]> {
    const out = new Map<string, Binding>();
    for (let s: Scope | undefined = this; s; s = s.parent) for (const [k, v] of s.bindings) if (!out.has(k)) out.set(k, v);
    return [...out];
  }
  child(): Scope {
    return new Scope(this);
  }
}

export interface CustomMetric {
  readonly type: "trend" | "counter" | "rate" | "gauge";
  readonly contains?: "time";
}

export class K6Context {
  readonly notes: ConversionNote[] = [];
  readonly hooks = new HooksModule();
  readonly metrics = new Map<string, CustomMetric>();
  readonly feeds = new Map<string, { csv: string; mode?: string }>();
  readonly files: string[] = [];
  /** Origins of absolute request URLs, counted: the most used one becomes `baseUrl`. */
  readonly origins = new Map<string, number>();
  /** Names of functions being inlined (a call cycle is not followed). */
  readonly inlining: string[] = [];
  /** Every request step, in source order (for baseUrl and the final key order). */
  readonly requests: Array<{ request: Record<string, unknown> }> = [];
  private readonly variables = new Set<string>();

  constructor(
    readonly fileName: string,
    readonly source: string,
  ) {}

  /** A VU variable name not used yet, from a JavaScript name (`token`, else `token_2` …). */
  variableName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_-]/g, "_").replace(/^([^A-Za-z_])/, "_$1") || "value";
    let name = clean;
    for (let i = 2; this.variables.has(name); i++) name = `${clean}_${i}`;
    this.variables.add(name);
    return name;
  }

  /** `script.js:42:7` of a node (acorn columns are 0-based). */
  at(node: Node): string {
    const loc = node.loc?.start;
    return loc ? `${this.fileName}:${loc.line}:${loc.column + 1}` : this.fileName;
  }

  line(node: Node): number {
    return node.loc?.start.line ?? 0;
  }

  code(node: Node): string {
    return this.source.slice(node.start, node.end);
  }

  /** The first line of a node's source, shortened, for the report. */
  snippet(node: Node, max = 60): string {
    const first = this.code(node).split("\n")[0]!.trim();
    return first.length > max ? `${first.slice(0, max - 1)}…` : first;
  }

  note(kind: ConversionNote["kind"], what: string, node: Node, detail?: string): void {
    this.notes.push({ kind, what, where: this.at(node), ...(detail ? { detail } : {}) });
  }
}
