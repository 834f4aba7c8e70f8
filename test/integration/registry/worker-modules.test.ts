// Extra modules through real worker threads: `startLocalRun({ moduleSpecifiers })` makes every
// worker import the fixture module and merge it over the built-ins before loading the plan; the
// fake step runs there and its module-declared metrics come back in the merged deltas. Also: the
// worker's MetricStore tells the run when a metric has too many series (a `warning` message).
import { describe, expect, test } from "bun:test";
import { fileURLToPath } from "node:url";
import { startLocalRun } from "../../../src/core/run/local-run.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { parseSeriesKey } from "../../../src/metrics/series.ts";
import type { MetricDelta } from "../../../src/metrics/types.ts";

const FIXTURE = fileURLToPath(new URL("../../fixtures/modules/fake-protocol.ts", import.meta.url));

/** Runs `yaml` with the fixture module; returns the outcome and every delta the run delivered. */
async function run(yaml: string, workers: number, moduleSpecifiers = [FIXTURE]) {
  const deltas: MetricDelta[] = [];
  const local = startLocalRun({
    source: { text: yaml, file: "fake-plan.yaml", baseDir: "/", env: {} },
    segment: WHOLE,
    workers,
    moduleSpecifiers,
    onDelta: (delta) => deltas.push(delta),
  });
  const outcome = await local.done;
  /** Sum of `metric`'s counter series, by the value of `tag`. */
  const counterBy = (metric: string, tag: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const delta of deltas) {
      for (const [key, n] of Object.entries(delta.counters)) {
        const { name, tags } = parseSeriesKey(key);
        if (name === metric) out[tags[tag] ?? ""] = (out[tags[tag] ?? ""] ?? 0) + n;
      }
    }
    return out;
  };
  /** Passes and fails of `metric`'s rate series, by the value of `tag`. */
  const rateBy = (metric: string, tag: string): Record<string, [number, number]> => {
    const out: Record<string, [number, number]> = {};
    for (const delta of deltas) {
      for (const [key, [passes, fails]] of Object.entries(delta.rates)) {
        const { name, tags } = parseSeriesKey(key);
        if (name !== metric) continue;
        const seen = (out[tags[tag] ?? ""] ??= [0, 0]);
        seen[0] += passes;
        seen[1] += fails;
      }
    }
    return out;
  };
  return { outcome, deltas, counterBy, rateBy };
}

const plan = (iterations: number, vus: number, step: string) => `
scenarios:
  s:
    executor: shared-iterations
    vus: ${vus}
    iterations: ${iterations}
    maxDuration: 20s
    flow:
      - ${step}
thresholds:
  fake_latency: ["p(95)<1000"]
`;

describe("modules given as specifiers, in real worker threads", () => {
  test("two workers each run their share of the fake step; the merged deltas hold exactly the iterations", async () => {
    const { outcome, counterBy, deltas } = await run(plan(20, 4, "fake: { ms: 5 }"), 2);
    expect(outcome).toMatchObject({ state: "finished" });
    const byWorker = counterBy("fake_ops", "worker");
    expect(Object.keys(byWorker)).toHaveLength(2);
    expect(Object.values(byWorker).reduce((a, b) => a + b, 0)).toBe(20);
    expect(Object.values(byWorker)).toEqual([10, 10]);
    expect(counterBy("iterations", "scenario")).toEqual({ s: 20 });
    expect(deltas.some((d) => Object.keys(d.trends).some((key) => parseSeriesKey(key).name === "fake_latency"))).toBe(true);
  }, 30_000);

  test("the module's own check kind is evaluated in the workers and its results merge into `checks`", async () => {
    const step = "fake: { ms: 1, code: 3, checks: [{ fakeCode: 3 }, { fakeCode: 4, name: wrong code }, { status: 200 }] }";
    const { outcome, rateBy } = await run(plan(12, 4, step), 2);
    expect(outcome).toMatchObject({ state: "finished" });
    expect(rateBy("checks", "check")).toEqual({ "fake code is 3": [12, 0], "wrong code": [0, 12], "status is 200": [12, 0] });
  }, 30_000);

  test("without the specifier the worker cannot load the plan, and the run says why", async () => {
    const { outcome } = await run(plan(2, 1, "fake: { ms: 1 }"), 1, []);
    expect(outcome.state).toBe("failed");
    expect(outcome.error).toContain('unknown step "fake"');
  }, 30_000);

  test("a specifier that is not a module fails the run with its name, in words", async () => {
    const { outcome } = await run(plan(2, 1, "sleep: 1ms"), 1, ["/no/such/module.ts"]);
    expect(outcome.state).toBe("failed");
    expect(outcome.error).toContain("worker 1 of 1 failed: cannot import module /no/such/module.ts");
    expect(outcome.error).toContain("(check that the file exists and is an ES module (.ts or .js))");
    expect(outcome.error).not.toContain("    at ");
    const relative = await run(plan(2, 1, "sleep: 1ms"), 1, ["fixtures/fake.ts"]);
    expect(relative.outcome.error).toContain("module fixtures/fake.ts: not an absolute path or a file: URL");
  }, 30_000);

  test("a metric past the series limit reaches the run's warnings from the worker", async () => {
    // 1,100 distinct `name` tags (a URL with ids in it, in effect) on one worker: past 1,000 series.
    const { outcome, counterBy } = await run(plan(1100, 10, 'fake: { ms: 0, name: "op-${vu}-${iteration}" }'), 1);
    expect(outcome.state).toBe("finished");
    expect(Object.keys(counterBy("fake_ops", "name"))).toHaveLength(1100);
    const warnings = outcome.notes.filter((n) => n.includes("series"));
    expect(warnings).toEqual([
      expect.stringContaining('metric "fake_latency" has more than 1000 series'),
      expect.stringContaining('metric "fake_ops" has more than 1000 series'),
    ]);
  }, 30_000);
});
