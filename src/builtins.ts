// The composition root: every built-in module gathered into the one `Modules` value the CLI,
// worker threads, agents and the controller start from (extra modules are merged over it with
// `mergeModules`, src/plugin-api/merge.ts). Outside core/ and config/, which never import it:
// they receive what they need (the syntax half, the runtime half) as arguments.
import type { Modules } from "./plugin-api/types.ts";
import { SHARED_CHECKS } from "./core/checks/index.ts";
import { SHARED_EXTRACTIONS } from "./core/extract/index.ts";
import { CONTROL_STEPS } from "./core/flow/steps/index.ts";
import { EXECUTORS } from "./executors/registry.ts";
import { K6_SHORTCUTS } from "./executors/shortcuts.ts";
import { CORE_METRICS } from "./metrics/builtin.ts";
import { OUTPUTS } from "./outputs/registry.ts";
import { PROTOCOLS } from "./protocols/registry.ts";

export const BUILTINS: Modules = {
  steps: CONTROL_STEPS,
  protocols: PROTOCOLS,
  executors: EXECUTORS,
  outputs: OUTPUTS,
  checks: SHARED_CHECKS,
  extractions: SHARED_EXTRACTIONS,
  metrics: CORE_METRICS,
  shortcuts: K6_SHORTCUTS,
};
