// The hooks module a k6 conversion generates (the JS hooks contract of issue 13): named functions
// called by `js` steps and checks, `setup`/`teardown`, the script's own helper functions they
// call, and small shims for the k6 APIs that original code uses (k6/http in setup, k6-utils).
// Every function carries a comment naming the source position it came from. Text assembly only;
// the shims are in shims.ts.

export interface HookFunction {
  /** The export's name. */
  readonly name: string;
  /** `script.js:42:7` and the original code's first line. */
  readonly from: string;
  readonly params: string;
  readonly body: string;
  readonly async?: boolean;
}

export class HooksModule {
  private readonly functions: HookFunction[] = [];
  private readonly helpers = new Map<string, string>();
  private readonly names = new Set<string>();

  /** A name not taken yet: `base`, else `base_2`, `base_3` … */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(\d)/, "_$1") || "hook";
    let name = clean;
    for (let i = 2; this.names.has(name); i++) name = `${clean}_${i}`;
    this.names.add(name);
    return name;
  }

  add(fn: HookFunction): void {
    this.names.add(fn.name);
    this.functions.push(fn);
  }

  /** Module-level code (a helper function of the script, a shim), once per name, in first-use order. */
  helper(name: string, code: string): void {
    if (!this.helpers.has(name)) this.helpers.set(name, code);
  }

  hasHelper(name: string): boolean {
    return this.helpers.has(name);
  }

  get empty(): boolean {
    return this.functions.length === 0;
  }

  /** The module's text, or undefined when nothing went into hooks. */
  source(header: string): string | undefined {
    if (this.functions.length === 0) return undefined;
    const parts = [header];
    for (const code of this.helpers.values()) parts.push(code);
    for (const fn of this.functions) {
      // The body is not re-indented: a multi-line template literal in original code must keep its text.
      parts.push(`// ${fn.from}\nexport ${fn.async ? "async " : ""}function ${fn.name}(${fn.params}) {\n${fn.body}\n}`);
    }
    return `${parts.join("\n\n")}\n`;
  }
}

