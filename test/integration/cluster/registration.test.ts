// Real gRPC on loopback: registration, the version check, mTLS, liveness, reconnects.
import { afterAll, afterEach, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { startAgent, type Agent } from "../../../src/cluster/agent/agent.ts";
import type { Controller } from "../../../src/cluster/controller/controller.ts";
import { createCoordinationClient, describeGrpcError, startGrpcServer } from "../../../src/cluster/rpc.ts";
import { makeTestPki } from "./certs.ts";
import { fakeEngine, quiet, tempDir, testController, waitFor } from "./helpers.ts";

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

describe("registration", () => {
  test("an agent registers with its name, labels and cores; the controller lists it idle", async () => {
    const c = await controller();
    const a = agent(c.grpcTarget, { name: "edge-1", labels: { pool: "eu" } });
    await waitFor("registration", () => a.connection() === "registered");
    expect(a.controllerId()).toBe(c.id);
    const res = await fetch(`${c.httpUrl}/api/agents`);
    const { agents } = (await res.json()) as { agents: Array<{ id: string; name: string; labels: object; state: string; cores: number }> };
    expect(agents).toHaveLength(1);
    expect(agents[0]).toMatchObject({ id: a.id, name: "edge-1", labels: { pool: "eu" }, state: "idle" });
    expect(agents[0]!.cores).toBeGreaterThan(0);
  });

  test("a protocol-version mismatch is refused, and both sides say why", async () => {
    const c = await controller();
    const a = agent(c.grpcTarget, { protocolVersion: 99 });
    await waitFor("rejection", () => a.connection() === "rejected");
    expect(a.lastError()).toContain("the controller refused this agent: protocol version 99 is not supported");
    expect(a.lastError()).toContain("speaks loadr.coordination.v1 protocol version 1");
    expect(c.lines.some((l) => l.includes("refused agent") && l.includes("protocol version 99"))).toBe(true);
    expect(c.registry.all()).toHaveLength(0);
  });

  test("an agent that goes silent is marked unhealthy after the liveness window, and recovers", async () => {
    const c = await controller({ livenessMs: 600, heartbeatMs: 100 });
    const a = agent(c.grpcTarget, { heartbeatMs: 100, livenessMs: 600 });
    await waitFor("registration", () => a.connection() === "registered");
    a.silence(true);
    const t0 = Date.now();
    await waitFor("unhealthy", () => c.registry.get(a.id)?.status.state === "unhealthy", 5_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(500);
    a.silence(false);
    await waitFor("healthy again", () => c.registry.get(a.id)?.status.state === "idle", 5_000);
  });

  test("after the controller restarts on the same port the agent re-registers with the same id", async () => {
    const tmp = tempDir();
    cleanups.push(() => tmp.cleanup());
    const first = await testController(tmp.dir, { bind: "127.0.0.1:0" });
    const port = first.grpcPort;
    const a = agent(`127.0.0.1:${port}`);
    await waitFor("registration", () => a.connection() === "registered");
    await first.stop();
    await waitFor("disconnect noticed", () => a.connection() !== "registered");
    const second = await testController(tmp.dir, { bind: `127.0.0.1:${port}`, http: undefined });
    cleanups.push(() => second.stop());
    await waitFor("re-registration", () => second.registry.get(a.id)?.status.state === "idle", 15_000);
    expect(second.id).toBe(first.id);
    expect(a.connection()).toBe("registered");
  });
});

describe("mTLS", () => {
  const pki = makeTestPki();
  afterAll(() => pki.cleanup());
  const tlsController = () => controller({ tls: { cert: pki.serverCert, key: pki.serverKey, clientCa: pki.ca } });

  test("an agent with a good client certificate joins", async () => {
    const c = await tlsController();
    const a = agent(c.grpcTarget, { tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } });
    await waitFor("registration", () => a.connection() === "registered");
  });

  test("an agent without a client certificate is refused with a readable reason", async () => {
    const c = await tlsController();
    const a = agent(c.grpcTarget, { tls: { ca: pki.ca } });
    await waitFor("an error", () => a.lastError());
    expect(a.lastError()).toBe("the controller requires a client certificate (mTLS): pass --tls-cert and --tls-key");
    expect(c.registry.all()).toHaveLength(0);
    // The controller says so too, with the peer's address.
    await waitFor("the controller's log line", () =>
      c.lines.find((l) => /^TLS connections from 127\.0\.0\.1: 127\.0\.0\.1:\d+ refused: it sent no client certificate \(this controller requires mTLS: the agent needs --tls-cert and --tls-key\)$/.test(l)),
    );
  });

  test("an agent whose certificate comes from another CA is refused with a readable reason", async () => {
    const c = await tlsController();
    const a = agent(c.grpcTarget, { tls: { ca: pki.ca, cert: pki.otherClientCert, key: pki.otherClientKey } });
    await waitFor("an error", () => a.lastError());
    expect(a.lastError()).toStartWith(
      `the TLS handshake with ${c.grpcTarget} failed: the controller's certificate is not signed by --tls-ca, or yours is not trusted by its --tls-client-ca`,
    );
    expect(c.registry.all()).toHaveLength(0);
    await waitFor("the controller's log line", () => c.lines.find((l) => /127\.0\.0\.1:\d+ refused: its client certificate is not signed by this controller's --tls-client-ca$/.test(l)));
  });

  test("an agent whose certificate has expired is told so at start, not that a CA is wrong", () => {
    expect(() => agent("127.0.0.1:9", { tls: { ca: pki.ca, cert: pki.expiredClientCert, key: pki.expiredClientKey } })).toThrow(
      new RegExp(`^--tls-cert ${pki.expiredClientCert.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} expired on \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(its notAfter\\)$`),
    );
  });

  test("a certificate that expires while the agent runs: the agent says its certificate expired, the controller logs why it refused", async () => {
    const c = await tlsController();
    // What channelCredentials would give for the expired certificate, had it been valid at start.
    const notAfter = Date.parse(new X509Certificate(readFileSync(pki.expiredClientCert)).validTo);
    const transport = {
      credentials: grpc.credentials.createSsl(readFileSync(pki.ca), readFileSync(pki.expiredClientKey), readFileSync(pki.expiredClientCert)),
      options: {},
      clientCertNotAfterMs: notAfter,
    };
    const client = createCoordinationClient(`localhost:${c.grpcPort}`, transport);
    cleanups.push(() => client.close());
    const error = await new Promise<unknown>((resolve) => client.connect().on("error", resolve));
    expect(describeGrpcError(error, `localhost:${c.grpcPort}`, true)).toBe(
      `the TLS handshake with localhost:${c.grpcPort} failed: this agent's client certificate (--tls-cert) expired on ${new Date(notAfter).toISOString()}; renew it`,
    );
    await waitFor("the controller's log line", () => c.lines.find((l) => /refused: its client certificate has expired \(renew the agent's --tls-cert\)$/.test(l)));
  });

  test("a controller whose certificate has expired refuses to start; agents of one that runs with it are told it expired", async () => {
    const tmp = tempDir();
    cleanups.push(() => tmp.cleanup());
    await expect(testController(tmp.dir, { tls: { cert: pki.expiredServerCert, key: pki.expiredServerKey, clientCa: pki.ca } })).rejects.toThrow(
      /^--tls-cert \S+expired-server\.pem expired on .* \(its notAfter\)$/,
    );
    const server = await startGrpcServer(
      "127.0.0.1:0",
      grpc.ServerCredentials.createSsl(readFileSync(pki.ca), [{ cert_chain: readFileSync(pki.expiredServerCert), private_key: readFileSync(pki.expiredServerKey) }], true),
      (stream) => stream.end(),
    );
    cleanups.push(() => server.close(0));
    const a = agent(`127.0.0.1:${server.port}`, { tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey } });
    await waitFor("an error", () => a.lastError());
    expect(a.lastError()).toStartWith(`the TLS handshake with 127.0.0.1:${server.port} failed: the controller's certificate has expired (renew the controller's --tls-cert)`);
  });

  test("an agent that does not trust the controller's CA says so", async () => {
    const c = await tlsController();
    const a = agent(c.grpcTarget, { tls: { ca: pki.otherCa, cert: pki.clientCert, key: pki.clientKey } });
    await waitFor("an error", () => a.lastError());
    expect(a.lastError()).toContain("the controller's certificate is not signed by --tls-ca");
  });

  test("a plaintext agent against a TLS controller is told to pass --tls-ca", async () => {
    const c = await tlsController();
    const a = agent(c.grpcTarget);
    await waitFor("an error", () => a.lastError());
    expect(a.lastError()).toContain("refused a plaintext connection");
  });
});

