// The agent-loss policy of one controller run (`onAgentLoss` in the plan's `cluster:` block). An
// agent leaves a run without finishing when its stream closes, when it is silent past the
// liveness window, when it reports a failure, or when it does not report its end within
// STOP_TIMEOUT_MS of a stop. Under `continue` the others keep their shares and the summary says
// which share stopped and when; under `abort` every agent is stopped and the run fails. An agent
// that speaks again after being written off is told to kill its load: its share must not run on
// unaccounted.
//
// Contract: called by ControllerRun (run.ts) on registry events, agent messages and its tick;
// synchronous, sends through the run's host.
import { describeShare } from "./run-view.ts";
import { activeAgents, type RunAgent, type RunCore } from "./run-state.ts";
import { controllerMessage } from "../protocol.ts";

/** After a stop, agents that have not reported their end by then are given up on. */
const STOP_TIMEOUT_MS = 60_000;

/** The agent disconnected, went silent, or never reported its end. */
export function agentLost(run: RunCore, agentId: string, why: string): void {
  const { state, host } = run;
  const agent = state.agents.get(agentId);
  if (!agent || (agent.state !== "assigned" && agent.state !== "running")) return;
  agent.state = "lost";
  agent.lostAtUnixMs = host.now();
  agent.activeVus = 0;
  agent.vus = 0;
  host.release(agentId, state.id);
  const at = state.startAtUnixMs !== undefined ? `${((agent.lostAtUnixMs - state.startAtUnixMs) / 1000).toFixed(1)}s into the run` : "before the start";
  const abort = state.options.onAgentLoss === "abort";
  state.notes.push(
    `Agent ${agent.name} (${agent.agentId}) was lost ${at} (${why}); its share (${describeShare(agent)}) stopped. ` +
      `The run ${abort ? "was aborted (onAgentLoss: abort)" : `went on with ${activeAgents(state).length} of ${state.agents.size} agents`}.`,
  );
  run.emitAgent(agent, `${agent.name} lost: ${why}`);
  if (abort) abortFleet(run, `agent ${agent.name} was lost (onAgentLoss: abort)`);
  run.checkDone();
}

/** The agent reported that its share failed. The caller ends the run when it was the last one. */
export function agentFailed(run: RunCore, agent: RunAgent, error: string): void {
  const { state, host } = run;
  agent.state = "failed";
  agent.error = error || "failed without a reason";
  host.release(agent.agentId, state.id);
  run.emitAgent(agent, `${agent.name} failed: ${agent.error}`);
  state.notes.push(`Agent ${agent.name} failed: ${agent.error}`);
  if (state.options.onAgentLoss === "abort") abortFleet(run, `agent ${agent.name} failed (onAgentLoss: abort)`);
}

/** A written-off agent spoke again (a heartbeat): it is told to kill its load and is released. */
export function lostAgentSpoke(run: RunCore, agentId: string): void {
  run.host.send(agentId, controllerMessage("control", { run_id: run.state.id, action: "KILL", scenario: "", vus: 0 }));
  run.host.release(agentId, run.state.id);
}

/** Every tick: agents that did not report their end within STOP_TIMEOUT_MS of a stop are lost. */
export function checkStopTimeout(run: RunCore): void {
  const { state, host } = run;
  if (state.stopRequestedAt === undefined || host.now() - state.stopRequestedAt <= STOP_TIMEOUT_MS) return;
  for (const agent of activeAgents(state)) agentLost(run, agent.agentId, `it did not report its end within ${STOP_TIMEOUT_MS / 1000}s of the stop`);
}

/** onAgentLoss: abort — the first reason is the run's error; a stop already asked for stands. */
function abortFleet(run: RunCore, why: string): void {
  if (run.state.stopRequestedAt !== undefined) return;
  run.state.error ??= why;
  run.requestStop("KILL", `aborting: ${why}`);
}
