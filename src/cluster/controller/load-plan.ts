// The controller's PlanLoader: the engine's own `loadPlan`, with every problem reported as one
// ConfigError (exit 104 for the submitter), exactly as `loadr run` reports them locally.
import { ConfigError } from "../../shared/errors.ts";
import { loadPlan } from "../../config/load.ts";
import { formatIssues } from "../../config/issues.ts";
import type { PlanSource } from "../../config/plan.ts";
import type { PlanFiles } from "../../config/plan-files.ts";
import type { Modules } from "../../plugin-api/types.ts";
import { BUILTINS } from "../../builtins.ts";
import { planInfoOf, type PlanInfo } from "./run-plan.ts";

/**
 * `files`: where the plan's data files come from (the shipped ones); `modules`: what plans may
 * use (default the built-ins; a local cluster passes extra ones merged in).
 */
export function loadPlanInfo(source: PlanSource, files: PlanFiles, modules: Modules = BUILTINS): PlanInfo {
  const result = loadPlan(source, { mode: "run", modules, files, readUserCode: false });
  if (!result.ok) throw new ConfigError(formatIssues(result.issues).trimEnd());
  return planInfoOf(result.plan);
}
