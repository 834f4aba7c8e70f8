// Loads a plan's plugins (plugin-list.ts) on this thread, each once per thread (the main thread
// for validation and outputs; every VU worker again, so each has its own instances): JS/TS
// modules (js-plugin.ts), WebAssembly modules (wasm-plugin.ts), shared libraries
// (native-plugin.ts). Returns their module sets for `mergeModules`, their manifests (what a
// controller needs, manifest.ts), and every problem as a config issue: at the plugin file's own
// position when known (a syntax error, a throw at load), else at the plan's entry for it.
import { existsSync } from "node:fs";
import type { ConfigIssue } from "../config/issues.ts";
import { abiModules } from "./abi-kinds.ts";
import type { AbiPlugin } from "./abi.ts";
import { loadJsPlugin, PluginLoadError } from "./js-plugin.ts";
import { manifestOf, type PluginManifest } from "./manifest.ts";
import type { ModuleSet } from "./merge.ts";
import { loadNativePlugin, nativeCandidates } from "./native-plugin.ts";
import type { PluginEntry } from "./plugin-list.ts";
import { pluginModules } from "./plugin-modules.ts";
import type { PluginDefinition } from "./sdk.ts";
import { loadWasmPlugin } from "./wasm-plugin.ts";
import { PLUGIN_ERRORS } from "./failure.ts";

type Loaded = { kind: "js"; definition: PluginDefinition } | { kind: "abi"; plugin: AbiPlugin };

/** Per thread: a plugin file is imported or instantiated once, whatever loads it again. */
const cache = new Map<string, Promise<Loaded>>();

export interface LoadedPlugins {
  sets: ModuleSet[];
  manifests: PluginManifest[];
  issues: ConfigIssue[];
}

export async function loadPlugins(entries: readonly PluginEntry[]): Promise<LoadedPlugins> {
  const result: LoadedPlugins = { sets: [], manifests: [], issues: [] };
  const abi: AbiPlugin[] = [];
  const abiEntries: PluginEntry[] = [];
  for (const entry of entries) {
    const missing = entry.kind === "native" ? !nativeCandidates(entry.file).some((f) => existsSync(f)) : !existsSync(entry.file);
    if (missing) {
      const looked = entry.kind === "native" ? nativeCandidates(entry.file).join(", ") : entry.file;
      result.issues.push(issue(entry, `plugin ${entry.path} not found (looked for ${looked})`, "paths in plugins: are relative to the plan's directory; --plugin paths to the current directory"));
      continue;
    }
    let loaded: Loaded;
    try {
      loaded = await load(entry);
    } catch (error) {
      const e = error instanceof PluginLoadError ? error : new PluginLoadError((error as Error)?.message ?? String(error));
      const listed = entry.loc.line > 0 ? ` (listed at ${entry.loc.file}:${entry.loc.line}:${entry.loc.column})` : " (--plugin)";
      const where = e.position ? { file: entry.file, line: e.position.line, column: e.position.column } : entry.loc;
      result.issues.push({ message: `plugin ${entry.path}${e.position ? listed : ""}: ${e.message}`, path: entry.where, ...where, hint: e.hint ?? hintFor(entry) });
      continue;
    }
    if (loaded.kind === "js") {
      const set = pluginModules(loaded.definition, `plugin "${loaded.definition.name}" (${entry.path})`);
      result.sets.push(set);
      result.manifests.push(manifestOf(entry.path, loaded.definition.name, set));
    } else {
      abi.push(loaded.plugin);
      abiEntries.push(entry);
    }
  }
  if (abi.length > 0) {
    try {
      const set = abiModules(abi)!;
      result.sets.push({ ...set, metrics: [PLUGIN_ERRORS] });
      abi.forEach((plugin, i) => {
        const functions = Object.fromEntries(Object.entries(set.functions ?? {}).filter(([name]) => plugin.functions.has(name)));
        result.manifests.push(manifestOf(abiEntries[i]!.path, plugin.name, { steps: set.steps, checks: set.checks, functions, metrics: [PLUGIN_ERRORS] }));
      });
    } catch (error) {
      result.issues.push(issue(abiEntries[abiEntries.length - 1]!, (error as Error).message, "rename one of the two functions"));
    }
  }
  return result;
}

function load(entry: PluginEntry): Promise<Loaded> {
  let pending = cache.get(entry.file);
  if (!pending) {
    pending =
      entry.kind === "js"
        ? loadJsPlugin(entry.file).then((definition) => ({ kind: "js" as const, definition }))
        : (entry.kind === "wasm" ? loadWasmPlugin(entry.file) : loadNativePlugin(entry.file)).then((plugin) => ({ kind: "abi" as const, plugin }));
    cache.set(entry.file, pending);
  }
  return pending;
}

function issue(entry: PluginEntry, message: string, hint: string): ConfigIssue {
  return { message, hint, path: entry.where, ...entry.loc };
}

function hintFor(entry: PluginEntry): string {
  return entry.kind === "js"
    ? "see docs/plugins.md: a plugin's default export is definePlugin({ apiVersion: 1, name, ... })"
    : "see docs/plugins.md, \"The ABI\": memory, alloc and loadr_manifest, every function uint8_t *f(const uint8_t *in, size_t len, size_t *out_len)";
}
