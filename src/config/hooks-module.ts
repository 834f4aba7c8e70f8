// Reads a plan's hooks module at load time without running it: Bun's transpiler scans each file
// for its imports and exports (a syntax error is reported with the file's own line:col), and every
// relative import is followed, so the module's whole file set is known (it ships with the plan to
// agents, config/plan-files.ts and src/cluster/client.ts) and a `js:` step naming a missing export
// is a config error. Synchronous; reads only through `PlanFiles`. Packages and node: builtins are
// refused: the module runs in an isolated context (src/hooks/) where they would not exist.
import { dirname, join, normalize } from "node:path";
import type { PlanFiles } from "./plan-files.ts";

/** Files one module may pull in (itself and every relative import), a bound on a mistaken import loop. */
export const MAX_MODULE_FILES = 200;

const LOADERS: Readonly<Record<string, "ts" | "js" | "json">> = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".js": "js", ".mjs": "js", ".cjs": "js", ".json": "json" };
/** Tried in order after the specifier as written, like Bun's own resolution of a relative import. */
const SUFFIXES = [".ts", ".js", ".mjs", ".json", "/index.ts", "/index.js"];

export interface ModuleProblem {
  message: string;
  hint: string;
  /** In the module's own files, when the problem sits there (a syntax error, an import). */
  at?: { file: string; line: number; column: number };
}

export interface ScannedModule {
  /** The entry's export names. */
  exports: string[];
  /** Plan-relative paths: the entry first, then every file it imports, in first-seen order. */
  files: string[];
}

export type ScanResult = { ok: true; module: ScannedModule } | { ok: false; problems: ModuleProblem[] };

function loaderOf(path: string): "ts" | "js" | "json" | undefined {
  const dot = path.lastIndexOf(".");
  return dot < 0 ? undefined : LOADERS[path.slice(dot).toLowerCase()];
}

/** Scans `entry` (plan-relative, as written) and everything it imports. */
export function scanHooksModule(files: PlanFiles, entry: string): ScanResult {
  const problems: ModuleProblem[] = [];
  const loader = loaderOf(entry);
  if (loader === undefined || loader === "json") {
    return { ok: false, problems: [{ message: `hooks module ${entry} is not a .ts, .js or .mjs file`, hint: "name an ES module: hooks: ./hooks.ts" }] };
  }
  const missing = files.check(entry, "hooks module");
  if (missing) return { ok: false, problems: [missing] };
  const seen: string[] = [normalize(entry)];
  const exportsByFile = new Map<string, string[]>();
  for (let i = 0; i < seen.length; i++) {
    const path = seen[i]!;
    const kind = loaderOf(path);
    const read = files.readText(path, "hooks module file");
    if (!read.ok) {
      problems.push({ message: read.message, hint: read.hint });
      continue;
    }
    if (kind === "json") {
      try {
        JSON.parse(read.text);
      } catch (error) {
        problems.push({ message: `${files.describe(path)} is not valid JSON: ${(error as Error).message}`, hint: "fix the JSON file the hooks module imports" });
      }
      continue;
    }
    let scan: { exports: string[]; imports: Array<{ path: string; kind: string }> };
    try {
      scan = new Bun.Transpiler({ loader: kind ?? "js" }).scan(read.text);
    } catch (error) {
      const e = error as { message?: string; line?: number; column?: number };
      problems.push({
        message: `syntax error in hooks module file ${files.describe(path)}: ${firstLine(e.message ?? String(error))}`,
        hint: "fix the module; `loadr validate` checks it again",
        at: { file: files.describe(path), line: e.line ?? 1, column: e.column ?? 1 },
      });
      continue;
    }
    exportsByFile.set(path, scan.exports);
    for (const imported of scan.imports) {
      const spec = imported.path;
      const at = { file: files.describe(path), ...positionOf(read.text, spec) };
      if (!spec.startsWith("./") && !spec.startsWith("../")) {
        problems.push({
          message: `hooks module file ${files.describe(path)} imports "${spec}": only the module's own files (relative imports like ./util.ts) are available`,
          hint: "hooks run in an isolated context without packages or node: builtins; copy what you need into a file beside the module",
          at,
        });
        continue;
      }
      const resolved = resolveImport(files, join(dirname(path), spec));
      if (resolved === undefined) {
        problems.push({ message: `hooks module file ${files.describe(path)} imports "${spec}", which is not found`, hint: `tried ${spec} and ${spec}{${SUFFIXES.join(",")}}`, at });
        continue;
      }
      if (!seen.includes(resolved)) {
        if (seen.length >= MAX_MODULE_FILES) {
          problems.push({ message: `the hooks module imports more than ${MAX_MODULE_FILES} files`, hint: "bundle or trim the module's imports" });
          break;
        }
        seen.push(resolved);
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, module: { exports: exportsByFile.get(seen[0]!) ?? [], files: seen } };
}

function resolveImport(files: PlanFiles, path: string): string | undefined {
  const base = normalize(path);
  for (const candidate of [base, ...SUFFIXES.map((suffix) => base + suffix)]) {
    if (loaderOf(candidate) !== undefined && files.check(candidate, "hooks module file") === undefined) return candidate;
  }
  return undefined;
}

/** line:col of the first quoted occurrence of `spec` (an import's specifier), else 1:1. */
function positionOf(text: string, spec: string): { line: number; column: number } {
  let index = -1;
  for (const quote of ['"', "'", "`"]) {
    index = text.indexOf(quote + spec + quote);
    if (index >= 0) break;
  }
  if (index < 0) return { line: 1, column: 1 };
  const before = text.slice(0, index);
  const line = before.split("\n").length;
  return { line, column: index - before.lastIndexOf("\n") };
}

function firstLine(message: string): string {
  const lines = message.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => l.startsWith("error:"))?.replace(/^error:\s*/, "") ?? lines[0] ?? message;
}
