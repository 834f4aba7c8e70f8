// The Redis example plugin (examples/plugins/redis.ts) against a real redis-server: loaded from
// the plan's `plugins:`, in every worker thread; its commands are counted exactly (the server's
// `INFO commandstats` equals the summary's redis_commands), its checks and extraction work on the
// replies; and the same through a local cluster of 2 agents, to which the plugin file is shipped.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { runRemote } from "../../../src/cli/run/run-remote.ts";
import { startLocalCluster } from "../../../src/cluster/local-cluster.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { writePlan } from "../../helpers/plans.ts";
import { startRedis, type RedisServer } from "../../helpers/redis-server.ts";

const PLUGIN = readFileSync(join(import.meta.dir, "..", "..", "..", "examples", "plugins", "redis.ts"), "utf8");
const ITERATIONS = 30;

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  await redis.command("FLUSHALL");
  await redis.command("CONFIG", "RESETSTAT");
});

const plan = `
name: redis
plugins: [./redis.ts]
scenarios:
  cache:
    executor: shared-iterations
    vus: 3
    iterations: ${ITERATIONS}
    flow:
      - redis:
          target: 127.0.0.1:\${env.REDIS_PORT}
          command: [SET, "user:\${vu}", "v\${iteration}"]
          checks:
            - reply: OK
      - redis:
          target: 127.0.0.1:\${env.REDIS_PORT}
          command: [GET, "user:\${vu}"]
          extract:
            got: { reply: text }
          checks:
            - reply: "v\${iteration}"
      - redis:
          name: count
          target: 127.0.0.1:\${env.REDIS_PORT}
          command: [INCR, "total"]
          checks:
            - status: 200
      - redis:
          target: 127.0.0.1:\${env.REDIS_PORT}
          command: [SET, "last:\${vu}", "\${vars.got}"]
thresholds:
  redis_commands{command:SET}: ["count==${2 * ITERATIONS}"]
`;

async function expectCounted(summary: any): Promise<void> {
  const calls = await redis.commandCalls();
  expect(calls.set).toBe(2 * ITERATIONS);
  expect(calls.get).toBe(ITERATIONS);
  expect(calls.incr).toBe(ITERATIONS);
  const served = Object.entries(calls).filter(([name]) => name !== "config|resetstat" && name !== "info").reduce((sum, [, n]) => sum + n, 0);
  expect(summary.metrics.redis_commands.count).toBe(served);
  expect(served).toBe(4 * ITERATIONS);
  expect(summary.metrics["redis_commands{command:SET}"].thresholds[`count==${2 * ITERATIONS}`].ok).toBe(true);
  expect(summary.metrics.checks.fails).toBe(0);
  expect(summary.metrics.checks.passes).toBe(3 * ITERATIONS);
  expect(await redis.command("GET", "total")).toBe(String(ITERATIONS));
  // The extraction took GET's reply: the value written back is one the VU had set.
  for (let vu = 1; vu <= 3; vu++) expect(await redis.command("GET", `last:${vu}`)).toMatch(/^v\d+$/);
}

describe("the Redis plugin", () => {
  test("a local run on 2 worker threads: INFO commandstats equals the summary", async () => {
    const dir = writePlan(plan, { "redis.ts": PLUGIN });
    try {
      const { io, stdout, stderr } = memoryIO({ REDIS_PORT: String(redis.port) });
      const code = await runLocal(
        { planPath: dir.planPath, env: io.env, workers: 2, segment: WHOLE, summaryJson: dir.path("summary.json"), quiet: true, color: false },
        io,
      );
      expect(code).toBe(0);
      expect(stderr()).not.toContain("warning");
      expect(stdout()).toContain("redis_commands");
      await expectCounted(JSON.parse(readFileSync(dir.path("summary.json"), "utf8")));
    } finally {
      dir.cleanup();
    }
  }, 60_000);

  test("--local-agents 2: the plugin is shipped to both agents, the counts still match", async () => {
    const dir = writePlan(plan, { "redis.ts": PLUGIN });
    const cluster = await startLocalCluster(2, { workersPerAgent: 1 });
    try {
      const { io } = memoryIO({ REDIS_PORT: String(redis.port) });
      const code = await runRemote(
        { controllerUrl: cluster.controllerUrl, planPath: dir.planPath, env: io.env, summaryJson: dir.path("summary.json"), quiet: true, color: false },
        io,
      );
      expect(code).toBe(0);
      const summary = JSON.parse(readFileSync(dir.path("summary.json"), "utf8"));
      expect(summary.fleet.agents).toHaveLength(2);
      await expectCounted(summary);
    } finally {
      await cluster.stop();
      dir.cleanup();
    }
  }, 90_000);
});
