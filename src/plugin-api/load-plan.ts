// Loading a plan with its plugins: the plan's `plugins:` (and `--plugin`s) are loaded on this
// thread and merged over `modules` (mergeModules, the built-ins' own path), then the plan is
// loaded with the result (config/load.ts). Used wherever a plan is loaded to run or validate:
// `loadr validate`, `loadr run` (main thread), every VU worker (workers and agents find the
// plugins in the plan's source: its text and overrides). A controller never calls this: it
// validates with the submitted manifests (manifest.ts `forwardedModules`). When a plugin does not
// load, the plan's other problems are not looked for (its steps would all read as unknown).
import type { LoadOptions, LoadResult } from "../config/load.ts";
import { loadPlan, readPlanSource } from "../config/load.ts";
import type { PlanOverrides } from "../config/overrides.ts";
import type { PlanSource } from "../config/plan.ts";
import { loadPlugins } from "./load-plugins.ts";
import type { PluginManifest } from "./manifest.ts";
import { mergeModules } from "./merge.ts";
import { pluginEntries } from "./plugin-list.ts";
import type { Modules } from "./types.ts";

export type LoadedWithPlugins = LoadResult & {
  /** `options.modules` with the plugins merged in (what the plan was loaded with). */
  modules: Modules;
  /** One per plugin, for a submission to a controller. */
  manifests: PluginManifest[];
};

export interface PluginLoadOptions extends LoadOptions {
  modules: Modules;
}

export async function loadPlanWithPlugins(source: PlanSource, options: PluginLoadOptions): Promise<LoadedWithPlugins> {
  const listed = pluginEntries(source);
  if (listed.entries.length === 0 && listed.issues.length === 0) return { ...loadPlan(source, options), modules: options.modules, manifests: [] };
  const loaded = await loadPlugins(listed.entries);
  const issues = [...listed.issues, ...loaded.issues];
  let modules = options.modules;
  if (issues.length === 0) {
    try {
      modules = mergeModules(options.modules, ...loaded.sets);
    } catch (error) {
      const first = listed.entries[0]!;
      issues.push({ message: (error as Error).message, path: "plugins", ...first.loc, hint: "two modules register the same name: rename one, or load only one of the plugins" });
    }
  }
  if (issues.length > 0) return { ok: false, issues, warnings: [], modules, manifests: loaded.manifests };
  return { ...loadPlan(source, { ...options, modules }), modules, manifests: loaded.manifests };
}

/** `loadPlanFile` with the plan's plugins (see above). */
export async function loadPlanFileWithPlugins(
  path: string,
  env: Record<string, string | undefined>,
  options: PluginLoadOptions,
  overrides?: PlanOverrides,
): Promise<LoadedWithPlugins> {
  const read = await readPlanSource(path, env, options, overrides);
  if (!("source" in read)) return { ...read.failed, modules: options.modules, manifests: [] };
  return loadPlanWithPlugins(read.source, options);
}
