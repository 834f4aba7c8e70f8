// Per-request and per-group tags on a real run: samples carry them, and threshold filters on them
// are evaluated (a filter that matches nothing has no data) — the demo target counts what it saw.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { demoStats, writePlan } from "../../helpers/plans.ts";

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

test("http_req_duration{kind:search} is evaluated from the tagged requests; {kind:other} has no data", async () => {
  const plan = writePlan(`
baseUrl: \${env.BASE_URL}
scenarios:
  s:
    executor: shared-iterations
    vus: 2
    iterations: 6
    flow:
      - request: { name: search, url: /json, tags: { kind: search } }
      - group: account
        tags: { area: account }
        steps:
          - request: { url: /me, checks: [{ status: 401 }] }
thresholds:
  "http_req_duration{kind:search}": ["p(95)<5000"]
  "http_req_duration{kind:other}": ["p(95)<5000"]
  "http_reqs{area:account}": ["count==6"]
  "checks{area:account}": ["rate==1"]
`);
  const { io, stdout } = memoryIO({ BASE_URL: demo.url });
  const before = await demoStats(demo.url);
  try {
    const code = await runLocal({ planPath: plan.planPath, env: io.env, workers: 1, segment: WHOLE, summaryJson: plan.path("s.json"), quiet: true, color: false }, io);
    const after = await demoStats(demo.url);
    const summary = JSON.parse(readFileSync(plan.path("s.json"), "utf8"));
    expect(code).toBe(0);
    expect((after.byPath["/json"] ?? 0) - (before.byPath["/json"] ?? 0)).toBe(6);
    expect(summary.metrics["http_req_duration{kind:search}"].thresholds).toEqual({ "p(95)<5000": { ok: true } });
    expect(summary.metrics["http_req_duration{kind:search}"]["p(95)"]).toBeGreaterThan(0);
    expect(summary.metrics["http_reqs{area:account}"].count).toBe(6);
    expect(summary.metrics["checks{area:account}"].passes).toBe(6);
    const other = summary.thresholds.find((t: { metric: string }) => t.metric === "http_req_duration{kind:other}");
    expect(other).toMatchObject({ no_data: true, observed: null });
    expect(stdout()).toContain("{ kind:search }");
  } finally {
    plan.cleanup();
  }
});
