// The real engine through the local cluster: a controller and three agents on loopback run a plan
// against the counting demo target; the merged http_reqs equals what the target counted.
import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { submitRun } from "../../../src/cluster/client.ts";
import { startLocalCluster } from "../../../src/cluster/local-cluster.ts";
import { startDemoServer } from "../../../src/demo/server.ts";
import type { Summary } from "../../../src/core/run/summary.ts";
import { tempDir, waitFor } from "./helpers.ts";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

test("controller + 3 agents: merged http_reqs equals the target's own count", async () => {
  const demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
  const cluster = await startLocalCluster(3, { workersPerAgent: 1 });
  try {
    writeFileSync(join(tmp.dir, "users.csv"), "name,password\nann,pw\nbob,pw\ncid,pw\n");
    const plan = `name: real-cluster
baseUrl: \${env.BASE_URL}
data:
  users:
    csv: users.csv
    mode: sequential
scenarios:
  main:
    executor: shared-iterations
    vus: 6
    iterations: 301
    maxDuration: 20s
    flow:
      - request: { name: home, url: "/?u=\${data.users.name}" }
thresholds:
  http_req_duration: ["p(95)<5000"]
cluster:
  agents: 3
  wait: 10s
`;
    writeFileSync(join(tmp.dir, "plan.yaml"), plan);
    const run = await submitRun(cluster.controllerUrl, { planPath: join(tmp.dir, "plan.yaml"), env: { BASE_URL: demo.url, SECRET: "not sent" } });
    const result = await run.result;
    const summary = result.summary as Summary;
    expect({ status: result.status, error: result.error }).toEqual({ status: "finished", error: undefined });
    expect(result.exitCode).toBe(0);
    const stats = (await (await fetch(`${demo.url}/_stats`)).json()) as { total: number };
    const reqs = summary.metrics.find((m) => m.name === "http_reqs")!.values.count;
    expect(reqs).toBe(301);
    expect(stats.total).toBe(301);
    const dur = summary.metrics.find((m) => m.name === "http_req_duration")!.values;
    expect(dur.count).toBe(301);
    expect(dur["p(95)"]).toBeGreaterThan(0);
    expect((summary.fleet as { agents: unknown[] }).agents).toHaveLength(3);
    // The fleet's VUs are the sum over its agents: the plan's 6, not one agent's 2.
    expect(summary.metrics.find((m) => m.name === "vus_max")?.values.value).toBe(6);
  } finally {
    await cluster.stop();
    await demo.stop();
  }
}, 60_000);

/** A target whose `/slow` holds each request `holdMs`; it counts how many are in flight at once. */
function concurrencyTarget(holdMs: number) {
  let inFlight = 0;
  let served = 0;
  let max = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch() {
      inFlight++;
      max = Math.max(max, inFlight);
      await Bun.sleep(holdMs);
      inFlight--;
      served++;
      return new Response("ok");
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    get inFlight() {
      return inFlight;
    },
    get served() {
      return served;
    },
    get max() {
      return max;
    },
    /** Forgets the maximum so far (after a change of VUs). */
    resetMax() {
      max = inFlight;
    },
    stop: () => server.stop(true),
  };
}

test("scaling an externally-controlled scenario on 2 agents to 10 puts 10 VUs on the target", async () => {
  const target = concurrencyTarget(300);
  const cluster = await startLocalCluster(2, { workersPerAgent: 1 });
  try {
    writeFileSync(
      join(tmp.dir, "scale.yaml"),
      `name: scale
baseUrl: \${env.BASE_URL}
scenarios:
  knob:
    executor: externally-controlled
    vus: 2
    maxVUs: 20
    duration: 60s
    gracefulStop: 2s
    flow:
      - request: { name: slow, url: /slow }
`,
    );
    const run = await submitRun(cluster.controllerUrl, { planPath: join(tmp.dir, "scale.yaml"), env: { BASE_URL: target.url } });
    await waitFor("the 2 initial VUs on the target", () => target.inFlight === 2 && target.served >= 4, 20_000);
    expect(target.max).toBe(2);
    const answer = await fetch(`${cluster.controllerUrl}/api/runs/${run.runId}/control`, { method: "POST", body: JSON.stringify({ action: "scale", scenario: "knob", vus: 10 }) });
    expect(answer.status).toBe(200);
    // Each VU holds one request at a time, so the target's concurrency is the fleet's VU count.
    await waitFor("10 requests in flight", () => target.inFlight >= 10, 10_000).catch(() => {});
    const servedAtTen = target.served;
    await waitFor("three more rounds of requests", () => target.served >= servedAtTen + 30, 10_000).catch(() => {});
    expect(target.max).toBe(10);
    await fetch(`${cluster.controllerUrl}/api/runs/${run.runId}/control`, { method: "POST", body: JSON.stringify({ action: "stop" }) });
    const result = await run.result;
    expect(result.status).toBe("stopped");
    expect((result.summary as Summary).metrics.find((m) => m.name === "vus_max")?.values.value).toBe(20);
  } finally {
    await cluster.stop();
    target.stop();
  }
}, 60_000);
