// Field limits on a registered agent's messages (src/cluster/controller/message-limits.ts): ids,
// counts and enums refused with the field named; prose cut to its limit instead, so that a long
// error still ends the agent's part of a run.
import { describe, expect, test } from "bun:test";
import { clampProse, MESSAGE_LIMITS, messageProblem } from "../../../src/cluster/controller/message-limits.ts";
import { agentMessage, type AgentMessage, type Heartbeat, type RunEvent } from "../../../src/cluster/protocol.ts";

const heartbeat = (over: Partial<Heartbeat> = {}) => agentMessage("heartbeat", { active_vus: 2, run_state: "running", run_id: "r1", unix_ms: 1, health: "", ...over });
const event = (over: Partial<RunEvent> = {}) => agentMessage("run_event", { run_id: "r1", kind: "FINISHED", summary: "", error: "", notes: [], outcome: "finished", ...over });
const batch = (seq: number, run_id = "r1") => agentMessage("metrics", { run_id, delta: new Uint8Array(), seq, final: false, unix_ms: 1 });

describe("refused", () => {
  const cases: Array<[string, AgentMessage, string]> = [
    ["absurd VUs", heartbeat({ active_vus: 1e12 }), `heartbeat.active_vus is 1000000000000 (at most ${MESSAGE_LIMITS.activeVus})`],
    ["a run state too long", heartbeat({ run_state: "r".repeat(40) }), "heartbeat.run_state is 40 characters long"],
    ["a run id with control characters", heartbeat({ run_id: "r\n1" }), "heartbeat.run_id contains control characters"],
    ["a batch numbered 0", batch(0), "metrics.seq is not a sequence number ≥ 1 (0)"],
    ["a batch without a run", batch(1, ""), "metrics.run_id is empty"],
    ["an event of no kind", event({ kind: "KIND_UNSPECIFIED" as never }), 'run_event.kind "KIND_UNSPECIFIED" is not one of STARTED, FINISHED, FAILED'],
    ["an unknown outcome", event({ outcome: "won" }), 'run_event.outcome "won" is not one of finished, stopped, failed'],
    ["no body", {} as AgentMessage, "the message has no known body"],
  ];
  for (const [what, message, problem] of cases) {
    test(what, () => {
      expect(messageProblem(message)).toStartWith(problem);
    });
  }
  test("a well-formed message passes", () => {
    for (const m of [heartbeat(), event(), batch(3)]) expect(messageProblem(m)).toBeUndefined();
  });
});

test("prose is cut to its limits, not refused", () => {
  const m = event({ outcome: "failed", kind: "FAILED", error: "e".repeat(50_000), notes: Array.from({ length: 100 }, () => "n".repeat(5_000)) });
  expect(messageProblem(m)).toBeUndefined();
  clampProse(m);
  const ev = (m as Extract<AgentMessage, { body: "run_event" }>).run_event;
  expect(ev.error).toHaveLength(MESSAGE_LIMITS.errorLength);
  expect(ev.error.endsWith("…")).toBe(true);
  expect(ev.notes).toHaveLength(MESSAGE_LIMITS.notes);
  expect(ev.notes.every((n) => n.length === MESSAGE_LIMITS.noteLength)).toBe(true);
  const hb = heartbeat({ health: "h".repeat(5_000) });
  clampProse(hb);
  expect((hb as Extract<AgentMessage, { body: "heartbeat" }>).heartbeat.health).toHaveLength(MESSAGE_LIMITS.healthLength);
});
