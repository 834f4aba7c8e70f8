// Who may be an agent (issue 11, findings 2 and 3): the join token, the exposure rule, identities
// bound to their live stream (and certificate under mTLS), field limits on Register, and a peer
// that has not registered gets nothing but a refusal. Real gRPC on loopback, a rogue client made
// of the real proto (rogue.ts) beside real agents.
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { startAgent, type Agent } from "../../../src/cluster/agent/agent.ts";
import type { Controller } from "../../../src/cluster/controller/controller.ts";
import { MESSAGE_LIMITS } from "../../../src/cluster/controller/message-limits.ts";
import { makeTestPki } from "./certs.ts";
import { fakeEngine, SIMPLE_PLAN, tempDir, testController, waitFor } from "./helpers.ts";
import { rogueClient, type Rogue } from "./rogue.ts";

const TOKEN = "join-token-for-tests-4b1c9e";
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function controller(over: Parameters<typeof testController>[1] = {}): Promise<Controller & { lines: string[] }> {
  const tmp = tempDir();
  const lines: string[] = [];
  const c = await testController(tmp.dir, { log: (l) => lines.push(l), ...over });
  cleanups.push(() => tmp.cleanup());
  cleanups.push(() => c.stop());
  return Object.assign(c, { lines });
}

function agent(join: string, over: Partial<Parameters<typeof startAgent>[0]> = {}): Agent & { lines: string[] } {
  const lines: string[] = [];
  const a = startAgent({ join, startLocalRun: fakeEngine({ perScenario: 10, ticks: 2 }).start, log: (l) => lines.push(l), ...over });
  cleanups.push(() => a.stop());
  return Object.assign(a, { lines });
}

function rogue(...args: Parameters<typeof rogueClient>): Rogue {
  const r = rogueClient(...args);
  cleanups.push(() => r.close());
  return r;
}

const submit = (c: Controller, body: object) => fetch(`${c.httpUrl}/api/runs`, { method: "POST", body: JSON.stringify(body) });

describe("the join token", () => {
  test("an agent with the token joins; without it, or with a wrong one, it is refused and says why; the controller logs the address", async () => {
    const c = await controller({ joinToken: TOKEN });
    const good = agent(c.grpcTarget, { name: "good", joinToken: TOKEN });
    const none = agent(c.grpcTarget, { name: "none" });
    const wrong = agent(c.grpcTarget, { name: "wrong", joinToken: `${TOKEN}x` });
    await waitFor("registration", () => good.connection() === "registered");
    await waitFor("two refusals", () => none.connection() === "rejected" && wrong.connection() === "rejected");
    expect(none.lastError()).toBe("the controller refused this agent: this controller requires a join token: start the agent with --join-token (or --join-token-file, LOADR_JOIN_TOKEN) set to the controller's token");
    expect(wrong.lastError()).toBe("the controller refused this agent: the join token is wrong: start the agent with the controller's --join-token");
    expect(c.registry.all().map((e) => e.name)).toEqual(["good"]);
    expect(c.lines.some((l) => /^connections from 127\.0\.0\.1: 127\.0\.0\.1:\d+ refused: this controller requires a join token$/.test(l))).toBe(true);
    expect(c.lines.some((l) => /refused: the join token is wrong$/.test(l))).toBe(true);
    // The token never reaches the log.
    expect(c.lines.join("\n")).not.toContain(TOKEN);
  });

  test("a peer without the token is handed nothing but one Rejected, even while a run waits for agents", async () => {
    const c = await controller({ joinToken: TOKEN });
    const res = await submit(c, { plan: SIMPLE_PLAN, cluster: { agents: 1, waitMs: 30_000 } });
    expect(res.status).toBe(202);
    const r = rogue(c.grpcTarget);
    r.register();
    await waitFor("the stream's end", () => r.ended());
    expect(r.received.map((m) => m.body)).toEqual(["rejected"]);
    expect(c.registry.all()).toHaveLength(0);
    // The run is still there for a real agent.
    const a = agent(c.grpcTarget, { joinToken: TOKEN });
    await waitFor("the run assigned to the real agent", () => a.currentRun());
  });

  test("beyond loopback without mTLS the controller refuses to start unless it has a token", async () => {
    const tmp = tempDir();
    cleanups.push(() => tmp.cleanup());
    await expect(testController(tmp.dir, { bind: "0.0.0.0:0" })).rejects.toThrow(
      "refusing to accept agents on 0.0.0.0 without --join-token or mTLS: anyone who can reach the port could register as an agent",
    );
    await expect(testController(tmp.dir, { bind: "10.1.2.3:0", tls: {} })).rejects.toThrow(/without --join-token or mTLS/);
  });
});

