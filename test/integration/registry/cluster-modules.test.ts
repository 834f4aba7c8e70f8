// Extra modules through a local cluster: the controller validates the plan with them and each
// agent's worker threads import them, so a plan with the fixture's `fake` step runs on two agents
// and the controller's summary counts its module-declared metric exactly.
import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUILTINS } from "../../../src/builtins.ts";
import { submitRun } from "../../../src/cluster/client.ts";
import { startLocalCluster } from "../../../src/cluster/local-cluster.ts";
import type { Summary } from "../../../src/core/run/summary.ts";
import { renderSummaryText } from "../../../src/outputs/summary-text.ts";
import { mergeModules } from "../../../src/plugin-api/merge.ts";
import { modules as fakeModules } from "../../fixtures/modules/fake-protocol.ts";
import { tempDir } from "../cluster/helpers.ts";

const FIXTURE = fileURLToPath(new URL("../../fixtures/modules/fake-protocol.ts", import.meta.url));
const tmp = tempDir();
afterAll(() => tmp.cleanup());

test("controller + 2 agents run a plan whose step comes from an extra module", async () => {
  const cluster = await startLocalCluster(2, { workersPerAgent: 1, moduleSpecifiers: [FIXTURE] });
  try {
    writeFileSync(
      join(tmp.dir, "plan.yaml"),
      `name: fake-cluster
scenarios:
  main:
    executor: shared-iterations
    vus: 4
    iterations: 40
    maxDuration: 20s
    flow:
      - fake: { ms: 2 }
thresholds:
  fake_latency: ["p(95)<5000"]
cluster:
  agents: 2
  wait: 10s
`,
    );
    const run = await submitRun(cluster.controllerUrl, {
      planPath: join(tmp.dir, "plan.yaml"),
      env: {},
      modules: mergeModules(BUILTINS, fakeModules),
    });
    const result = await run.result;
    expect({ status: result.status, error: result.error, exitCode: result.exitCode }).toEqual({ status: "finished", error: undefined, exitCode: 0 });
    const summary = result.summary as Summary;
    expect(summary.metrics.find((m) => m.name === "fake_ops")!.values.count).toBe(40);
    const latency = summary.metrics.find((m) => m.name === "fake_latency")!;
    expect(latency).toMatchObject({ type: "trend", contains: "time" });
    expect(latency.values.count).toBe(40);
    // Each step waits 2 ms: the merged p(95) is in ms (not µs, not unitless) and the threshold on
    // the module-declared metric was evaluated against it.
    expect(latency.values["p(95)"]).toBeGreaterThanOrEqual(2);
    expect(latency.thresholds).toMatchObject([{ expression: "p(95)<5000", aggregation: "p(95)", ok: true, noData: false }]);
    expect(latency.thresholds[0]!.observed).toBe(latency.values["p(95)"]!);
    expect(renderSummaryText(summary, { color: false })).toMatch(/fake_latency[.\s]*:.*avg=[\d.]+ms/);
    expect((summary.fleet as { agents: unknown[] }).agents).toHaveLength(2);
  } finally {
    await cluster.stop();
  }
}, 60_000);
