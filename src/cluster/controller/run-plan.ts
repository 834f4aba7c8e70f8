// What the controller needs to know about a submitted plan, and how a submission's cluster
// options are resolved from the plan's `cluster:` block and the submitter's overrides.
import type { ClusterSpec, OutputSpec, PlanSource, TestPlan, ThresholdSpec } from "../../config/plan.ts";
import { CLUSTER_DEFAULTS } from "../../config/normalize/plan.ts";
import type { PlanFiles } from "../../config/plan-files.ts";
import type { SubmitRequest } from "../api-types.ts";
import type { MetricDefinition } from "../../metrics/types.ts";

export interface PlanInfo {
  name: string;
  scenarios: Array<{ name: string; executor: { type: string } }>;
  thresholds: ThresholdSpec[];
  /** The summary's trend figures (TestPlan.summaryTrendStats). */
  summaryTrendStats?: readonly string[];
  cluster?: ClusterSpec;
  files: string[];
  /** The plan's metric definitions (TestPlan.metrics); the core metrics only when absent. */
  metrics?: readonly MetricDefinition[];
  /** The plan's `outputs:` list (controller/run-outputs.ts decides whether it is honoured). */
  outputs?: OutputSpec[];
}

/**
 * Loads and validates a submitted plan from its source. Its data files are read through `files`
 * only (the files shipped with the submission: config/plan-files.ts `shippedFiles`), never from
 * `source.baseDir`, which names no directory. Throws a LoadrError/ConfigError with every problem
 * on an invalid plan. The CLI wires `loadPlanInfo` (load-plan.ts); tests may pass a stub.
 */
export type PlanLoader = (source: PlanSource, files: PlanFiles) => Promise<PlanInfo> | PlanInfo;

export function planInfoOf(plan: TestPlan): PlanInfo {
  return {
    name: plan.name,
    scenarios: plan.scenarios,
    thresholds: plan.thresholds,
    ...(plan.summaryTrendStats ? { summaryTrendStats: plan.summaryTrendStats } : {}),
    cluster: plan.cluster,
    files: plan.files,
    metrics: plan.metrics,
    ...(plan.outputs ? { outputs: plan.outputs } : {}),
  };
}

export interface RunClusterOptions {
  /** 0: every idle agent matching the selector. */
  agents: number;
  waitMs: number;
  /** Agents that have not confirmed their start this long after the barrier are given up on. */
  startTimeoutMs: number;
  selector: Record<string, string>;
  onAgentLoss: "continue" | "abort";
  scenarioSelectors: Record<string, Record<string, string>>;
}

/**
 * The submitter's overrides, else the plan's `cluster:` block, else the same defaults a
 * `cluster:` block gets (config/normalize/plan.ts): a plan means the same with or without one.
 */
export function resolveClusterOptions(plan: PlanInfo, overrides: SubmitRequest["cluster"] = {}): RunClusterOptions {
  const c = plan.cluster;
  return {
    agents: overrides.agents ?? c?.agents ?? CLUSTER_DEFAULTS.agents,
    waitMs: overrides.waitMs ?? c?.wait ?? CLUSTER_DEFAULTS.wait,
    startTimeoutMs: c?.startTimeout ?? CLUSTER_DEFAULTS.startTimeout,
    selector: overrides.selector ?? c?.selector ?? {},
    onAgentLoss: overrides.onAgentLoss ?? c?.onAgentLoss ?? CLUSTER_DEFAULTS.onAgentLoss,
    scenarioSelectors: c?.scenarios ?? {},
  };
}
