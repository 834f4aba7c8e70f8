// The controller's PlanLoader: the engine's own `loadPlan`, with every problem reported as one
// ConfigError (exit 104 for the submitter), exactly as `loadr run` reports them locally.
// Plugins: the controller never imports or instantiates plugin code (it only forwards the files
// to agents, which load them in every worker). It validates the plan with stand-ins built from
// the submitted manifests (src/plugin-api/manifest.ts), after checking that every plugin the
// plan lists has one and was shipped with it; the agents check the plan again with the real ones.
import { ConfigError } from "../../shared/errors.ts";
import { loadPlan } from "../../config/load.ts";
import { formatIssues } from "../../config/issues.ts";
import type { PlanSource } from "../../config/plan.ts";
import type { PlanFiles } from "../../config/plan-files.ts";
import type { Modules } from "../../plugin-api/types.ts";
import { forwardedModules, type PluginManifest } from "../../plugin-api/manifest.ts";
import { mergeModules } from "../../plugin-api/merge.ts";
import { pluginEntries } from "../../plugin-api/plugin-list.ts";
import { BUILTINS } from "../../builtins.ts";
import { planInfoOf, type PlanInfo } from "./run-plan.ts";

/**
 * `files`: where the plan's data files come from (the shipped ones); `plugins`: the manifests of
 * the plan's plugins; `modules`: what plans may use (default the built-ins).
 */
export function loadPlanInfo(source: PlanSource, files: PlanFiles, plugins: readonly PluginManifest[] = [], modules: Modules = BUILTINS): PlanInfo {
  let withPlugins = modules;
  const listed = pluginEntries(source);
  if (listed.issues.length > 0) throw new ConfigError(formatIssues(listed.issues).trimEnd());
  if (listed.entries.length > 0) {
    const problems: string[] = [];
    for (const entry of listed.entries) {
      if (!plugins.some((m) => m.path === entry.path)) problems.push(`plugin ${entry.path} came without its manifest`);
      const shipped = entry.kind === "native" ? true : files.check(entry.path, "plugin") === undefined;
      if (!shipped) problems.push(files.check(entry.path, "plugin")!.message);
    }
    if (problems.length > 0) throw new ConfigError(problems.join("; "), "submit with loadr run --controller: it ships every plugin the plan lists with its manifest");
    try {
      withPlugins = mergeModules(modules, forwardedModules(plugins.filter((m) => listed.entries.some((e) => e.path === m.path))));
    } catch (error) {
      throw new ConfigError(`the plugins' manifests: ${(error as Error).message}`);
    }
  }
  const result = loadPlan(source, { mode: "run", modules: withPlugins, files, readUserCode: false });
  if (!result.ok) throw new ConfigError(formatIssues(result.issues).trimEnd());
  return planInfoOf(result.plan);
}
