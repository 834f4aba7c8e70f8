import { describe, expect, test } from "bun:test";
import { dispatch, groupByPartition, isUniformPartition, matchesSelector, parseLabels, type AgentCandidate, type DispatchRequest } from "../../../src/cluster/dispatch.ts";
import { partition, shareOf } from "../../../src/core/segment.ts";

const agent = (id: string, labels: Record<string, string> = {}, available = true): AgentCandidate => ({ id, name: id, labels, available });
const req = (over: Partial<DispatchRequest> = {}): DispatchRequest => ({ expected: 0, selector: {}, scenarios: ["a"], scenarioSelectors: {}, ...over });

describe("selectors and labels", () => {
  test("match", () => {
    expect(matchesSelector({ pool: "x", zone: "1" }, { pool: "x" })).toBe(true);
    expect(matchesSelector({ pool: "y" }, { pool: "x" })).toBe(false);
    expect(matchesSelector({}, {})).toBe(true);
    expect(matchesSelector({}, { pool: "" })).toBe(false);
  });
  test("parseLabels", () => {
    expect(parseLabels("pool=eu, zone=b")).toEqual({ pool: "eu", zone: "b" });
    expect(parseLabels("")).toEqual({});
    expect(parseLabels("k=")).toEqual({ k: "" });
    expect(parseLabels("nokey")).toHaveProperty("error");
    expect(parseLabels("=v")).toHaveProperty("error");
  });
});

describe("dispatch", () => {
  test("expected 0 takes every eligible agent, ordered by name", () => {
    const d = dispatch([agent("c"), agent("a"), agent("b", {}, false)], req());
    expect(d).toEqual({
      kind: "dispatch",
      assignments: [
        { agentId: "a", index: 0, count: 2, scenarios: [{ scenario: "a", index: 0, count: 2 }] },
        { agentId: "c", index: 1, count: 2, scenarios: [{ scenario: "a", index: 1, count: 2 }] },
      ],
    });
  });
  test("expected 0 with no agent waits", () => {
    expect(dispatch([], req()).kind).toBe("wait");
  });
  test("waits until the expected count of matching idle agents is there", () => {
    const fleet = [agent("a", { pool: "x" }), agent("b", { pool: "y" }), agent("c", { pool: "x" }, false)];
    const d = dispatch(fleet, req({ expected: 2, selector: { pool: "x" } }));
    expect(d).toEqual({ kind: "wait", reason: "1 of 2 agents matching pool=x is idle" });
  });
  test("takes exactly the expected count", () => {
    const d = dispatch([agent("a"), agent("b"), agent("c")], req({ expected: 2 }));
    expect(d.kind === "dispatch" && d.assignments.map((a) => a.agentId)).toEqual(["a", "b"]);
  });
  test("invalid requests", () => {
    expect(dispatch([agent("a")], req({ expected: -1 })).kind).toBe("invalid");
    expect(dispatch([agent("a")], req({ scenarios: [] })).kind).toBe("invalid");
    expect(dispatch([agent("a")], req({ scenarioSelectors: { nope: {} } }))).toMatchObject({ kind: "invalid", reason: expect.stringContaining('"nope"') });
  });
  test("per-scenario targeting: each scenario partitioned over the agents it targets", () => {
    const fleet = [agent("a1", { role: "api" }), agent("a2", { role: "api" }), agent("b1", { role: "ws" })];
    const d = dispatch(fleet, req({ scenarios: ["api", "ws", "both"], scenarioSelectors: { api: { role: "api" }, ws: { role: "ws" } } }));
    expect(d.kind).toBe("dispatch");
    if (d.kind !== "dispatch") return;
    expect(d.assignments).toEqual([
      { agentId: "a1", index: 0, count: 3, scenarios: [{ scenario: "api", index: 0, count: 2 }, { scenario: "both", index: 0, count: 3 }] },
      { agentId: "a2", index: 1, count: 3, scenarios: [{ scenario: "api", index: 1, count: 2 }, { scenario: "both", index: 1, count: 3 }] },
      { agentId: "b1", index: 2, count: 3, scenarios: [{ scenario: "ws", index: 0, count: 1 }, { scenario: "both", index: 2, count: 3 }] },
    ]);
  });
  test("agents a targeted scenario needs are picked first", () => {
    const fleet = [agent("a", {}), agent("b", {}), agent("z", { gpu: "1" })];
    const d = dispatch(fleet, req({ expected: 2, scenarios: ["s", "g"], scenarioSelectors: { g: { gpu: "1" } } }));
    expect(d.kind === "dispatch" && d.assignments.map((a) => a.agentId)).toEqual(["a", "z"]);
  });
  test("a targeted scenario with no matching agent waits with a reason", () => {
    const d = dispatch([agent("a")], req({ scenarios: ["g"], scenarioSelectors: { g: { gpu: "1" } } }));
    expect(d).toMatchObject({ kind: "wait", reason: expect.stringContaining('scenario "g"') });
  });
  test("selectors needing more agents than expected are invalid", () => {
    const fleet = [agent("a", { r: "1" }), agent("b", { r: "2" })];
    const d = dispatch(fleet, req({ expected: 1, scenarios: ["x", "y"], scenarioSelectors: { x: { r: "1" }, y: { r: "2" } } }));
    expect(d.kind).toBe("invalid");
  });
  test("agents left with no scenario are dropped from the run", () => {
    const fleet = [agent("a", { r: "1" }), agent("b", { r: "2" })];
    const d = dispatch(fleet, req({ scenarios: ["x"], scenarioSelectors: { x: { r: "1" } } }));
    expect(d).toEqual({ kind: "dispatch", assignments: [{ agentId: "a", index: 0, count: 1, scenarios: [{ scenario: "x", index: 0, count: 1 }] }] });
  });
  test("the union of the partitions is exactly the plan, for any fleet size", () => {
    for (let n = 1; n <= 7; n++) {
      const fleet = Array.from({ length: n }, (_, i) => agent(`agent-${i}`));
      const d = dispatch(fleet, req({ scenarios: ["a", "b"] }));
      if (d.kind !== "dispatch") throw new Error("expected dispatch");
      for (const total of [0, 1, 5, 10, 97, 1000]) {
        const sum = d.assignments.reduce((acc, a) => acc + shareOf(total, partition(a.scenarios[0]!.index, a.scenarios[0]!.count)), 0);
        expect(sum).toBe(total);
      }
    }
  });
});

describe("partition groups", () => {
  test("uniform assignment runs the plan as is", () => {
    expect(isUniformPartition([{ scenario: "a", index: 1, count: 3 }, { scenario: "b", index: 1, count: 3 }], ["a", "b"])).toEqual({ index: 1, count: 3 });
    expect(isUniformPartition([{ scenario: "a", index: 1, count: 3 }], ["a", "b"])).toBeUndefined();
    expect(isUniformPartition([{ scenario: "a", index: 1, count: 3 }, { scenario: "b", index: 0, count: 1 }], ["a", "b"])).toBeUndefined();
    expect(isUniformPartition([], [])).toBeUndefined();
  });
  test("groups by i/n", () => {
    expect(groupByPartition([
      { scenario: "a", index: 0, count: 2 }, { scenario: "b", index: 0, count: 1 }, { scenario: "c", index: 0, count: 2 },
    ])).toEqual([{ index: 0, count: 2, scenarios: ["a", "c"] }, { index: 0, count: 1, scenarios: ["b"] }]);
  });
});