describe("identity", () => {
  test("a Register with a live agent's id from another peer is refused (the peer may retry later); the real agent keeps its stream and its run", async () => {
    const c = await controller();
    const engine = fakeEngine({ perScenario: 40, ticks: Infinity, tickMs: 50 });
    const real = agent(c.grpcTarget, { agentId: "edge-1", name: "edge-1", startLocalRun: engine.start });
    await waitFor("registration", () => c.registry.get("edge-1")?.status.state === "idle");
    const stream = c.registry.get("edge-1")!.stream;
    expect((await submit(c, { plan: SIMPLE_PLAN, cluster: { agents: 1 } })).status).toBe(202);
    await waitFor("the real agent running", () => c.registry.get("edge-1")?.status.state === "running");

    const r = rogue(c.grpcTarget);
    r.register({ agent_id: "edge-1", name: "impostor", labels: { pool: "evil" } });
    await waitFor("the refusal", () => r.error());
    expect(r.error()!.code).toBe(grpc.status.ALREADY_EXISTS);
    expect(r.error()!.details).toBe("agent id edge-1 is connected already; a second registration while its stream is live is refused until that stream is gone");
    expect(r.received).toEqual([]);
    const entry = c.registry.get("edge-1")!;
    expect(entry.stream).toBe(stream!);
    expect({ name: entry.name, labels: entry.labels, state: entry.status.state }).toEqual({ name: "edge-1", labels: {}, state: "running" });
    expect(real.connection()).toBe("registered");
    expect(c.lines.some((l) => l.includes('refused agent "impostor"') && l.includes("connected already"))).toBe(true);

    // Once the real agent is gone, the id is free again.
    const [run] = c.runs.activeRuns();
    run!.control("stop");
    await waitFor("the run's end", () => run!.final);
    await real.stop();
    await waitFor("the stream gone", () => c.registry.get("edge-1")?.status.state === "lost");
    const again = rogue(c.grpcTarget);
    again.register({ agent_id: "edge-1", name: "edge-1-again" });
    expect((await again.next("registered"))?.registered.controller_id).toBe(c.id);
  });

  describe("under mTLS", () => {
    const pki = makeTestPki();
    afterAll(() => pki.cleanup());
    const mtls = { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.ca };
    const as = (cert: string, key: string) => ({ ca: pki.ca, cert, key });

    test("an id is bound to its certificate: another certificate is refused while the agent is live, the same certificate may take over", async () => {
      const c = await controller({ tls: mtls });
      const first = rogue(c.grpcTarget, { tls: as(pki.clientCert, pki.clientKey) });
      first.register({ agent_id: "edge-1", name: "edge-1" });
      await first.next("registered");
      const fingerprint = c.registry.get("edge-1")!.fingerprint;
      expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

      const other = rogue(c.grpcTarget, { tls: as(pki.secondClientCert, pki.secondClientKey) });
      other.register({ agent_id: "edge-1", name: "impostor" });
      await waitFor("the refusal", () => other.error());
      expect(other.error()!.code).toBe(grpc.status.ALREADY_EXISTS);
      expect(other.error()!.details).toContain("a second registration with another client certificate is refused");
      expect(first.ended()).toBe(false);
      expect(c.registry.get("edge-1")!.name).toBe("edge-1");

      // The agent itself, reconnecting with its certificate before its old stream was noticed gone.
      const same = rogue(c.grpcTarget, { tls: as(pki.clientCert, pki.clientKey) });
      same.register({ agent_id: "edge-1", name: "edge-1" });
      await same.next("registered");
      await waitFor("the old stream ended", () => first.ended());
      expect(c.registry.get("edge-1")!.fingerprint).toBe(fingerprint!);
    });
  });
});

