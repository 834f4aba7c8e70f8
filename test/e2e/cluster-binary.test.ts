// Distributed mode with the compiled binary only: `loadr controller`, three `loadr agent`s and
// `loadr run --controller`, as separate processes on loopback. The merged request count equals
// the target's own count exactly; `--local-agents` gives the same with one command, and Ctrl-C
// of it ends the fleet's run the way it ends a local one (exit 105).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBinary, spawnUntil } from "../helpers/binary.ts";
import { demoStats } from "../helpers/plans.ts";
import { EXIT_EXTERNAL_ABORT } from "../../src/shared/exit-codes.ts";
import { startDemoServer, type DemoServer } from "../../src/demo/server.ts";

let dir: string;
let demo: DemoServer;
const children: Bun.Subprocess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "loadr-e2e-cluster-"));
  demo = await startDemoServer({ port: 0 });
  writeFileSync(
    join(dir, "plan.yaml"),
    `name: fleet
baseUrl: \${env.BASE_URL}
scenarios:
  steady:
    executor: per-vu-iterations
    vus: 7
    iterations: 13
    flow:
      - request: { name: items, url: /json, checks: [{ status: 200 }] }
cluster:
  agents: 3
  wait: 20s
`,
  );
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await demo.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the binary to completion without blocking this process (the demo target lives here). */
async function run(args: string[]) {
  const child = Bun.spawn([requireBinary(), ...args], {
    cwd: dir,
    env: { ...process.env, BASE_URL: demo.url, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  children.push(child);
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

test("a controller and three agent processes run a plan; counts are exact", async () => {
  const controller = await spawnUntil(
    ["controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", join(dir, "data")],
    /agents join (\S+); HTTP API (http:\/\/\S+)/,
  );
  children.push(controller.process);
  const [, grpc, http] = controller.match;
  for (const name of ["a1", "a2", "a3"]) {
    const agent = Bun.spawn([requireBinary(), "agent", "--join", grpc!, "--name", name, "--workers", "1"], { stdout: "ignore", stderr: "ignore" });
    children.push(agent);
  }
  const before = (await demoStats(demo.url)).total;
  const { code, stdout, stderr } = await run(["run", "plan.yaml", "--controller", http!, "--summary-json", "fleet.json", "--quiet"]);
  expect(stderr).not.toContain("unexpected failure");
  expect(code).toBe(0);
  expect(stdout).toContain("http_reqs");
  const summary = JSON.parse(readFileSync(join(dir, "fleet.json"), "utf8"));
  expect(summary.metrics.http_reqs.count).toBe(7 * 13);
  expect((await demoStats(demo.url)).total - before).toBe(7 * 13);
  // `loadr control` reads the same API through the same client.
  const listed = await run(["control", "list", "--controller", http!]);
  expect(listed.code).toBe(0);
  const runs = JSON.parse(listed.stdout) as Array<{ id: string; status: string; exitCode: number }>;
  expect(runs.map((r) => [r.id === summary.run_id, r.status, r.exitCode])).toEqual([[true, "finished", 0]]);
  const over = await run(["control", summary.run_id, "stop", "--controller", http!]);
  expect(over.code).toBe(1);
  expect(over.stderr).toContain(`POST ${http}/api/runs/${summary.run_id}/control: run ${summary.run_id} is already finished`);
  expect(over.stderr).toContain(`loadr control RUN_ID status`);
}, 60_000);

test("--local-agents runs the plan through a loopback cluster with one command", async () => {
  const before = (await demoStats(demo.url)).total;
  const { code, stdout } = await run(["run", "plan.yaml", "--local-agents", "3", "--summary-json", "local.json", "--quiet"]);
  expect(code).toBe(0);
  expect(stdout).toMatch(/http_reqs\.+: 91\b/);
  expect((await demoStats(demo.url)).total - before).toBe(91);
  // The fleet's VUs: the plan's 7, summed over the agents' shares (3 + 2 + 2).
  const summary = JSON.parse(readFileSync(join(dir, "local.json"), "utf8"));
  expect(summary.metrics.vus_max.value).toBe(7);
}, 60_000);

test("an agent stopped with kill -STOP is marked unhealthy after the liveness window", async () => {
  const controller = await spawnUntil(
    ["controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", join(dir, "data-stop")],
    /agents join (\S+); HTTP API (http:\/\/\S+)/,
  );
  children.push(controller.process);
  const [, grpc, http] = controller.match;
  const agent = Bun.spawn([requireBinary(), "agent", "--join", grpc!, "--name", "sleepy", "--workers", "1"], { stdout: "ignore", stderr: "ignore" });
  children.push(agent);
  const stateOf = async () => {
    const { agents } = (await (await fetch(`${http}/api/agents`)).json()) as { agents: Array<{ name: string; state: string }> };
    return agents.find((a) => a.name === "sleepy")?.state;
  };
  const waitForState = async (state: string, limitMs: number) => {
    const deadline = Date.now() + limitMs;
    while ((await stateOf()) !== state) {
      if (Date.now() > deadline) throw new Error(`agent never became ${state} (now ${await stateOf()})`);
      await Bun.sleep(100);
    }
  };
  await waitForState("idle", 15_000);
  process.kill(agent.pid, "SIGSTOP");
  const stoppedAt = Date.now();
  try {
    await waitForState("unhealthy", 15_000);
    const after = Date.now() - stoppedAt;
    expect(after).toBeGreaterThanOrEqual(4_000);
    expect(after).toBeLessThan(12_000);
  } finally {
    process.kill(agent.pid, "SIGCONT");
  }
}, 60_000);

test("Ctrl-C of `loadr run --local-agents` stops the fleet gracefully: summary, interrupted note, exit 105", async () => {
  writeFileSync(
    join(dir, "long.yaml"),
    `name: long-fleet
baseUrl: \${env.BASE_URL}
scenarios:
  steady:
    executor: constant-vus
    vus: 4
    duration: 60s
    gracefulStop: 2s
    flow:
      - request: { url: /json }
      - sleep: 20ms
`,
  );
  const child = Bun.spawn([requireBinary(), "run", "long.yaml", "--local-agents", "2", "--summary-json", "long.json", "--quiet"], {
    cwd: dir,
    env: { ...process.env, BASE_URL: demo.url, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  children.push(child);
  const before = (await demoStats(demo.url)).total;
  const deadline = Date.now() + 20_000;
  while ((await demoStats(demo.url)).total < before + 20) {
    if (Date.now() > deadline) throw new Error("the fleet never reached the target");
    await Bun.sleep(50);
  }
  const stoppedAt = Date.now();
  child.kill("SIGINT");
  const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
  expect(Date.now() - stoppedAt).toBeLessThan(15_000);
  expect(code).toBe(EXIT_EXTERNAL_ABORT);
  expect(stdout).toContain("interrupted (a stop control)");
  const summary = JSON.parse(readFileSync(join(dir, "long.json"), "utf8"));
  expect(summary.metrics.http_reqs.count).toBe((await demoStats(demo.url)).total - before);
}, 60_000);
