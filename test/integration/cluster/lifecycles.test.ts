// Lifecycles that end and counts that stay honest, through a real controller and real agents over
// gRPC on loopback with a fake engine whose every reported request is counted here: a run stuck
// in "starting" times out naming who did not confirm; a lost agent's later batches still count;
// an agent that stops on its own flushes its final delta. The same with real processes and the
// real engine: agent-failures.test.ts.
import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startAgent, type Agent } from "../../../src/cluster/agent/agent.ts";
import { submitRun } from "../../../src/cluster/client.ts";
import type { Controller } from "../../../src/cluster/controller/controller.ts";
import { agentMessage, PROTOCOL_VERSION, type ControllerMessage } from "../../../src/cluster/protocol.ts";
import { createCoordinationClient } from "../../../src/cluster/rpc.ts";
import { channelCredentials } from "../../../src/cluster/tls.ts";
import type { LocalRunOptions } from "../../../src/core/run/types.ts";
import type { Summary } from "../../../src/core/run/summary.ts";
import { seriesName } from "../../../src/metrics/series.ts";
import { SIMPLE_PLAN, fakeEngine, tempDir, testController, waitFor } from "./helpers.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A fake engine that also counts, per agent, every request it handed to the agent to report. */
function countingEngine(config: Parameters<typeof fakeEngine>[0]) {
  const engine = fakeEngine(config);
  const produced = new Map<string, number>();
  const startFor = (agent: string) => (options: LocalRunOptions) =>
    engine.start({
      ...options,
      onDelta: (delta, final) => {
        for (const [key, n] of Object.entries(delta.counters)) if (seriesName(key) === "http_reqs") produced.set(agent, (produced.get(agent) ?? 0) + n);
        options.onDelta(delta, final);
      },
    });
  const total = () => [...produced.values()].reduce((a, b) => a + b, 0);
  return { engine, produced, startFor, total };
}

async function cluster(names: string[], counting: ReturnType<typeof countingEngine>) {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  const controller: Controller = await testController(join(tmp.dir, "data"), { livenessMs: 1_000, heartbeatMs: 200 });
  cleanups.push(() => controller.stop());
  const agents = new Map<string, Agent>();
  for (const name of names) {
    const agent = startAgent({ join: controller.grpcTarget, name, startLocalRun: counting.startFor(name), workers: 1, log: () => {}, heartbeatMs: 200, livenessMs: 1_000 });
    cleanups.push(() => agent.stop());
    agents.set(name, agent);
  }
  await waitFor("agents registered", () => controller.registry.all().filter((e) => e.status.state === "idle").length === names.length);
  const planPath = (text: string) => {
    writeFileSync(join(tmp.dir, "plan.yaml"), text);
    return join(tmp.dir, "plan.yaml");
  };
  return { controller, agents, planPath };
}

/** A peer that registers properly, heartbeats, and ignores whatever it is sent (never confirms a start). */
function mute(join: string, name: string) {
  const client = createCoordinationClient(join, channelCredentials({}, "127.0.0.1"));
  const stream = client.connect();
  const received: string[] = [];
  stream.on("data", (m: ControllerMessage) => received.push(m.body));
  stream.on("error", () => {});
  stream.write(agentMessage("register", { agent_id: `mute-${name}`, name, protocol_version: PROTOCOL_VERSION, cores: 1, labels: {}, unix_ms: Date.now(), active_runs: [], version: "test" }));
  // Alive (heartbeats), but it never confirms anything.
  const heartbeat = setInterval(() => stream.write(agentMessage("heartbeat", { active_vus: 0, run_state: "idle", run_id: "", unix_ms: Date.now(), health: "" })), 200);
  const close = () => {
    clearInterval(heartbeat);
    try {
      stream.end();
    } catch {}
    client.close();
  };
  cleanups.push(close);
  return { received };
}

const reqs = (summary: Summary) => summary.metrics.find((m) => m.name === "http_reqs")?.values.count ?? 0;
type FleetAgent = { name: string; state: string; finalBatch?: boolean; lastBatchAtMs?: number; unreportedEstimate?: { windowMs: number; requests: number; iterations: number }; error?: string };
const fleetOf = (summary: Summary) => (summary.fleet as { agents: FleetAgent[] }).agents;

