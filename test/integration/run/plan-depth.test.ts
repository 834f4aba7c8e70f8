// The nesting-depth limit is one limit: the deepest plan `validate` accepts
// (test/unit/config/bounds.test.ts) really loads and runs in a worker thread.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startLocalRun } from "../../../src/core/run/local-run.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";
import { deepestPlan } from "../../helpers/nested-plan.ts";
import { demoStats, writePlan } from "../../helpers/plans.ts";

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

test("the most deeply nested plan the loader accepts runs in a worker: its request reaches the target", async () => {
  const { groups, text } = deepestPlan(demo.url);
  expect(groups).toBeGreaterThan(30);
  const plan = writePlan(text);
  const aggregator = new Aggregator(builtinRegistry());
  const before = (await demoStats(demo.url)).total;
  try {
    const run = startLocalRun({ source: { text, file: plan.planPath, baseDir: plan.dir, env: {} }, segment: WHOLE, workers: 1, onDelta: (d) => aggregator.merge(d) });
    const outcome = await run.done;
    expect(outcome).toMatchObject({ state: "finished" });
    expect((await demoStats(demo.url)).total - before).toBe(1);
    const reqs = aggregator.query("http_reqs");
    expect(reqs?.type === "counter" ? reqs.count : 0).toBe(1);
    // Every group around the request recorded its duration: the deepest one too.
    const deepest = aggregator.seriesOf("group_duration").map((s) => s.tags.group ?? "").sort((a, b) => b.length - a.length)[0] ?? "";
    expect(deepest.split("::").filter(Boolean)).toHaveLength(groups);
  } finally {
    plan.cleanup();
  }
});
