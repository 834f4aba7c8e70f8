// How a controller run ended (cluster/controller/run-end.ts), and the fleet status its run loop
// reads each tick (cluster/controller/run-metrics.ts). Pure: no controller, no agents.
import { describe, expect, test } from "bun:test";
import { runEndOf, type EndFacts } from "../../../src/cluster/controller/run-end.ts";
import { fleetStatus, readAgentBatch } from "../../../src/cluster/controller/run-metrics.ts";
import type { RunAgent, RunState } from "../../../src/cluster/controller/run-state.ts";
import type { ScenarioStatus } from "../../../src/core/run/scenario-progress.ts";
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
  lastSeq: 0, vus: 0, vusMax: 0, reportedVus: false, progress: [], rejectedBatches: 0, rejectedProgress: 0, notes: [], reports: emptyReportLog(), ...over,
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
    expect(fleetStatus(s, 12_500)).toMatchObject({
      elapsedMs: 2_500, activeVus: 5, maxVus: 15, fleet: { agents: 4, healthy: 2, done: 1, failed: 0, lost: 1 },
    });
  });

  test("the fleet reports once every active agent reported its VUs: the loop writes no gauge that leaves an agent out", () => {
    expect(fleetStatus(state([agent({ activeVus: 2 })]), 99_000).reporting).toBe(false);
    const half = [agent({ vus: 3, vusMax: 5, reportedVus: true }), agent({ activeVus: 2 })];
    expect(fleetStatus(state(half), 99_000).reporting).toBe(false);
    const all = [agent({ vus: 3, vusMax: 5, reportedVus: true }), agent({ vus: 2, vusMax: 2, reportedVus: true }), agent({ state: "lost" })];
    expect(fleetStatus(state(all), 99_000).reporting).toBe(true);
  });

  test("before the barrier no time has passed", () => {
    expect(fleetStatus(state([agent({ activeVus: 2 })]), 99_000).elapsedMs).toBe(0);
  });

  test("scenarios add up over the agents in plan order; a lost agent's VUs are gone, its iterations stay", () => {
    const progress = (name: string, over: Partial<ScenarioStatus> = {}): ScenarioStatus => ({
      name, executor: "constant-vus", state: "running", activeVus: 2, maxVus: 2, iterations: 10, completed: 9, interrupted: 1, dropped: 0,
      startTime: 0, elapsedMs: 1_000, durationMs: 5_000, plannedIterations: null, ...over,
    });
    const s = state(
      [
        agent({ progress: [progress("b"), progress("a", { elapsedMs: 1_200 })] }),
        agent({ state: "lost", progress: [progress("a")] }),
      ],
      { plan: { name: "p", scenarios: [{ name: "a", executor: { type: "constant-vus" } }, { name: "b", executor: { type: "constant-vus" } }], thresholds: [], files: [] } },
    );
    expect(fleetStatus(s, 0).scenarios).toEqual([
      progress("a", { activeVus: 2, maxVus: 4, iterations: 20, completed: 18, interrupted: 2, elapsedMs: 1_200 }),
      progress("b"),
    ]);
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

  test("its progress comes out unread (the run checks it against the plan)", () => {
    const read = readAgentBatch(new TextEncoder().encode(JSON.stringify({ counters: {}, rates: {}, gauges: {}, trends: {}, progress: [{ name: "a" }] })));
    expect(read).toEqual({ delta: { counters: {}, rates: {}, gauges: {}, trends: {} }, progress: [{ name: "a" }] });
  });

  test("a batch that is not a metrics delta is refused, saying why", () => {
    const read = (text: string) => readAgentBatch(new TextEncoder().encode(text));
    expect(read("{nope")).toEqual({ problem: "its delta is not JSON" });
    for (const text of ["null", "[]", "3", '"x"']) expect(read(text)).toEqual({ problem: "its delta is not a JSON object" });
    expect(read('{"counters": null}')).toEqual({ problem: "its delta's counters is not an object" });
    expect(read('{"trends": []}')).toEqual({ problem: "its delta's trends is not an object" });
    expect(read('{"counter": {}}')).toEqual({ problem: 'its delta has an unknown section "counter"' });
    for (const vus of ["-1", "1.5", '"3"', "null", "1e12"]) {
      expect(read(`{"gauges": {"vus": ${vus}}}`)).toEqual({ problem: `its vus gauge is not a VU count: ${JSON.stringify(JSON.parse(vus))}` });
    }
    expect(read('{"gauges": {"vus_max": -2}}')).toEqual({ problem: "its vus_max gauge is not a VU count: -2" });
  });
});
