// The agent-loss policy of one controller run (`onAgentLoss` in the plan's `cluster:` block). An
// agent leaves a run without finishing when its stream closes, when it is silent past the
// liveness window, when it reports a failure, or when it does not report its end within
// STOP_TIMEOUT_MS of a stop. Under `continue` the others keep their shares and the summary says
// which share stopped and when; under `abort` every agent is stopped and the run fails. An agent
// that speaks again after being written off is told to kill its load: its share must not run on
// unaccounted, and the run waits up to LOST_FLUSH_WAIT_MS for its final batch before it ends
// (its batches are merged until then: run.ts). The summary states, per lost agent, what of its
// work did not arrive (unreported.ts).
//
// Contract: called by ControllerRun (run.ts) on registry events, agent messages and its tick;
// synchronous, sends through the run's host.
import { describeShare } from "./run-view.ts";
import { activeAgents, type RunAgent, type RunCore, type RunState } from "./run-state.ts";
import { controllerMessage } from "../protocol.ts";

/** After a stop, agents that have not reported their end by then are given up on. */
const STOP_TIMEOUT_MS = 60_000;
/** A written-off agent told to kill its load has this long to deliver its final batch before the run ends without it. */
const LOST_FLUSH_WAIT_MS = 5_000;

/** The agent disconnected, went silent, or never reported its end. */
export function agentLost(run: RunCore, agentId: string, why: string): void {
  const { state, host } = run;
  const agent = state.agents.get(agentId);
  if (!agent || (agent.state !== "assigned" && agent.state !== "running")) return;
  agent.state = "lost";
  agent.lostAtUnixMs = host.now();
  agent.error ??= why;
  agent.activeVus = 0;
  agent.vus = 0;
  host.release(agentId, state.id);
  const start = state.startAtUnixMs;
  const at = start !== undefined && agent.lostAtUnixMs >= start ? `${((agent.lostAtUnixMs - start) / 1000).toFixed(1)}s into the run` : "before the load started";
  const abort = state.options.onAgentLoss === "abort";
  // The summary completes it with what of the agent's work is missing (run-end.ts).
  agent.lossNote =
    `Agent ${agent.name} (${agent.agentId}) was lost ${at} (${why}); its share (${describeShare(agent)}) stopped. ` +
    `The run ${abort ? "was aborted (onAgentLoss: abort)" : `went on with ${activeAgents(state).length} of ${state.agents.size} agents`}.`;
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

/** A written-off agent spoke again (a heartbeat): it is told to kill its load (its final batch is awaited) and is released. */
export function lostAgentSpoke(run: RunCore, agentId: string): void {
  const agent = run.state.agents.get(agentId);
  if (agent && !agent.reports.final) agent.killSentAtUnixMs ??= run.host.now();
  run.host.send(agentId, controllerMessage("control", { run_id: run.state.id, action: "KILL", scenario: "", vus: 0 }));
  run.host.release(agentId, run.state.id);
}

/**
 * Whether a lost agent that is alive again (told to kill its load, or still sending batches) may
 * yet deliver its final batch: the run waits for it, LOST_FLUSH_WAIT_MS at most since it was last
 * told or heard from.
 */
export function awaitingLostFlush(state: RunState, now: number): boolean {
  for (const agent of state.agents.values()) {
    if (agent.state !== "lost" || agent.reports.final) continue;
    const lastBatch = agent.reports.lastAtUnixMs;
    const batchAfterLoss = lastBatch !== undefined && agent.lostAtUnixMs !== undefined && lastBatch > agent.lostAtUnixMs ? lastBatch : undefined;
    const alive = Math.max(agent.killSentAtUnixMs ?? -Infinity, batchAfterLoss ?? -Infinity);
    if (now - alive < LOST_FLUSH_WAIT_MS) return true;
  }
  return false;
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
