// The state of one JMX conversion: the notes (what mapped, became a hook or was dropped, where),
// the hooks module's functions, the data feeds, and how JMeter variable names resolve — a CSV
// Data Set's column (`data.FEED.COLUMN`), a User Defined Variable, or a VU variable
// (`vars.NAME`). One per `convert` call; not shared.
import type { ConversionNote } from "../types.ts";
import { kindName, positionOf } from "./labels.ts";
import { translate, varName, type Part, type TextContext } from "./text.ts";
import type { JmxElement } from "./xml.ts";
import { label } from "./labels.ts";

/** An element with the path of labels that leads to it (its own label last). */
export interface Located {
  readonly el: JmxElement;
  readonly path: readonly string[];
}

export function locate(el: JmxElement, parent?: Located): Located {
  return { el, path: [...(parent?.path ?? []), label(el)] };
}

export interface Feed {
  readonly name: string;
  readonly csv: string;
  readonly mode: "sequential" | "random" | "unique";
}

export interface HookFunction {
  readonly name: string;
  readonly source: string;
}

export class JmxContext {
  private readonly noted: Array<{ note: ConversionNote; line: number; order: number }> = [];
  readonly hooks: HookFunction[] = [];
  readonly feeds = new Map<string, Feed>();
  readonly files: string[] = [];
  /** JMeter variable name → its feed column. */
  readonly columns = new Map<string, { feed: string; column: string }>();
  /** User Defined Variables in effect (JMeter name → raw value), for load-time values. */
  readonly defined = new Map<string, string>();
  /** User Defined Variables with a literal value that nothing else writes: safe to use as text. */
  readonly constants = new Map<string, string>();
  private readonly hookNames = new Set<string>();

  constructor(readonly fileName: string) {}

  where(at: Located): string {
    return positionOf(at.path, at.el, this.fileName);
  }

  /** The notes in the order of the file (by element line; in recording order within one element). */
  get notes(): ConversionNote[] {
    return [...this.noted].sort((a, b) => a.line - b.line || a.order - b.order).map((n) => n.note);
  }

  mapped(at: Located, detail?: string, what = kindName(at.el)): void {
    this.add(at, { kind: "mapped", what, where: this.where(at), ...(detail ? { detail } : {}) });
  }

  dropped(at: Located, detail: string, what = kindName(at.el)): void {
    this.add(at, { kind: "dropped", what, where: this.where(at), detail });
  }

  hook(at: Located, detail: string, what = kindName(at.el)): void {
    this.add(at, { kind: "hook", what, where: this.where(at), detail });
  }

  private add(at: Located, note: ConversionNote): void {
    this.noted.push({ note, line: at.el.line, order: this.noted.length });
  }

  /** A unique hook function name from an element's testname. */
  hookName(base: string): string {
    const words = base.replace(/[^A-Za-z0-9]+/g, " ").trim().split(" ").filter(Boolean);
    let name = words.map((w, i) => (i === 0 ? w[0]!.toLowerCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1))).join("") || "hook";
    if (/^\d/.test(name)) name = `h${name}`;
    let unique = name;
    for (let n = 2; this.hookNames.has(unique) || RESERVED.has(unique); n++) unique = `${name}${n}`;
    this.hookNames.add(unique);
    return unique;
  }

  /**
   * Translation of runtime text (request fields, check values): variables are the VU's.
   * `inlineConstants`: a constant User Defined Variable is its text instead (so a query
   * parameter JMeter URL-encodes can be encoded here: loadr does not encode rendered values).
   */
  runtime(at: Located, inlineConstants = false): TextContext {
    return {
      variable: (name) => {
        const constant = inlineConstants ? this.constants.get(name) : undefined;
        return constant === undefined ? this.variable(name) : [{ kind: "text", text: constant }];
      },
      dropped: (what, detail) => this.dropped(at, detail, `${kindName(at.el)}: ${what}`),
    };
  }

  /**
   * Translation of load-time text (the base URL, executor numbers): User Defined Variables are
   * replaced by their values; anything else stays a runtime reference (and cannot be load-time).
   */
  loadTime(at: Located, seen: ReadonlySet<string> = new Set()): TextContext {
    return {
      variable: (name) => {
        const value = this.defined.get(name);
        if (value === undefined || seen.has(name)) return this.variable(name);
        return translate(value, this.loadTime(at, new Set([...seen, name])));
      },
      dropped: (what, detail) => this.dropped(at, detail, `${kindName(at.el)}: ${what}`),
    };
  }

  private variable(name: string): Part[] {
    const column = this.columns.get(name);
    if (column) return [{ kind: "expr", code: `data.${column.feed}.${column.column}` }];
    return [{ kind: "expr", code: `vars.${varName(name)}` }];
  }
}

/** Names a generated hook function may not take (the module's own helpers, JS keywords). */
const RESERVED = new Set(["jmeterVars", "jmeterLog", "jmeterProps", "default", "function", "return", "var", "let", "const", "if", "for", "while", "new", "delete", "in"]);
