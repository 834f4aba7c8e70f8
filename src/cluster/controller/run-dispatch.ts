// Dispatch and the start barrier of one controller run: while the run waits, each offer of the
// fleet is put to the pure dispatcher (cluster/dispatch.ts); once it picks agents, every agent
// gets its assignment and one start time START_DELAY_MS ahead, converted to its own clock. Each
// agent then confirms its start (a STARTED event); one that has not confirmed
// `options.startTimeoutMs` after the barrier is given up on: while no agent confirmed (the run is
// still `starting`) the run fails, naming them; later, each is lost under the run's policy.
//
// Contract: the run manager calls `tryDispatch` while the run is `waiting` (on every liveness
// tick and every registration) and `checkStart` on the run's tick; both return at once. Past
// `options.waitMs` the run fails with the dispatcher's reason. A stream that closes during
// assignment counts as the agent's loss.
import { formatDuration } from "../../config/duration.ts";
import { dispatch, type AgentAssignment, type AgentCandidate } from "../dispatch.ts";
import { controllerMessage } from "../protocol.ts";
import type { RunCore } from "./run-state.ts";
import { emptyReportLog } from "./unreported.ts";

/** Start barrier: load starts this long after the Start message is sent. */
const START_DELAY_MS = 1_500;

export class RunDispatch {
  readonly #run: RunCore;
  /** The last wait reason shown, so each new one is announced once. */
  #waitReason = "";

  constructor(run: RunCore) {
    this.#run = run;
  }

  tryDispatch(fleet: AgentCandidate[]): void {
    const { state, host } = this.#run;
    if (state.status !== "waiting") return;
    const decision = dispatch(fleet, {
      expected: state.options.agents,
      selector: state.options.selector,
      scenarios: state.plan.scenarios.map((s) => s.name),
      scenarioSelectors: state.options.scenarioSelectors,
    });
    if (decision.kind === "invalid") return this.#run.fail(decision.reason);
    if (decision.kind === "wait") {
      if (decision.reason !== this.#waitReason) {
        this.#waitReason = decision.reason;
        this.#run.emitStatus(`waiting: ${decision.reason}`);
      }
      if (host.now() - state.submittedAtUnixMs > state.options.waitMs) {
        this.#run.fail(`gave up after waiting ${Math.round(state.options.waitMs / 1000)}s for agents: ${decision.reason}`);
      }
      return;
    }
    this.#start(decision.assignments);
  }

  /** On the run's tick: agents that did not confirm their start in time are given up on. */
  checkStart(): void {
    const { state, host } = this.#run;
    if (state.startAtUnixMs === undefined) return;
    if (host.now() - state.startAtUnixMs <= state.options.startTimeoutMs) return;
    const unconfirmed = [...state.agents.values()].filter((a) => a.state === "assigned");
    if (unconfirmed.length === 0) return;
    const after = formatDuration(state.options.startTimeoutMs);
    const names = unconfirmed.map((a) => `${a.name} (${a.agentId})`).join(", ");
    if (state.status === "starting") {
      for (const agent of unconfirmed) {
        host.send(agent.agentId, controllerMessage("control", { run_id: state.id, action: "KILL", scenario: "", vus: 0 }));
        agent.state = "failed";
        agent.error = `did not confirm its start within ${after} of the start barrier`;
        host.release(agent.agentId, state.id);
      }
      this.#run.fail(
        `no agent confirmed its start within ${after} of the start barrier (cluster.startTimeout): ${names} did not; ` +
          "check that they run the same loadr version as the controller and see their logs",
      );
      return;
    }
    for (const agent of unconfirmed) this.#run.agentGone(agent.agentId, `it did not confirm its start within ${after} of the start barrier (cluster.startTimeout)`);
  }

  #start(assignments: AgentAssignment[]): void {
    const { state, host } = this.#run;
    for (const a of assignments) {
      const info = host.assign(a.agentId, state.id);
      if (!info) return this.#run.fail(`agent ${a.agentId} vanished while being assigned`);
      state.agents.set(a.agentId, {
        agentId: a.agentId, name: info.name, labels: info.labels, index: a.index, count: a.count, scenarios: a.scenarios,
        state: "assigned", clockOffsetMs: info.clockOffsetMs, activeVus: 0,
        lastSeq: 0, vus: 0, vusMax: 0, reportedVus: false, progress: [], rejectedBatches: 0, rejectedProgress: 0, notes: [], reports: emptyReportLog(),
      });
    }
    const startAt = host.now() + START_DELAY_MS;
    state.startAtUnixMs = startAt;
    state.status = "starting";
    const { submission } = state;
    for (const agent of state.agents.values()) {
      const sent =
        host.send(agent.agentId, controllerMessage("assignment", {
          run_id: state.id, plan_yaml: submission.planYaml, plan_file: submission.planFile,
          partition_index: agent.index, partition_count: agent.count, files: submission.files,
          env: submission.env, scenarios: agent.scenarios, setup_json: submission.setupJson ?? "",
        })) &&
        host.send(agent.agentId, controllerMessage("start", { run_id: state.id, start_unix_ms: startAt + agent.clockOffsetMs }));
      if (!sent) this.#run.agentGone(agent.agentId, "its stream closed during assignment");
    }
    const names = [...state.agents.values()].map((a) => a.name).join(", ");
    const n = state.agents.size;
    this.#run.emitStatus(`assigned to ${n} agent${n === 1 ? "" : "s"} (${names}); load starts at ${new Date(startAt).toISOString()}`);
  }
}
