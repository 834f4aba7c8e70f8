// How a controller run ended, decided once its last agent is done, and the sentences its summary
// carries. The exit code is not decided here: the run loop maps the outcome (core/run/outcome.ts)
// from `failed`, the interruption and the thresholds. Pure.
import type { RunStatus } from "../api-types.ts";
import type { RunAgent, RunState } from "./run-state.ts";
import { describeUnreported, type LossTimes } from "./unreported.ts";

export interface EndFacts {
  agents: ReadonlyArray<Pick<RunAgent, "name" | "state" | "error">>;
  /** A stop, kill, abortOnFail or onAgentLoss: abort was asked for. */
  stopRequested: boolean;
  /** An abortOnFail threshold stopped the run. */
  abortedByThreshold: boolean;
  onAgentLoss: "continue" | "abort";
  /** The run's error so far (onAgentLoss: abort records why it fired). */
  error?: string;
}

export interface RunEnd {
  status: Extract<RunStatus, "finished" | "stopped" | "failed" | "aborted">;
  /** Set when the run broke: why (the run loop's outcome is then "failed", exit 1). */
  failed?: string;
}

/**
 * aborted: by a threshold (exit 99) or by onAgentLoss: abort (failed); failed: no agent finished
 * its share; stopped: a stop was asked for; finished otherwise.
 */
export function runEndOf(facts: EndFacts): RunEnd {
  if (facts.abortedByThreshold) return { status: "aborted" };
  if (facts.onAgentLoss === "abort" && facts.error) return { status: "aborted", failed: facts.error };
  if (!facts.agents.some((a) => a.state === "finished" || a.state === "stopped")) {
    const end = (a: EndFacts["agents"][number]) => (a.state === "lost" ? `lost${a.error ? ` (${a.error})` : ""}` : (a.error ?? a.state));
    return { status: "failed", failed: facts.error ?? facts.agents.map((a) => `${a.name}: ${end(a)}`).join("; ") };
  }
  return { status: facts.stopRequested ? "stopped" : "finished" };
}

/** The times that close a lost agent's counts (unreported.ts), at the end of the run. */
export function lossTimesOf(state: RunState, agent: RunAgent): LossTimes {
  return { lostAtUnixMs: agent.lostAtUnixMs ?? state.endedAtUnixMs ?? 0, startAtUnixMs: state.startAtUnixMs, endedAtUnixMs: state.endedAtUnixMs ?? agent.lostAtUnixMs ?? 0 };
}

/**
 * The summary's notes: the run's own, each lost agent's (how it was lost and what of its work is
 * missing, one note each), each agent's own (named), refused batches and progress reports, and the error.
 */
export function summaryNotes(state: RunState): string[] {
  const notes = [...state.notes];
  for (const a of state.agents.values()) {
    if (a.state === "lost" && a.lossNote) notes.push(`${a.lossNote} ${describeUnreported(a.reports, lossTimesOf(state, a))}`);
  }
  for (const a of state.agents.values()) {
    for (const n of a.notes) notes.push(`${a.name}: ${n}`);
    if (a.rejectedBatches > 0) {
      notes.push(`${a.name}: ${a.rejectedBatches} metric batch(es) were left out of the figures: malformed, out of bounds, or contradicting the metric definitions of other agents (mixed loadr versions?); the controller's log says which`);
    }
    if (a.rejectedProgress > 0) {
      notes.push(`${a.name}: ${a.rejectedProgress} malformed progress report(s) were ignored, so its share is missing from the per-scenario iteration counts (mixed loadr versions?)`);
    }
  }
  if (state.error && !notes.some((n) => n.includes(state.error!))) notes.push(`Run ${state.status}: ${state.error}`);
  return notes;
}
