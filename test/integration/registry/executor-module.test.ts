// A new executor end to end with real parts: the do-nothing executor of
// test/fixtures/modules/noop-executor.ts, loaded by specifier in real worker threads (merged over
// the built-ins), runs its `runs` iterations exactly once across the workers; without the
// specifier the plan does not load, and the run says which executor is unknown.
import { describe, expect, test } from "bun:test";
import { fileURLToPath } from "node:url";
import { startLocalRun } from "../../../src/core/run/local-run.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { parseSeriesKey } from "../../../src/metrics/series.ts";
import type { MetricDelta } from "../../../src/metrics/types.ts";

const NOOP = fileURLToPath(new URL("../../fixtures/modules/noop-executor.ts", import.meta.url));

const PLAN = `
scenarios:
  quiet:
    executor: noop
    runs: 5
    flow:
      - sleep: 1ms
`;

async function run(moduleSpecifiers: string[]) {
  const deltas: MetricDelta[] = [];
  const local = startLocalRun({
    source: { text: PLAN, file: "noop-plan.yaml", baseDir: "/", env: {} },
    segment: WHOLE,
    workers: 2,
    moduleSpecifiers,
    onDelta: (delta) => deltas.push(delta),
  });
  const outcome = await local.done;
  let iterations = 0;
  for (const delta of deltas) {
    for (const [key, n] of Object.entries(delta.counters)) if (parseSeriesKey(key).name === "iterations") iterations += n;
  }
  return { outcome, iterations };
}

describe("an executor given as a module specifier, in real worker threads", () => {
  test("two workers run its 5 iterations once, in total", async () => {
    const { outcome, iterations } = await run([NOOP]);
    expect(outcome).toMatchObject({ state: "finished" });
    expect(iterations).toBe(5);
  }, 30_000);

  test("without the specifier the plan names the unknown executor", async () => {
    const { outcome } = await run([]);
    expect(outcome.state).toBe("failed");
    expect(outcome.error).toContain('unknown executor "noop"');
  }, 30_000);
});
