// Load models against a counting target, in real time (short runs): the load each executor
// produces is exactly what the plan implies, across worker threads.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startLocalRun } from "../../../src/core/run/local-run.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { demoStats, writePlan } from "../../helpers/plans.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

/** Runs `yaml` on `workers` threads; returns the merged metrics and what the target counted. */
async function runPlan(yaml: string, workers: number) {
  const plan = writePlan(yaml);
  const aggregator = new Aggregator(builtinRegistry());
  const before = (await demoStats(demo.url)).total;
  try {
    const run = startLocalRun({
      source: { text: yaml, file: plan.planPath, baseDir: plan.dir, env: { BASE_URL: demo.url } },
      segment: WHOLE,
      workers,
      onDelta: (delta) => aggregator.merge(delta),
    });
    const outcome = await run.done;
    const seen = (await demoStats(demo.url)).total - before;
    const count = (metric: string) => {
      const value = aggregator.query(metric);
      return value?.type === "counter" ? value.count : 0;
    };
    return { outcome, seen, aggregator, count };
  } finally {
    plan.cleanup();
  }
}

const flow = `
    flow:
      - request: { url: "\${env.BASE_URL}/json" }`;

describe("every executor produces exactly the planned load", () => {
  test("per-vu-iterations and shared-iterations: the same count on 1 and 2 workers", async () => {
    const yaml = `
name: iterations
scenarios:
  per-vu:
    executor: per-vu-iterations
    vus: 7
    iterations: 3${flow}
  shared:
    executor: shared-iterations
    vus: 5
    iterations: 23${flow}
`;
    for (const workers of [1, 2]) {
      const { outcome, seen, count } = await runPlan(yaml, workers);
      expect(outcome.state).toBe("finished");
      expect(count("iterations")).toBe(7 * 3 + 23);
      expect(count("http_reqs")).toBe(44);
      expect(seen).toBe(44);
    }
  });

  test("constant-arrival-rate starts exactly rate × duration iterations", async () => {
    const { seen, count } = await runPlan(
      `
name: arrivals
scenarios:
  open:
    executor: constant-arrival-rate
    rate: 50
    timeUnit: 1s
    duration: 2s
    preAllocatedVUs: 5
    maxVUs: 20${flow}
`,
      2,
    );
    expect(count("iterations")).toBe(100);
    expect(seen).toBe(100);
    expect(count("dropped_iterations")).toBe(0);
  });

  test("a low rate is exact: 2 per second over 2 workers for 3 s", async () => {
    const { count } = await runPlan(
      `
name: low-rate
scenarios:
  trickle:
    executor: constant-arrival-rate
    rate: 2
    timeUnit: 1s
    duration: 3s
    preAllocatedVUs: 1${flow}
`,
      2,
    );
    expect(count("iterations")).toBe(6);
  });

  test("too few VUs for a slow target: the shortfall is counted in dropped_iterations", async () => {
    const { count, seen } = await runPlan(
      `
name: dropped
scenarios:
  slow:
    executor: constant-arrival-rate
    rate: 20
    timeUnit: 1s
    duration: 2s
    preAllocatedVUs: 2
    maxVUs: 2
    flow:
      - request: { url: "\${env.BASE_URL}/delay/1000" }
`,
      1,
    );
    const started = count("iterations");
    expect(started + count("dropped_iterations")).toBe(40);
    expect(count("dropped_iterations")).toBeGreaterThanOrEqual(30);
    expect(seen).toBe(started);
  });

  test("ramping-vus and externally-controlled run and finish on time", async () => {
    const started = performance.now();
    const { outcome, seen, count } = await runPlan(
      `
name: ramps
scenarios:
  ramp:
    executor: ramping-vus
    startVUs: 0
    stages: [{ duration: 1s, target: 4 }, { duration: 1s, target: 0 }]
    flow:
      - request: { url: "\${env.BASE_URL}/json" }
      - sleep: 50ms
  external:
    executor: externally-controlled
    vus: 2
    maxVUs: 4
    duration: 2s
    flow:
      - request: { url: "\${env.BASE_URL}/json" }
      - sleep: 50ms
`,
      2,
    );
    expect(outcome.state).toBe("finished");
    expect(count("http_reqs")).toBe(seen);
    expect(seen).toBeGreaterThan(20);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe("a worker that dies", () => {
  test("ends the run with a failure naming the worker", async () => {
    const yaml = `
name: crash
scenarios:
  long:
    executor: constant-vus
    vus: 2
    duration: 20s
    flow:
      - request: { url: "\${env.BASE_URL}/json" }
      - sleep: 10ms
`;
    const plan = writePlan(yaml);
    try {
      let deltas = 0;
      const run = startLocalRun({
        source: { text: yaml, file: plan.planPath, baseDir: plan.dir, env: { BASE_URL: demo.url } },
        segment: WHOLE,
        workers: 2,
        onDelta: () => deltas++,
      });
      while (run.status().state !== "running") await Bun.sleep(10);
      run.threads[1]!.terminate();
      const outcome = await run.done;
      expect(outcome.state).toBe("failed");
      expect(outcome.error).toContain("worker 2 of 2");
    } finally {
      plan.cleanup();
    }
  });
});
