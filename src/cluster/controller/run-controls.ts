// Controls of one controller run (POST /api/runs/:id/control, `loadr control`, Ctrl-C of
// `loadr run --controller`): pause, resume and scale go to every active agent; stop (graceful)
// and kill (now) stop every agent and end the run "interrupted" (exit 105) once they reported.
// A scale carries the scenario-wide count to each agent that runs the scenario: each takes its
// own share of it once (LocalRun.scale).
//
// Contract: called by ControllerRun (run.ts); synchronous; answers what is wrong instead of
// throwing.
import { BUILTINS } from "../../builtins.ts";
import { readScaleRequest, scalableScenarios, type ScaleRequest } from "../../core/run/scale-request.ts";
import { FINAL_RUN_STATUSES } from "../api-types.ts";
import { controllerMessage } from "../protocol.ts";
import { activeAgents, type RunCore } from "./run-state.ts";

export const CONTROL_ACTIONS = ["stop", "kill", "pause", "resume", "scale"] as const;
export type RunControl = (typeof CONTROL_ACTIONS)[number];

export function isRunControl(action: unknown): action is RunControl {
  return (CONTROL_ACTIONS as readonly unknown[]).includes(action);
}

/** Why a control was refused: 400 a request that can never work, 409 one the run's state refuses now. */
export interface ControlProblem {
  status: 400 | 409;
  error: string;
}

/** Applies a control; `body` carries a scale's `{scenario, vus}` (core/run/scale-request.ts reads it). */
export function applyControl(run: RunCore, action: RunControl, body: unknown = {}): ControlProblem | undefined {
  const { state, host } = run;
  if (FINAL_RUN_STATUSES.includes(state.status)) return { status: 409, error: `run ${state.id} is already ${state.status}` };
  let scale: ScaleRequest | undefined;
  if (action === "scale") {
    const read = readScaleRequest(body, scalableScenarios(state.plan.scenarios, BUILTINS.executors));
    if ("error" in read) return { status: 400, error: read.error };
    scale = read;
  }
  if (action === "stop" || action === "kill") {
    // A stop after abortOnFail or onAgentLoss: abort has begun does not change how the run ended.
    if (state.stopRequestedAt === undefined) run.interrupt(`a ${action} control`);
    if (state.status === "waiting") run.endUnstarted("stopped before any agent was assigned");
    else run.requestStop(action === "kill" ? "KILL" : "STOP", `${action} requested`);
    return undefined;
  }
  if (state.status === "waiting") return { status: 409, error: `run ${state.id} has not started yet` };
  for (const agent of activeAgents(state)) {
    if (!scale) {
      host.send(agent.agentId, controllerMessage("control", { run_id: state.id, action: action === "pause" ? "PAUSE" : "RESUME", scenario: "", vus: 0 }));
    } else if (agent.scenarios.some((s) => s.scenario === scale.scenario)) {
      host.send(agent.agentId, controllerMessage("control", { run_id: state.id, action: "SCALE", scenario: scale.scenario, vus: scale.vus }));
    }
  }
  if (action === "pause" && state.status === "running") state.status = "paused";
  if (action === "resume" && state.status === "paused") state.status = "running";
  run.emitStatus(scale ? `scaled ${scale.scenario} to ${scale.vus} VUs` : `${action}d`);
  return undefined;
}

/** STOP (graceful) or KILL (now) to every active agent; the run waits in `stopping` for their end. */
export function requestStop(run: RunCore, action: "STOP" | "KILL", message: string): void {
  const { state, host } = run;
  state.stopRequestedAt ??= host.now();
  for (const agent of activeAgents(state)) {
    host.send(agent.agentId, controllerMessage("control", { run_id: state.id, action, scenario: "", vus: 0 }));
  }
  if (!FINAL_RUN_STATUSES.includes(state.status) && state.status !== "stopping") {
    state.status = "stopping";
    run.emitStatus(message);
  }
  run.checkDone();
}
