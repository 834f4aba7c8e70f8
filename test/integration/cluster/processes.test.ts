// Real processes on loopback: `loadr controller` and `loadr agent` from source, the demo target
// in-process. kill -9 of an agent mid-run (continue policy), and kill -9 of the controller
// (agents stop their load, then re-register when it comes back). Every process is killed by PID.
import { afterEach, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { submitRun } from "../../../src/cluster/client.ts";
import { startDemoServer } from "../../../src/demo/server.ts";
import type { Summary } from "../../../src/core/run/summary.ts";
import { tempDir, waitFor } from "./helpers.ts";
import { agentsOf as agents, killAll, loadr, startController as controller } from "./spawn.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  killAll();
  for (const c of cleanups.splice(0).reverse()) await c();
});

test("kill -9 of an agent mid-run under continue: the run finishes and names the lost agent", async () => {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  const demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
  cleanups.push(() => demo.stop());
  const ctrl = await controller(join(tmp.dir, "data"));
  const a = loadr(["agent", "--join", ctrl.grpc, "--name", "alpha", "--workers", "1"]);
  const b = loadr(["agent", "--join", ctrl.grpc, "--name", "bravo", "--workers", "1"]);
  await waitFor("two idle agents", async () => (await agents(ctrl.http)).filter((x) => x.state === "idle").length === 2, 15_000);
  writeFileSync(join(tmp.dir, "plan.yaml"), `name: kill-agent
baseUrl: \${env.BASE_URL}
scenarios:
  steady:
    executor: constant-vus
    vus: 2
    duration: 4s
    flow:
      - request: { name: home, url: / }
      - sleep: 50ms
cluster:
  agents: 2
  wait: 10s
  onAgentLoss: continue
`);
  const run = await submitRun(ctrl.http, { planPath: join(tmp.dir, "plan.yaml"), env: { BASE_URL: demo.url } });
  for await (const e of run.events) if (e.type === "status" && e.status === "running") break;
  await waitFor("load flowing", async () => ((await (await fetch(`${demo.url}/_stats`)).json()) as { total: number }).total > 10);
  b.kill("SIGKILL");
  const result = await run.result;
  expect(result.status).toBe("finished");
  const summary = result.summary as Summary;
  expect(summary.notes.some((n) => n.includes("Agent bravo") && n.includes("was lost") && n.includes("went on with 1 of 2 agents"))).toBe(true);
  expect((summary.fleet as { lost: number; planned: number })).toMatchObject({ lost: 1, planned: 2 });
  expect(a.exitCode).toBeNull();
}, 40_000);

test("kill -9 of the controller: the agent stops its load, then re-registers when it is back", async () => {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  const demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
  cleanups.push(() => demo.stop());
  const data = join(tmp.dir, "data");
  const first = await controller(data);
  const agent = loadr(["agent", "--join", first.grpc, "--name", "solo", "--workers", "1"]);
  await waitFor("agent idle", async () => (await agents(first.http)).some((x) => x.state === "idle"), 15_000);
  writeFileSync(join(tmp.dir, "plan.yaml"), `name: kill-controller
baseUrl: \${env.BASE_URL}
scenarios:
  steady:
    executor: constant-vus
    vus: 1
    duration: 60s
    flow:
      - request: { name: home, url: / }
      - sleep: 20ms
`);
  const run = await submitRun(first.http, { planPath: join(tmp.dir, "plan.yaml"), env: { BASE_URL: demo.url } });
  const total = async () => ((await (await fetch(`${demo.url}/_stats`)).json()) as { total: number }).total;
  await waitFor("load flowing", async () => (await total()) > 5, 15_000);
  first.process.kill("SIGKILL");
  const killedAt = Date.now();
  await waitFor("fail-safe", () => agent.output().includes("nothing heard from the controller"), 12_000);
  expect(Date.now() - killedAt).toBeLessThan(9_000);
  await waitFor("load stopped", async () => {
    const before = await total();
    await Bun.sleep(300);
    return (await total()) === before;
  }, 5_000);
  const second = await controller(data, first.grpc);
  await waitFor("re-registered", async () => (await agents(second.http)).some((x) => x.name === "solo" && x.state === "idle"), 15_000);
  const view = (await (await fetch(`${second.http}/api/runs/${run.runId}`)).json()) as { status: string };
  expect(view.status).toBe("interrupted");
  await run.result.catch(() => {});
}, 60_000);
