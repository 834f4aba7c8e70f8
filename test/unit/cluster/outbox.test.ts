// What an agent keeps while it has no registered stream (cluster/agent/outbox.ts).
import { expect, test } from "bun:test";
import { MAX_QUEUED, Outbox } from "../../../src/cluster/agent/outbox.ts";
import { agentMessage, type AgentMessage } from "../../../src/cluster/protocol.ts";

const batch = (seq: number): AgentMessage => agentMessage("metrics", { run_id: "r1", delta: new Uint8Array(), seq, final: false, unix_ms: seq });
const seqOf = (m: AgentMessage) => (m.body === "metrics" ? m.metrics.seq : -1);

test("run messages are kept in order and delivered in order; heartbeats are not kept", () => {
  const box = new Outbox();
  box.keep(batch(1));
  box.keep(agentMessage("heartbeat", { active_vus: 1, run_state: "running", run_id: "r1", unix_ms: 0, health: "" }));
  box.keep(batch(2));
  box.keep(agentMessage("run_event", { run_id: "r1", kind: "FINISHED", summary: "", error: "", notes: [], outcome: "finished" }));
  const out: string[] = [];
  box.drain((m) => (out.push(m.body === "metrics" ? `metrics ${seqOf(m)}` : m.body), true));
  expect(out).toEqual(["metrics 1", "metrics 2", "run_event"]);
  expect(box.size).toBe(0);
});

test("a failed write keeps that message and the rest for the next drain", () => {
  const box = new Outbox();
  for (let i = 1; i <= 3; i++) box.keep(batch(i));
  const sent: number[] = [];
  box.drain((m) => seqOf(m) < 2 && (sent.push(seqOf(m)), true));
  expect(sent).toEqual([1]);
  expect(box.size).toBe(2);
  box.drain((m) => (sent.push(seqOf(m)), true));
  expect(sent).toEqual([1, 2, 3]);
});

test("bounded: past MAX_QUEUED the oldest go, and the drop is counted until the next full drain", () => {
  const box = new Outbox();
  for (let i = 1; i <= MAX_QUEUED + 5; i++) box.keep(batch(i));
  expect(box.size).toBe(MAX_QUEUED);
  expect(box.dropped).toBe(5);
  const sent: number[] = [];
  box.drain((m) => (sent.push(seqOf(m)), true));
  expect(sent[0]).toBe(6);
  expect(sent.at(-1)).toBe(MAX_QUEUED + 5);
  expect(box.dropped).toBe(0);
});
