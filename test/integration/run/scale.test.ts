// Scaling an externally-controlled scenario on real worker threads: `LocalRun.scale(vus)` takes
// the scenario-wide count, and the workers of every process take exactly one share of it, so two
// workers scaled to 10 run 10 VUs, and two processes (a cluster's agents) given the same 10 do too.
import { describe, expect, test } from "bun:test";
import { startLocalRun, type PooledLocalRun } from "../../../src/core/run/local-run.ts";
import { WHOLE, partition, type Segment } from "../../../src/core/segment.ts";
import { writePlan } from "../../helpers/plans.ts";
import { waitFor } from "../../helpers/bad-servers.ts";

const PLAN = `
name: scale
scenarios:
  external:
    executor: externally-controlled
    vus: 2
    maxVUs: 12
    duration: 30s
    flow:
      - sleep: 50ms
`;

/** Workers report their VUs about once a second; allow a few reports. */
const REPORT_WAIT_MS = 8_000;

async function withRuns(segments: Segment[], body: (runs: PooledLocalRun[], active: () => number) => Promise<void>): Promise<void> {
  const plan = writePlan(PLAN);
  const runs = segments.map((segment) =>
    startLocalRun({
      source: { text: PLAN, file: plan.planPath, baseDir: plan.dir, env: {} },
      segment,
      workers: 2,
      onDelta: () => {},
    }),
  );
  const active = () => runs.reduce((sum, run) => sum + run.status().activeVus, 0);
  try {
    await waitFor(() => runs.every((run) => run.status().state === "running") && active() === 2, REPORT_WAIT_MS);
    await body(runs, active);
  } finally {
    for (const run of runs) run.stop("now");
    const outcomes = await Promise.all(runs.map((run) => run.done));
    plan.cleanup();
    for (const outcome of outcomes) expect(outcome.error).toBeUndefined();
  }
}

describe("LocalRun.scale takes the scenario-wide count", () => {
  test("2 workers scaled to 10 run 10 VUs in total, not 5", async () => {
    await withRuns([WHOLE], async ([run], active) => {
      run!.scale("external", 10);
      await waitFor(() => active() === 10, REPORT_WAIT_MS);
      run!.scale("external", 3);
      await waitFor(() => active() === 3, REPORT_WAIT_MS);
    });
  }, 30_000);

  test("2 processes of 2 workers, each given the same 10, run 10 VUs in total", async () => {
    await withRuns([partition(0, 2), partition(1, 2)], async (runs, active) => {
      for (const run of runs) run.scale("external", 10);
      await waitFor(() => active() === 10, REPORT_WAIT_MS);
      expect(runs.map((run) => run.status().activeVus)).toEqual([5, 5]);
    });
  }, 30_000);
});
