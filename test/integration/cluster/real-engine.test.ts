// The real engine through the local cluster: a controller and three agents on loopback run a plan
// against the counting demo target; the merged http_reqs equals what the target counted.
import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { submitRun } from "../../../src/cluster/client.ts";
import { startLocalCluster } from "../../../src/cluster/local-cluster.ts";
import { startDemoServer } from "../../../src/demo/server.ts";
import type { Summary } from "../../../src/outputs/summary.ts";
import { tempDir } from "./helpers.ts";

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
  } finally {
    await cluster.stop();
    await demo.stop();
  }
}, 60_000);
