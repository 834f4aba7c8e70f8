// How a controller run ended (cluster/controller/run-end.ts), and the fleet status its run loop
// reads each tick (cluster/controller/run-metrics.ts). Pure: no controller, no agents.
import { describe, expect, test } from "bun:test";
import { runEndOf, type EndFacts } from "../../../src/cluster/controller/run-end.ts";
import { fleetStatus, readAgentBatch } from "../../../src/cluster/controller/run-metrics.ts";
import type { RunAgent, RunState } from "../../../src/cluster/controller/run-state.ts";
import { emptyReportLog } from "../../../src/cluster/controller/unreported.ts";

type AgentEnd = EndFacts["agents"][number];
const facts = (agents: AgentEnd[], over: Partial<EndFacts> = {}): EndFacts => ({
  agents, stopRequested: false, abortedByThreshold: false, onAgentLoss: "continue", ...over,
});
const done: AgentEnd = { name: "a", state: "finished" };
const lost: AgentEnd = { name: "b", state: "lost" };

describe("how a run ended", () => {
  test("every share done: finished; a stop was asked for: stopped", () => {
    expect(runEndOf(facts([done, { name: "b", state: "finished" }]))).toEqual({ status: "finished" });
    expect(runEndOf(facts([done, { name: "b", state: "stopped" }], { stopRequested: true }))).toEqual({ status: "stopped" });
  });

  test("under continue a lost or failed agent does not fail the run while another finished", () => {
    expect(runEndOf(facts([done, lost]))).toEqual({ status: "finished" });
    expect(runEndOf(facts([done, { name: "c", state: "failed", error: "boom" }]))).toEqual({ status: "finished" });
  });

  test("no agent finished its share: failed, naming each agent's end", () => {
    expect(runEndOf(facts([lost, { name: "c", state: "failed", error: "worker 1 of 2 crashed" }]))).toEqual({
      status: "failed",
      failed: "b: lost; c: worker 1 of 2 crashed",
    });
    expect(runEndOf(facts([lost], { stopRequested: true, error: "gave up" }))).toEqual({ status: "failed", failed: "gave up" });
    expect(runEndOf(facts([{ name: "b", state: "lost", error: "its connection closed" }]))).toEqual({ status: "failed", failed: "b: lost (its connection closed)" });
  });

  test("aborted: by a threshold (not a failure: exit 99 comes from the loop) or by onAgentLoss: abort (a failure)", () => {
    expect(runEndOf(facts([done, lost], { abortedByThreshold: true, stopRequested: true }))).toEqual({ status: "aborted" });
    const why = "agent b was lost (onAgentLoss: abort)";
    expect(runEndOf(facts([done, lost], { onAgentLoss: "abort", error: why, stopRequested: true }))).toEqual({ status: "aborted", failed: why });
    // Under continue the same error does not turn the run into an abort.
    expect(runEndOf(facts([done, lost], { error: why }))).toEqual({ status: "finished" });
  });
});

const agent = (over: Partial<RunAgent>): RunAgent => ({
  agentId: "x", name: "x", labels: {}, index: 0, count: 1, scenarios: [], state: "running", clockOffsetMs: 0, activeVus: 0,
  lastSeq: 0, vus: 0, vusMax: 0, reportedVus: false, rejectedBatches: 0, notes: [], reports: emptyReportLog(), ...over,
});
const state = (agents: RunAgent[], over: Partial<RunState> = {}): RunState => ({
  id: "r1", plan: { name: "p", scenarios: [], thresholds: [], files: [] },
  options: { agents: 0, waitMs: 1_000, startTimeoutMs: 30_000, selector: {}, onAgentLoss: "continue", scenarioSelectors: {} },
  submission: { planYaml: "", planFile: "plan.yaml", files: {}, env: {} }, submittedAtUnixMs: 0, status: "running",
  notes: [], agents: new Map(agents.map((a, i) => [`a${i}`, a])), ...over,
});

describe("the fleet status the run loop reads", () => {
  test("vus sums the active agents (a heartbeat's count before a batch); vus_max sums every agent that took part", () => {
    const s = state(
      [
        agent({ vus: 3, vusMax: 5, reportedVus: true }),
        agent({ activeVus: 2 }), // no batch yet: its heartbeat's count
        agent({ state: "finished", vus: 4, vusMax: 4, reportedVus: true }),
        agent({ state: "lost", vusMax: 6, reportedVus: true }),
      ],
      { startAtUnixMs: 10_000 },
    );
    expect(fleetStatus(s, 12_500)).toEqual({ elapsedMs: 2_500, activeVus: 5, maxVus: 15, reporting: true, agents: 2 });
  });

  test("before any agent reported VUs the loop must not write the gauges; before the barrier no time has passed", () => {
    const status = fleetStatus(state([agent({ activeVus: 2 })]), 99_000);
    expect(status.reporting).toBe(false);
    expect(status.elapsedMs).toBe(0);
  });

  test("the end freezes the elapsed time", () => {
    expect(fleetStatus(state([], { startAtUnixMs: 1_000, endedAtUnixMs: 4_000 }), 60_000).elapsedMs).toBe(3_000);
  });
});

describe("an agent's batch", () => {
  test("its vus gauges come out, everything else (metric definitions included) goes to the merge", () => {
    const delta = {
      definitions: { orders: { type: "counter", contains: "default" } },
      counters: { orders: 2 }, rates: {}, gauges: { vus: 3, vus_max: 8, queue: 1 }, trends: {},
    };
    const read = readAgentBatch(new TextEncoder().encode(JSON.stringify(delta)));
    expect(read).toEqual({
      vus: 3, vusMax: 8,
      delta: { definitions: { orders: { type: "counter", contains: "default" } }, counters: { orders: 2 }, rates: {}, gauges: { queue: 1 }, trends: {} },
    });
  });

  test("a batch that is not JSON is refused", () => {
    expect(readAgentBatch(new TextEncoder().encode("{nope"))).toBeUndefined();
    expect(readAgentBatch(new TextEncoder().encode("null"))).toBeUndefined();
  });
});