describe("a run stuck in starting", () => {
  test("times out after cluster.startTimeout naming the agents that did not confirm; the submitter gets exit 1", async () => {
    const counting = countingEngine({ perScenario: 10, ticks: 2 });
    const c = await cluster([], counting);
    const peer = mute(c.controller.grpcTarget, "silent-sam");
    await waitFor("the mute peer registered", () => c.controller.registry.all().some((e) => e.name === "silent-sam" && e.status.state === "idle"));
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(`${SIMPLE_PLAN}cluster:\n  agents: 1\n  startTimeout: 1s\n`), env: {} });
    const result = await run.result;
    expect(result.status).toBe("failed");
    expect(result.exitCode).toBe(1);
    expect(result.error).toBe(
      "no agent confirmed its start within 1s of the start barrier (cluster.startTimeout): silent-sam (mute-silent-sam) did not; check that they run the same loadr version as the controller and see their logs",
    );
    expect(fleetOf(result.summary as Summary)).toMatchObject([{ name: "silent-sam", state: "failed", error: "did not confirm its start within 1s of the start barrier" }]);
    // It was told to drop its share, and is free for the next run.
    await waitFor("the kill reached the peer", () => peer.received.includes("control"));
    expect(c.controller.registry.all().find((e) => e.name === "silent-sam")?.status.state).toBe("idle");
  }, 20_000);

  test("once another agent confirmed, the one that did not is lost under the run's policy and the run goes on", async () => {
    const counting = countingEngine({ perScenario: 100, ticks: 30, tickMs: 100 });
    const c = await cluster(["real"], counting);
    mute(c.controller.grpcTarget, "silent-sam");
    await waitFor("both registered", () => c.controller.registry.all().filter((e) => e.status.state === "idle").length === 2);
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(`${SIMPLE_PLAN}cluster:\n  agents: 2\n  startTimeout: 1s\n  onAgentLoss: continue\n`), env: {} });
    const result = await run.result;
    expect(result.status).toBe("finished");
    const summary = result.summary as Summary;
    expect(summary.notes.some((n) => n.startsWith("Agent silent-sam (mute-silent-sam) was lost") && n.includes("did not confirm its start within 1s"))).toBe(true);
    expect(fleetOf(summary).find((a) => a.name === "silent-sam")).toMatchObject({ state: "lost", unreportedEstimate: { requests: 0, iterations: 0 } });
    expect(reqs(summary)).toBe(counting.total());
  }, 20_000);
});

describe("counts stay honest", () => {
  test("an agent written off as lost (silent past the liveness window) still counts: its later batches are merged", async () => {
    const counting = countingEngine({ perScenario: 2000, ticks: 40, tickMs: 100 });
    const c = await cluster(["a", "b"], counting);
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(`${SIMPLE_PLAN}cluster:\n  agents: 2\n  onAgentLoss: continue\n`), env: {} });
    await waitFor("running", () => c.controller.runs.get(run.runId)?.status === "running");
    const b = c.agents.get("b")!;
    b.silence(true);
    await waitFor("b lost", () => c.controller.runs.get(run.runId)?.agents.find((x) => x.name === "b")?.state === "lost", 5_000);
    b.silence(false);
    const result = await run.result;
    const summary = result.summary as Summary;
    expect(result.status).toBe("finished");
    expect(counting.produced.get("b")).toBeGreaterThan(0);
    expect(reqs(summary)).toBe(counting.total());
    expect(fleetOf(summary).find((x) => x.name === "b")).toMatchObject({ state: "lost", finalBatch: true, unreportedEstimate: { windowMs: 0, requests: 0, iterations: 0 } });
    expect(summary.notes.find((n) => n.startsWith("Agent b"))).toContain("Its final metrics arrived, so none of its work is missing from the figures.");
  }, 20_000);

  test("an agent that stops on its own mid-run flushes its final delta first; its share counts as lost, nothing is missing", async () => {
    const counting = countingEngine({ perScenario: 2000, ticks: 30, tickMs: 100 });
    const c = await cluster(["a", "b"], counting);
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(`${SIMPLE_PLAN}cluster:\n  agents: 2\n  onAgentLoss: continue\n`), env: {} });
    await waitFor("b reported", () => (counting.produced.get("b") ?? 0) > 0);
    await c.agents.get("b")!.stop("SIGTERM: the agent is shutting down");
    const result = await run.result;
    const summary = result.summary as Summary;
    expect(result.status).toBe("finished");
    expect(reqs(summary)).toBe(counting.total());
    expect(fleetOf(summary).find((x) => x.name === "b")).toMatchObject({ state: "lost", finalBatch: true, unreportedEstimate: { requests: 0 } });
    expect(summary.notes.find((n) => n.startsWith("Agent b"))).toContain("(it stopped its load early: SIGTERM: the agent is shutting down)");
  }, 20_000);

  test("an agent shut down before its load started says so, and the run goes on without it", async () => {
    const counting = countingEngine({ perScenario: 100, ticks: 2 });
    const c = await cluster(["a", "b"], counting);
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(`${SIMPLE_PLAN}cluster:\n  agents: 2\n`), env: {} });
    await waitFor("b has its assignment", () => c.agents.get("b")!.currentRun() === run.runId);
    await c.agents.get("b")!.stop("SIGTERM: the agent is shutting down");
    const result = await run.result;
    expect(result.status).toBe("finished");
    const summary = result.summary as Summary;
    const note = summary.notes.find((n) => n.startsWith("Agent b")) ?? "";
    expect(note).toContain("was lost before the load started (it stopped its load early: ");
    expect(note).toContain("SIGTERM: the agent is shutting down");
    expect(counting.produced.get("b") ?? 0).toBe(0);
    expect(reqs(summary)).toBe(counting.total());
  }, 20_000);
});
