// The composition root: every built-in module gathered into the one `Modules` value the CLI,
// worker threads, agents and the controller start from. The built-ins are a plugin definition
// (`definePlugin`, src/plugin-api/sdk.ts) merged by `mergeModules` (src/plugin-api/merge.ts)
// exactly as a plugin file is (src/plugin-api/load-plugins.ts): one registry per kind, one path.
// Outside core/ and config/, which never import it: they receive what they need (the syntax
// half, the runtime half) as arguments.
import type { Modules } from "./plugin-api/types.ts";
import { mergeModules } from "./plugin-api/merge.ts";
import { pluginModules } from "./plugin-api/plugin-modules.ts";
import { definePlugin, PLUGIN_API_VERSION } from "./plugin-api/sdk.ts";
import { FUNCTIONS } from "./config/expression/functions.ts";
import { SHARED_CHECKS } from "./core/checks/index.ts";
import { SHARED_EXTRACTIONS } from "./core/extract/index.ts";
import { CONTROL_STEPS } from "./core/flow/steps/index.ts";
import { EXECUTORS } from "./executors/registry.ts";
import { K6_SHORTCUTS } from "./executors/shortcuts.ts";
import { CORE_METRICS } from "./metrics/builtin.ts";
import { OUTPUTS } from "./outputs/registry.ts";
import { PROTOCOLS } from "./protocols/registry.ts";

/** loadr's own modules, written as a plugin is. */
export const BUILTIN_PLUGIN = definePlugin({
  apiVersion: PLUGIN_API_VERSION,
  name: "loadr",
  steps: CONTROL_STEPS,
  protocols: PROTOCOLS,
  executors: EXECUTORS,
  outputs: OUTPUTS,
  checks: SHARED_CHECKS,
  extractions: SHARED_EXTRACTIONS,
  functions: FUNCTIONS,
  metrics: CORE_METRICS,
});

/** What a set of modules starts from before any is merged in: empty registries and k6's shortcuts. */
const NOTHING: Modules = { steps: {}, protocols: {}, executors: {}, outputs: {}, checks: {}, extractions: {}, functions: {}, metrics: [], shortcuts: K6_SHORTCUTS };

export const BUILTINS: Modules = mergeModules(NOTHING, pluginModules(BUILTIN_PLUGIN, "the built-ins", false));
