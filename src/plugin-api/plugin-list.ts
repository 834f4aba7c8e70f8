// Which plugins a plan loads: its top-level `plugins:` (paths relative to the plan's directory)
// and then `loadr run --plugin FILE`s (PlanOverrides.plugins), each with where it is written, so
// a problem with a plugin is reported at its entry. Read from the plan's source, so every thread
// and agent that loads the plan again finds the same list. Pure apart from parsing.
import { extname, isAbsolute, join, normalize } from "node:path";
import { isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { ConfigIssue } from "../config/issues.ts";
import type { PlanSource } from "../config/plan.ts";
import { NATIVE_EXTENSIONS } from "./native-plugin.ts";

/** At most this many plugins per plan. */
export const MAX_PLUGINS = 32;

const JS_EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs", ".tsx", ".jsx"]);

export type PluginKind = "js" | "wasm" | "native";

export interface PluginEntry {
  /** As written (plan-relative or absolute). */
  path: string;
  /** Where it is on this machine. */
  file: string;
  kind: PluginKind;
  /** The plan path of the entry, e.g. `plugins.0`, or `--plugin`. */
  where: string;
  /** Where the entry is written; line 0 for the command line. */
  loc: { file: string; line: number; column: number };
}

export function pluginKind(path: string): PluginKind | undefined {
  const ext = extname(path).toLowerCase();
  if (JS_EXTENSIONS.has(ext)) return "js";
  if (ext === ".wasm") return "wasm";
  if ((NATIVE_EXTENSIONS as readonly string[]).includes(ext)) return "native";
  return undefined;
}

/** The plan's plugins, in order; problems (an unknown kind, a plugin listed twice) as issues at the entry. */
export function pluginEntries(source: PlanSource): { entries: PluginEntry[]; issues: ConfigIssue[] } {
  const written: Array<{ path: string; where: string; loc: PluginEntry["loc"] }> = [];
  if (/^plugins\s*:/m.test(source.text)) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(source.text, { lineCounter, uniqueKeys: false });
    const node = doc.errors.length === 0 ? doc.get("plugins", true) : undefined;
    if (isSeq(node)) {
      node.items.forEach((item, i) => {
        // Not a string: the plan's schema reports it.
        if (!isScalar(item) || typeof item.value !== "string") return;
        const { line, col } = lineCounter.linePos(item.range?.[0] ?? 0);
        written.push({ path: item.value, where: `plugins.${i}`, loc: { file: source.file, line, column: col } });
      });
    }
  }
  for (const path of source.overrides?.plugins ?? []) written.push({ path, where: "--plugin", loc: { file: "command line", line: 0, column: 0 } });
  const entries: PluginEntry[] = [];
  const issues: ConfigIssue[] = [];
  const problem = (at: (typeof written)[number], message: string, hint: string) => issues.push({ message, hint, path: at.where, ...at.loc });
  if (written.length > MAX_PLUGINS) problem(written[MAX_PLUGINS]!, `the plan loads ${written.length} plugins; at most ${MAX_PLUGINS} are allowed`, "combine plugins into fewer files");
  const seen = new Set<string>();
  for (const at of written.slice(0, MAX_PLUGINS)) {
    const kind = pluginKind(at.path);
    if (kind === undefined) {
      problem(at, `plugin ${at.path}: not a plugin file`, "a plugin is a JS/TS module (.ts, .js, .mjs), a WebAssembly module (.wasm) or a shared library (.so, .dylib, .dll)");
      continue;
    }
    const file = normalize(isAbsolute(at.path) ? at.path : join(source.baseDir, at.path));
    if (seen.has(file)) {
      problem(at, `plugin ${at.path} is listed twice`, "list each plugin once");
      continue;
    }
    seen.add(file);
    entries.push({ ...at, file, kind });
  }
  return { entries, issues };
}
