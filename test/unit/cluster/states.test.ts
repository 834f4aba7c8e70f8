import { describe, expect, test } from "bun:test";
import {
  InvalidTransition, LIVENESS_WINDOW_MS, initialStatus, isAvailable, isGone, transition,
  type AgentEvent, type AgentState, type AgentStatus,
} from "../../../src/cluster/states.ts";

function at(state: AgentState, work: AgentStatus["work"] = "none", lastHeardMs = 0): AgentStatus {
  return { state, work, lastHeardMs };
}

describe("agent states", () => {
  test("connecting → idle on registration", () => {
    expect(transition(initialStatus(0), { type: "registered", atMs: 5 })).toEqual(at("idle", "none", 5));
  });
  test("a lost agent re-registers as idle", () => {
    expect(transition(at("lost"), { type: "registered", atMs: 9 }).state).toBe("idle");
  });
  test("registering twice is a bug", () => {
    expect(() => transition(at("idle"), { type: "registered", atMs: 1 })).toThrow(InvalidTransition);
  });
  test("idle → assigned → running → idle", () => {
    let s = at("idle");
    s = transition(s, { type: "assigned" });
    expect(s.state).toBe("assigned");
    s = transition(s, { type: "started" });
    expect(s.state).toBe("running");
    s = transition(s, { type: "released" });
    expect(s).toEqual(at("idle"));
  });
  test("assigning a busy or unhealthy agent is a bug", () => {
    for (const st of ["assigned", "running", "unhealthy", "lost", "connecting"] as AgentState[]) {
      expect(() => transition(at(st), { type: "assigned" })).toThrow(InvalidTransition);
    }
  });
  test("silence past the liveness window → unhealthy, keeping the work", () => {
    const s = at("running", "running", 1000);
    expect(transition(s, { type: "tick", atMs: 1000 + LIVENESS_WINDOW_MS })).toBe(s);
    const u = transition(s, { type: "tick", atMs: 1001 + LIVENESS_WINDOW_MS });
    expect(u).toEqual(at("unhealthy", "running", 1000));
    expect(isGone(u)).toBe(true);
  });
  test("an unhealthy agent that speaks again returns to its work", () => {
    expect(transition(at("unhealthy", "running", 0), { type: "heard", atMs: 9000 })).toEqual(at("running", "running", 9000));
    expect(transition(at("unhealthy", "none", 0), { type: "heard", atMs: 9000 }).state).toBe("idle");
  });
  test("heard never moves lastHeard backwards", () => {
    expect(transition(at("idle", "none", 50), { type: "heard", atMs: 10 }).lastHeardMs).toBe(50);
  });
  test("ticks do not change lost or unhealthy agents", () => {
    for (const st of ["lost", "unhealthy"] as AgentState[]) {
      const s = at(st);
      expect(transition(s, { type: "tick", atMs: 1e9 })).toBe(s);
    }
  });
  test("a custom liveness window", () => {
    expect(transition(at("idle", "none", 0), { type: "tick", atMs: 101 }, 100).state).toBe("unhealthy");
  });
  test("disconnect → lost from every state, dropping the work", () => {
    for (const st of ["connecting", "idle", "assigned", "running", "unhealthy", "lost"] as AgentState[]) {
      expect(transition(at(st, "running"), { type: "disconnected" })).toEqual(at("lost", "none"));
    }
  });
  test("released is accepted after a disconnect or while unhealthy", () => {
    expect(transition(at("lost"), { type: "released" }).state).toBe("lost");
    expect(transition(at("unhealthy", "running"), { type: "released" })).toEqual(at("unhealthy", "none"));
  });
  test("started: unhealthy+assigned keeps unhealthy but records running; idle is a bug", () => {
    expect(transition(at("unhealthy", "assigned"), { type: "started" })).toEqual(at("unhealthy", "running"));
    expect(transition(at("running", "running"), { type: "started" }).state).toBe("running");
    expect(() => transition(at("idle"), { type: "started" })).toThrow(InvalidTransition);
  });
  test("only idle agents are available", () => {
    const states: AgentState[] = ["connecting", "idle", "assigned", "running", "unhealthy", "lost"];
    expect(states.filter((s) => isAvailable(at(s)))).toEqual(["idle"]);
  });
  test("every state × event either transitions or throws InvalidTransition", () => {
    const events: AgentEvent[] = [
      { type: "registered", atMs: 1 }, { type: "heard", atMs: 1 }, { type: "tick", atMs: 1 },
      { type: "assigned" }, { type: "started" }, { type: "released" }, { type: "disconnected" },
    ];
    for (const st of ["connecting", "idle", "assigned", "running", "unhealthy", "lost"] as AgentState[]) {
      for (const work of ["none", "assigned", "running"] as const) {
        for (const ev of events) {
          try {
            const next = transition(at(st, work), ev);
            expect(["connecting", "idle", "assigned", "running", "unhealthy", "lost"]).toContain(next.state);
          } catch (e) {
            expect(e).toBeInstanceOf(InvalidTransition);
          }
        }
      }
    }
  });
});
