// The hooks module as one script: Bun's bundler transpiles the TypeScript (no type check) and
// joins the module's relative imports and JSON into one CommonJS body with an inline source map,
// which src/hooks/module.ts evaluates in the isolated context. Only the module's own files can be
// imported (config/hooks-module.ts refused anything else at load; the plugin here refuses it
// again, so a file changed since the load cannot pull in a package). No top-level await (CommonJS).
import { join, relative, resolve } from "node:path";
import type { BunPlugin } from "bun";
import { SourceMap } from "./source-map.ts";

export interface Bundle {
  /** The CommonJS body (it assigns `module.exports`). */
  code: string;
  map: SourceMap;
  /** The original text of each source the map names (for locating a function's declaration). */
  sources: Map<string, string>;
}

export class BundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BundleError";
  }
}

const ownFilesOnly: BunPlugin = {
  name: "loadr-hooks-own-files",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      throw new Error(`"${args.path}" cannot be imported: hooks may import only their own files (relative paths)`);
    });
  },
};

/** Bundles `module` (relative to `baseDir`); throws BundleError naming each problem's file:line:col. */
export async function bundleHooks(baseDir: string, module: string): Promise<Bundle> {
  const entry = join(baseDir, module);
  let result: Awaited<ReturnType<typeof Bun.build>>;
  try {
    result = await Bun.build({ entrypoints: [entry], root: baseDir, format: "cjs", target: "browser", sourcemap: "inline", throw: false, plugins: [ownFilesOnly] });
  } catch (error) {
    throw new BundleError(`hooks module ${module}: ${(error as Error).message}`);
  }
  if (!result.success || result.outputs.length === 0) {
    const lines = result.logs.map((log) => {
      const p = log.position;
      return p ? `${relative(baseDir, p.file) || p.file}:${p.line}:${p.column}: ${log.message}` : log.message;
    });
    throw new BundleError(`hooks module ${module} does not build:\n  ${lines.join("\n  ") || "no output"}`);
  }
  const code = await result.outputs[0]!.text();
  const inline = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  let raw: { sources?: unknown; sourcesContent?: unknown; mappings?: unknown } = {};
  if (inline) {
    try {
      raw = JSON.parse(Buffer.from(inline[1]!, "base64").toString("utf8"));
    } catch {
      raw = {};
    }
  }
  // The map names sources relative to the process's directory: name them relative to the plan's.
  if (Array.isArray(raw.sources)) raw.sources = raw.sources.map((name) => relative(baseDir, resolve(String(name))) || String(name));
  const sources = new Map<string, string>();
  if (Array.isArray(raw.sources) && Array.isArray(raw.sourcesContent)) {
    raw.sources.forEach((name, i) => {
      const text = (raw.sourcesContent as unknown[])[i];
      if (typeof text === "string") sources.set(String(name), text);
    });
  }
  return { code: inline ? code.slice(0, inline.index) : code, map: new SourceMap(raw), sources };
}
