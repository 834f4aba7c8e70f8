// Every batch validated (issue 11, finding 5): a rogue agent takes part in a real run and sends
// every kind of bad batch and message; each is refused, counted for that agent and logged with its
// name, and the run beside it finishes with exact counts: the demo target's /_stats equals the
// merged summary. A bystander that is not in the run cannot send figures for it either.
import { afterEach, expect, test } from "bun:test";
import { startAgent } from "../../../src/cluster/agent/agent.ts";
import { agentMessage, type AgentMessage } from "../../../src/cluster/protocol.ts";
import { startLocalRun } from "../../../src/core/run/local-run.ts";
import type { Summary } from "../../../src/core/run/summary.ts";
import { startDemoServer } from "../../../src/demo/server.ts";
import { histogramAt, histogramBomb } from "../../helpers/hostile-histograms.ts";
import { tempDir, testController, waitFor } from "./helpers.ts";
import { rogueClient } from "./rogue.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const text = (value: string) => new TextEncoder().encode(value);

test("a rogue agent's bad batches are refused, counted and logged; the real run beside it finishes with exact counts", async () => {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  const demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
  cleanups.push(() => demo.stop());
  const lines: string[] = [];
  const c = await testController(tmp.dir, { log: (l) => lines.push(l) });
  cleanups.push(() => c.stop());
  const real = startAgent({ join: c.grpcTarget, name: "real", labels: { role: "run" }, workers: 1, startLocalRun, log: () => {} });
  cleanups.push(() => real.stop());
  const rogue = rogueClient(c.grpcTarget);
  cleanups.push(() => rogue.close());
  rogue.register({ agent_id: "rogue", name: "rogue", labels: { role: "run" } });
  const bystander = rogueClient(c.grpcTarget);
  cleanups.push(() => bystander.close());
  bystander.register({ agent_id: "bystander", name: "bystander" });
  await waitFor("three idle agents", () => c.registry.all().filter((a) => a.status.state === "idle").length === 3);

  const plan = `name: rogue-beside
baseUrl: ${demo.url}
scenarios:
  main:
    executor: constant-vus
    vus: 2
    duration: 2s
    flow:
      - request: { name: home, url: / }
      - sleep: 20ms
cluster:
  agents: 2
  selector: { role: run }
`;
  const res = await fetch(`${c.httpUrl}/api/runs`, { method: "POST", body: JSON.stringify({ plan }) });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  const assignment = await rogue.next("assignment");
  expect(assignment?.assignment.run_id).toBe(id);
  await rogue.next("start");
  rogue.event({ run_id: id, kind: "STARTED" });
  await waitFor("the real agent running", () => c.registry.get(real.id)?.status.state === "running");

  const valid = { counters: { "http_reqs{name=home,scenario=main}": 1000 }, rates: {}, gauges: {}, trends: {} };
  const bad: Array<[string, Uint8Array, number?]> = [
    ["a null delta", text("null")],
    ["not JSON (NaN)", text('{"counters":{"http_reqs":NaN}}')],
    ["a list", text("[1,2]")],
    ["a section that is null", json({ counters: null })],
    ["a negative counter", json({ counters: { "http_reqs{name=home,scenario=main}": -500 } })],
    ["a counter that is a string", json({ counters: { "http_reqs{name=home,scenario=main}": "7" } })],
    ["a counter past 2^53", json({ counters: { "http_reqs{name=home,scenario=main}": 2 ** 60 } })],
    ["a fractional rate count", json({ rates: { "checks{scenario=main}": [1.5, 0] } })],
    ["a histogram beyond range", json({ trends: { "http_req_duration{name=home,scenario=main}": histogramAt(100_000, 1) } })],
    ["a histogram bucket count past 2^31", json({ trends: { "http_req_duration{name=home,scenario=main}": histogramAt(5, 2 ** 40) } })],
    ["a histogram gzip bomb", json({ trends: { "http_req_duration{name=home,scenario=main}": histogramBomb() } })],
    ["a histogram that is not one", json({ trends: { "http_req_duration{name=home,scenario=main}": "bm9wZQ==" } })],
    ["a negative vus gauge", json({ gauges: { vus: -3 } })],
    ["a contradicting definition", json({ definitions: { http_reqs: { type: "trend", contains: "time" } }, counters: {} })],
    ["a series key of 5000 characters", json({ counters: { [`http_reqs{name=${"x".repeat(5_000)}}`]: 1 } })],
    ["a sequence number far ahead, with a valid delta", json(valid), 10 ** 15],
  ];
  let seq = 0;
  for (const [, delta, at] of bad) rogue.metrics({ run_id: id, delta, seq: at ?? ++seq });
  // Not batches of this run, or not messages at all.
  rogue.metrics({ run_id: "r-another-run", delta: json(valid), seq: ++seq });
  rogue.metrics({ run_id: id, delta: json(valid), seq: 0 });
  rogue.send({} as AgentMessage);
  rogue.send(agentMessage("heartbeat", { active_vus: 1e9, run_state: "running", run_id: id, unix_ms: Date.now(), health: "" }));
  rogue.send(agentMessage("run_event", { run_id: id, kind: "KIND_UNSPECIFIED" as never, summary: "", error: "", notes: [], outcome: "" }));
  bystander.metrics({ run_id: id, delta: json(valid), seq: 1 });
  const refusedByRogue = bad.length + 5;
  await waitFor("every refusal counted", () => (c.registry.get("rogue")?.rejectedMessages ?? 0) >= refusedByRogue && (c.registry.get("bystander")?.rejectedMessages ?? 0) >= 1);
  rogue.event({ run_id: id, kind: "FINISHED", outcome: "finished" });

  const view = await waitFor("the run's end", async () => {
    const v = (await (await fetch(`${c.httpUrl}/api/runs/${id}`)).json()) as { status: string; summary?: Summary };
    return v.summary ? v : undefined;
  }, 30_000);
  expect(view.status).toBe("finished");
  const stats = (await (await fetch(`${demo.url}/_stats`)).json()) as { total: number };
  const merged = view.summary!.metrics.find((m) => m.name === "http_reqs")!.values.count;
  expect(stats.total).toBeGreaterThan(0);
  expect(merged).toBe(stats.total);
  const duration = view.summary!.metrics.find((m) => m.name === "http_req_duration")!.values;
  expect(duration.count).toBe(stats.total);
  expect(duration.max).toBeLessThan(60_000);
  // The summary says the rogue's batches were left out, and why to look in the log.
  expect(view.summary!.notes).toContain(
    `rogue: ${bad.length} metric batch(es) were left out of the figures: malformed, out of bounds, or contradicting the metric definitions of other agents (mixed loadr versions?); the controller's log says which`,
  );

  // Counted per agent, in the fleet view, and logged with the agent's name (throttled).
  const agents = ((await (await fetch(`${c.httpUrl}/api/agents`)).json()) as { agents: Array<{ name: string; rejectedMessages: number }> }).agents;
  expect(agents.find((a) => a.name === "rogue")!.rejectedMessages).toBe(refusedByRogue);
  expect(agents.find((a) => a.name === "bystander")!.rejectedMessages).toBe(1);
  expect(agents.find((a) => a.name === "real")!.rejectedMessages).toBe(0);
  expect(await (await fetch(`${c.httpUrl}/metrics`)).text()).toContain(`loadr_agent_rejected_messages_total{agent="rogue",id="rogue"} ${refusedByRogue}`);
  const logged = lines.filter((l) => l.startsWith("agent rogue (rogue): "));
  expect(logged.length).toBeGreaterThanOrEqual(5);
  expect(logged[0]).toBe(`agent rogue (rogue): run ${id}: a metrics batch was refused: its delta is not a JSON object`);
  expect(lines).toContain(`agent bystander (bystander): a metrics batch for run "${id}" was refused: this agent is not part of that run`);
}, 60_000);
