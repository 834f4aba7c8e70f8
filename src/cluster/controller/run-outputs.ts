// Outputs of controller runs. The controller feeds them from the run's merged metrics (one
// writer for the whole fleet, exact percentiles), each point tagged `run_id` (outputs/
// series-view.ts). Trust boundary: a controller never writes files or contacts addresses on
// behalf of a submitted plan, as it never reads its disk for one (runs.ts). So:
// - the operator's outputs (`loadr controller --out NAME=ARG`) apply to every run; `{run_id}` in
//   an argument is replaced by the run's id (one file per run: `--out jsonl=/data/{run_id}.jsonl`);
// - a submitted plan's own `outputs:` list is refused with a ConfigError (exit 104 for the
//   submitter), except by the in-process controller of `loadr run --local-agents`
//   (cluster/local-cluster.ts), whose submitter is the operator: there it is honoured;
// - an output with `perAgent: true` gets one series per agent (tag `agent`) instead of the
//   merged ones (agent-series.ts).
import type { OutputRequest } from "../../outputs/from-flags.ts";
import { createOutputs } from "../../outputs/from-flags.ts";
import { RunOutputs } from "../../outputs/run-consumer.ts";
import { OUTPUTS } from "../../outputs/registry.ts";
import type { OutputModule } from "../../outputs/types.ts";
import { ConfigError } from "../../shared/errors.ts";
import type { PlanInfo } from "./run-plan.ts";

export interface ControllerOutputs {
  /** The operator's requests (`loadr controller --out`), for every run. */
  requests: readonly OutputRequest[];
  /** Honour a submitted plan's `outputs:` list (only the `--local-agents` controller). */
  planOutputs: boolean;
  /** Relative paths resolve against it. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  registry?: Readonly<Record<string, OutputModule>>;
}

/** Throws when the plan asks for outputs this controller does not write for a plan. */
export function checkPlanOutputs(plan: PlanInfo, config: ControllerOutputs | undefined): void {
  const first = plan.outputs?.[0];
  if (first === undefined || config?.planOutputs) return;
  throw new ConfigError(
    `${first.origin}: a controller does not write a submitted plan's outputs (it writes no files and contacts no addresses on a plan's behalf)`,
    "remove outputs: from the plan for --controller runs; the controller's operator sends every run's metrics with `loadr controller --out NAME=ARGUMENT`; or run the plan locally or with --local-agents",
  );
}

/** The run's outputs, started; a ConfigError (422 for the submitter) when one cannot start. */
export async function startRunOutputs(config: ControllerOutputs | undefined, runId: string, plan: PlanInfo, onProblem: (message: string) => void): Promise<RunOutputs> {
  if (!config) return new RunOutputs([]);
  const operator = config.requests.map((r) => ({ ...r, argument: r.argument.replaceAll("{run_id}", runId) }));
  const requests = [...operator, ...(config.planOutputs ? (plan.outputs ?? []) : [])];
  const created = createOutputs(requests, config.registry ?? OUTPUTS, { cwd: config.cwd, planName: plan.name, runId, env: config.env, onProblem });
  const outputs = new RunOutputs(created, created.filter((_, i) => requests[i]!.options.perAgent === true));
  await outputs.start();
  return outputs;
}