describe("Register field limits", () => {
  const long = (n: number) => "x".repeat(n);
  const cases: Array<[string, Parameters<Rogue["register"]>[0], string]> = [
    ["a name too long", { name: long(5_000) }, `name is 5000 characters long (at most ${MESSAGE_LIMITS.nameLength})`],
    ["an id too long", { agent_id: long(300) }, `agent_id is 300 characters long (at most ${MESSAGE_LIMITS.idLength})`],
    ["an id with spaces", { agent_id: "a b" }, "agent_id must be printable ASCII without spaces"],
    ["too many labels", { labels: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, "v"])) }, `it has 40 labels (at most ${MESSAGE_LIMITS.labels})`],
    ["a label value too long", { labels: { pool: long(300) } }, `label pool is 300 characters long (at most ${MESSAGE_LIMITS.labelValueLength})`],
    ["a label name that is not one", { labels: { "a b": "c" } }, 'label "a b" is not a label name'],
    ["a name with control characters", { name: "edge\u001b[31m" }, "name contains control characters"],
    ["too many active runs", { active_runs: Array.from({ length: 20 }, (_, i) => `r${i}`) }, `active_runs lists 20 runs (at most ${MESSAGE_LIMITS.activeRuns})`],
  ];
  for (const [what, over, reason] of cases) {
    test(`${what}: refused with the field and the limit, nothing registered`, async () => {
      const c = await controller();
      const r = rogue(c.grpcTarget);
      r.register(over);
      const rejected = await r.next("rejected");
      expect(rejected?.rejected.reason).toStartWith(`the Register message is invalid: ${reason}`);
      expect(c.registry.all()).toHaveLength(0);
      const agents = (await (await fetch(`${c.httpUrl}/api/agents`)).json()) as { agents: unknown[] };
      expect(agents.agents).toEqual([]);
    });
  }

  test("a message past 4 MiB once inflated (a gzip bomb) is refused by the transport; the controller carries on", async () => {
    const c = await controller();
    // ~40 MB of labels gzip to ~40 KB on the wire; an honest agent's client would not even send it.
    const r = rogue(c.grpcTarget, { channel: { "grpc.max_send_message_length": 64 * 1024 * 1024 } });
    r.register({ labels: { big: "a".repeat(40 * 1024 * 1024) } });
    await waitFor("the refusal", () => r.error());
    expect(r.error()!.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(r.error()!.details).toContain("larger than 4194304");
    expect(c.registry.all()).toHaveLength(0);
    const a = agent(c.grpcTarget);
    await waitFor("a real agent still joins", () => a.connection() === "registered");
  });
});

test("a waiting run is dispatched to an agent only after it was sent Registered", async () => {
  const c = await controller();
  expect((await submit(c, { plan: SIMPLE_PLAN, cluster: { agents: 1 } })).status).toBe(202);
  const r = rogue(c.grpcTarget);
  r.register({ agent_id: "late", name: "late" });
  await r.next("assignment");
  expect(r.received.map((m) => m.body).slice(0, 3)).toEqual(["registered", "assignment", "start"]);
});

test("many agents of one process (sharing one HTTP/2 connection) all register", async () => {
  const c = await controller();
  const fleet = Array.from({ length: 20 }, (_, i) => agent(c.grpcTarget, { name: `local-${i}` }));
  await waitFor("twenty idle agents", () => c.registry.all().filter((e) => e.status.state === "idle").length === 20);
  expect(fleet.every((a) => a.connection() === "registered")).toBe(true);
});
