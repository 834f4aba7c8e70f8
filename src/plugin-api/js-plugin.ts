// A JS/TS plugin: an ES module whose default export is `definePlugin({...})` (sdk.ts), imported
// once per thread (the module cache). Its own mistakes come back as a PluginLoadError with the
// plugin file's position: a syntax error where the parser stopped, a throw at load where the
// stack first points into the file.
import { pathToFileURL } from "node:url";
import { definitionProblems } from "./plugin-modules.ts";
import { registerSdkModule } from "./sdk-module.ts";
import type { PluginDefinition } from "./sdk.ts";

/** A plugin that does not load: what is wrong, and where in the plugin's own file when known. */
export class PluginLoadError extends Error {
  constructor(
    message: string,
    readonly position?: { line: number; column: number },
    readonly hint?: string,
  ) {
    super(message);
    this.name = "PluginLoadError";
  }
}

export async function loadJsPlugin(file: string): Promise<PluginDefinition> {
  registerSdkModule();
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw importFailure(file, error);
  }
  if (!("default" in namespace)) {
    const named = Object.keys(namespace);
    throw new PluginLoadError(
      `it has no default export${named.length > 0 ? ` (it exports ${named.join(", ")})` : ""}`,
      undefined,
      "end the plugin with `export default definePlugin({ apiVersion: 1, name: \"...\", ... })` (import { definePlugin } from \"loadr:sdk\")",
    );
  }
  const problems = definitionProblems(namespace.default);
  if (problems.length > 0) throw new PluginLoadError(problems.join("; "), undefined, "see docs/plugins.md for what a plugin definition holds");
  return namespace.default as PluginDefinition;
}

function importFailure(file: string, error: unknown): PluginLoadError {
  const e = error as { name?: string; message?: string; position?: { line?: number; column?: number }; stack?: string; code?: string };
  if (e?.name === "BuildMessage" || e?.name === "ResolveMessage") {
    const position = typeof e.position?.line === "number" ? { line: e.position.line, column: (e.position.column ?? 0) + 0 } : undefined;
    const what = e.name === "ResolveMessage" ? "cannot resolve an import" : "syntax error";
    return new PluginLoadError(`${what}: ${e.message}`, position, e.name === "ResolveMessage" ? "a plugin may import loadr:sdk, node: and bun: modules and files beside it" : "fix the plugin's source");
  }
  if (e?.code === "ERR_MODULE_NOT_FOUND" || /Cannot find module/.test(e?.message ?? "")) {
    return new PluginLoadError(`cannot load it: ${e?.message}`, undefined, "check the path; it is relative to the plan's directory");
  }
  const stack = typeof e?.stack === "string" ? e.stack : "";
  const frame = stack.split("\n").map((l) => frameIn(l, file)).find((p) => p !== undefined);
  const trace = stack.split("\n").slice(1, 6).map((l) => l.trim()).join(" ← ");
  return new PluginLoadError(`it threw while loading: ${e?.message ?? String(error)}${trace ? ` (${trace})` : ""}`, frame, "the plugin's top-level code must not throw");
}

/** `at fn (/abs/file.ts:12:5)` → {12, 5} when the frame is in `file`. */
function frameIn(line: string, file: string): { line: number; column: number } | undefined {
  const at = line.lastIndexOf(file + ":");
  if (at < 0) return undefined;
  const m = /^:(\d+):(\d+)/.exec(line.slice(at + file.length));
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}
