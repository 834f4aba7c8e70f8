// k6's threshold semantics for a metric without samples, through the compiled binary:
// `dropped_iterations: ["count<1"]` passes when nothing was dropped (the counter counts 0) and
// fails the run (exit 99) once one iteration was dropped; a trend without samples stays "no data".
// The terminal summary and --summary-json both say which was which.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { requireBinary } from "../helpers/binary.ts";
import { writePlan } from "../helpers/plans.ts";
import { EXIT_THRESHOLDS_FAILED } from "../../src/shared/exit-codes.ts";
import { startDemoServer, type DemoServer } from "../../src/demo/server.ts";

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

/** An open model: `rate` arrivals/s for 2 s on at most `maxVUs` VUs, each request held `delayMs`. */
const plan = (maxVUs: number, delayMs: number) => `
name: drops
baseUrl: \${env.BASE_URL}
scenarios:
  open:
    executor: constant-arrival-rate
    rate: 10
    timeUnit: 1s
    duration: 2s
    preAllocatedVUs: ${maxVUs}
    maxVUs: ${maxVUs}
    flow:
      - request: { url: /delay/${delayMs} }
thresholds:
  dropped_iterations: ["count<1"]
  "iteration_duration{scenario:nope}": ["p(95)<1"]
`;

async function run(yaml: string) {
  const dir = writePlan(yaml);
  try {
    const child = Bun.spawn([requireBinary(), "run", dir.planPath, "--summary-json", dir.path("summary.json")], {
      env: { ...process.env, BASE_URL: demo.url, NO_COLOR: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
    return { code, stdout, json: JSON.parse(readFileSync(dir.path("summary.json"), "utf8")) };
  } finally {
    dir.cleanup();
  }
}

describe("dropped_iterations: count<1", () => {
  test("nothing dropped: the counter counts 0 and the threshold passes (exit 0)", async () => {
    const { code, stdout, json } = await run(plan(10, 10));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+✓ count<1\s+count=0 \(no samples\)$/m);
    expect(json.metrics.dropped_iterations).toEqual({ count: 0, rate: 0, thresholds: { "count<1": { ok: true } } });
    expect(json.dropped_iterations).toBe(0);
    expect(json.thresholds.find((t: { metric: string }) => t.metric === "dropped_iterations")).toMatchObject({ ok: true, observed: 0, no_samples: true, no_data: false });
    // A trend without samples stays "no data", and the export says so.
    expect(stdout).toMatch(/^\s+✓ p\(95\)<1\s+no data \(not evaluated\)$/m);
    expect(json.metrics["iteration_duration{scenario:nope}"]).toEqual({ thresholds: { "p(95)<1": { ok: true, noData: true } } });
  }, 30_000);

  test("one VU for 10 arrivals/s of 500 ms requests: iterations are dropped and the threshold fails (exit 99)", async () => {
    const { code, stdout, json } = await run(plan(1, 500));
    expect(code).toBe(EXIT_THRESHOLDS_FAILED);
    const dropped = json.metrics.dropped_iterations;
    expect(dropped.count).toBeGreaterThanOrEqual(1);
    expect(dropped.thresholds).toEqual({ "count<1": { ok: false } });
    expect(json.thresholds.find((t: { metric: string }) => t.metric === "dropped_iterations")).toMatchObject({ ok: false, observed: dropped.count, no_samples: false });
    expect(stdout).toMatch(new RegExp(`^\\s+✗ count<1\\s+count=${dropped.count}$`, "m"));
    // The scenario's own count agrees with the metric.
    expect(json.scenarios).toEqual([expect.objectContaining({ name: "open", dropped_iterations: dropped.count })]);
  }, 30_000);
});
