// The controller's PlanLoader: the engine's own `loadPlan`, with every problem reported as one
// ConfigError (exit 104 for the submitter), exactly as `loadr run` reports them locally.
import { ConfigError } from "../../shared/errors.ts";
import { loadPlan } from "../../config/load.ts";
import { formatIssues } from "../../config/issues.ts";
import type { PlanSource } from "../../config/plan.ts";
import { planInfoOf, type PlanInfo } from "./run-plan.ts";

export function loadPlanInfo(source: PlanSource): PlanInfo {
  const result = loadPlan(source, { mode: "run" });
  if (!result.ok) throw new ConfigError(formatIssues(result.issues).trimEnd());
  return planInfoOf(result.plan);
}
