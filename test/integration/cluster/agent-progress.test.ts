// An agent's per-scenario progress crosses a trust boundary: the controller checks it against the
// plan, adds up the valid ones over the fleet, and ignores (and counts, logging once) a malformed
// one without losing that agent's metrics or stalling the run.
import { afterEach, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startAgent } from "../../../src/cluster/agent/agent.ts";
import { submitRun } from "../../../src/cluster/client.ts";
import type { ProgressEvent } from "../../../src/cluster/api-types.ts";
import type { Summary } from "../../../src/core/run/summary.ts";
import type { LocalRun, LocalRunOptions } from "../../../src/core/run/types.ts";
import { SIMPLE_PLAN, fakeEngine, tempDir, testController, waitFor } from "./helpers.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

test("a malformed progress is ignored and logged once; the agent's metrics still count; the valid agent's progress is shown", async () => {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  const logs: string[] = [];
  const controller = await testController(join(tmp.dir, "data"), { livenessMs: 1_000, heartbeatMs: 200, log: (l) => logs.push(l) });
  cleanups.push(() => controller.stop());
  const good = fakeEngine({ perScenario: 300, ticks: 6, tickMs: 100 });
  const bad = fakeEngine({ perScenario: 300, ticks: 6, tickMs: 100 });
  // The bad agent's engine reports a scenario the plan does not have.
  const ghostly = (options: LocalRunOptions): LocalRun => {
    const run = bad.start(options);
    return { ...run, status: () => ({ ...run.status(), scenarios: run.status().scenarios.map((s) => ({ ...s, name: "ghost" })) }) };
  };
  const agents = [
    startAgent({ join: controller.grpcTarget, name: "a", startLocalRun: good.start, workers: 1, log: () => {}, heartbeatMs: 200 }),
    startAgent({ join: controller.grpcTarget, name: "b", startLocalRun: ghostly, workers: 1, log: () => {}, heartbeatMs: 200 }),
  ];
  for (const a of agents) cleanups.push(() => a.stop());
  await waitFor("agents registered", () => controller.registry.all().filter((e) => e.status.state === "idle").length === 2);
  writeFileSync(join(tmp.dir, "plan.yaml"), SIMPLE_PLAN);

  const run = await submitRun(controller.httpUrl!, { planPath: join(tmp.dir, "plan.yaml"), env: {} });
  const progress: ProgressEvent[] = [];
  for await (const e of run.events) if (e.type === "progress") progress.push(e);
  const result = await run.result;
  expect(result).toMatchObject({ status: "finished", exitCode: 0 });
  const summary = result.summary as Summary;
  expect(summary.metrics.find((m) => m.name === "http_reqs")?.values.count).toBe(300);

  const complaints = logs.filter((l) => l.includes("malformed progress"));
  expect(complaints).toEqual([expect.stringContaining('agent b sent a malformed progress (scenario status 1: names no scenario of the plan ("ghost")); ignored')]);
  // Only agent a's progress adds up: its 2 VUs' scenario share, its 6 iterations.
  const last = progress.at(-1)!;
  expect(last.final).toBe(true);
  expect(last.scenarios).toEqual([expect.objectContaining({ name: "main", maxVus: 2, completed: 6 })]);
  expect(summary.scenarios).toEqual([{ name: "main", executor: "shared-iterations", completed: 6, interrupted: 0, dropped: 0, maxVus: 2 }]);
  expect(summary.notes).toContainEqual(expect.stringMatching(/^b: \d+ malformed progress report\(s\) were ignored, so its share is missing from the per-scenario iteration counts/));
}, 30_000);
