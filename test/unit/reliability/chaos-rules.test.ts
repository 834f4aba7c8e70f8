// The chaos script's rules (scripts/reliability/chaos-rules.ts): what each fault and policy must
// end in, and how reported counts are judged against the target's.
import { describe, expect, test } from "bun:test";
import { prng } from "../../../bench/lib/cluster/delta.ts";
import { drawFault, expectationOf, FAULT_KINDS, judgeCounts, WINDOW_MARGIN_MS, type Fault } from "../../../scripts/reliability/chaos-rules.ts";

const WINDOW = 6_000;
const fault = (kind: Fault["kind"], stopMs = 0): Fault => ({ kind, agent: 0, atMs: 3_000, stopMs });

describe("chaos expectations", () => {
  test("each fault and policy ends as issue 11 says", () => {
    const row = (f: Fault) => ["continue", "abort"].map((p) => expectationOf(f, p as "continue" | "abort", WINDOW));
    expect(row(fault("agent-kill9"))).toEqual([
      { statuses: ["finished"], counts: "bounded", cut: false },
      { statuses: ["aborted"], counts: "bounded", cut: true },
    ]);
    expect(row(fault("agent-stop", 3_000))).toEqual([
      { statuses: ["finished"], counts: "exact", cut: false },
      { statuses: ["finished"], counts: "exact", cut: false },
    ]);
    expect(row(fault("agent-stop", 8_000))).toEqual([
      { statuses: ["finished"], counts: "exact", cut: false },
      { statuses: ["aborted"], counts: "bounded", cut: true },
    ]);
    // SIGTERM: the final delta arrives, but the agent's share stops: `abort` ends the fleet.
    expect(row(fault("agent-term"))).toEqual([
      { statuses: ["finished"], counts: "exact", cut: false },
      { statuses: ["aborted"], counts: "bounded", cut: true },
    ]);
    expect(row(fault("controller-kill9")).every((e) => e.counts === "none" && e.statuses.includes("interrupted"))).toBe(true);
  });

  test("drawn stops keep clear of the liveness window, and moments fall within 20–60 % of the run", () => {
    const rand = prng(3);
    for (let i = 0; i < 500; i++) {
      const f = drawFault(rand, FAULT_KINDS, 3, 12_000, WINDOW);
      expect(Math.abs(f.stopMs - WINDOW)).toBeGreaterThanOrEqual(WINDOW_MARGIN_MS - 1);
      expect(f.atMs).toBeGreaterThanOrEqual(2_400);
      expect(f.atMs).toBeLessThanOrEqual(7_200);
      expect([0, 1, 2]).toContain(f.agent);
    }
  });
});

describe("chaos counts", () => {
  const exact = expectationOf(fault("agent-term"), "continue", WINDOW);
  const bounded = expectationOf(fault("agent-kill9"), "continue", WINDOW);
  const cut = expectationOf(fault("agent-kill9"), "abort", WINDOW);

  test("exact: equal passes, one request missing fails", () => {
    expect(judgeCounts(exact, 1000, 1000, [], 6).ok).toBe(true);
    expect(judgeCounts(exact, 1000, 999, [], 6)).toEqual({ ok: false, bound: 0, why: "1 request(s) the target served are missing from the summary" });
  });

  test("reporting more than the target saw is double counting, whatever the rule", () => {
    for (const e of [exact, bounded, cut]) expect(judgeCounts(e, 100, 101, [{ name: "a", unreportedRequests: 50 }], 6).ok).toBe(false);
  });

  test("bounded: the lost agents' stated estimate +1 % (+1) bounds the gap; a KILL adds one request per VU", () => {
    const lost = [{ name: "chaos-1", unreportedRequests: 200 }];
    expect(judgeCounts(bounded, 1000, 798, lost, 6)).toEqual({ ok: true, bound: 203 });
    expect(judgeCounts(bounded, 1000, 796, lost, 6).ok).toBe(false);
    expect(judgeCounts(cut, 1000, 792, lost, 6)).toEqual({ ok: true, bound: 209 });
  });

  test("a lost agent without a stated estimate leaves any gap unbounded", () => {
    const v = judgeCounts(bounded, 1000, 990, [{ name: "chaos-2" }], 6);
    expect(v.ok).toBe(false);
    expect(v.why).toContain("no unreportedEstimate for lost agent(s) chaos-2");
    expect(judgeCounts(bounded, 1000, 1000, [{ name: "chaos-2" }], 6).ok).toBe(true);
  });
});
