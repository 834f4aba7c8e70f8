// `loadr run` in-process against the real demo target: what the summary reports must equal what
// the target saw, checks and extraction behave as the plan says, and failures are counted.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { closeMidResponseServer, silentServer } from "../../helpers/bad-servers.ts";
import { demoStats, writePlan } from "../../helpers/plans.ts";

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

async function run(yaml: string, options: { workers?: number; files?: Record<string, string> } = {}) {
  const plan = writePlan(yaml, options.files);
  const { io, stdout, stderr } = memoryIO({ BASE_URL: demo.url });
  try {
    const code = await runLocal(
      {
        planPath: plan.planPath,
        env: io.env,
        workers: options.workers ?? 2,
        segment: WHOLE,
        summaryJson: plan.path("summary.json"),
        quiet: true,
        color: false,
      },
      io,
    );
    const summary = JSON.parse(readFileSync(plan.path("summary.json"), "utf8"));
    return { code, summary, stdout: stdout(), stderr: stderr() };
  } finally {
    plan.cleanup();
  }
}

describe("loadr run against the demo target", () => {
  test("http_reqs equals the target's own count; the login flow's checks pass; a wrong JSONPath fails", async () => {
    const before = (await demoStats(demo.url)).total;
    const { code, summary, stdout } = await run(
      `
name: login-flow
baseUrl: \${env.BASE_URL}
data:
  users: { csv: users.csv, mode: unique }
scenarios:
  browse:
    executor: constant-vus
    vus: 20
    duration: 2s
    flow:
      - request:
          name: login
          method: POST
          url: /login
          json: { user: "\${data.users.name}", password: "\${data.users.password}" }
          checks: [{ status: 200 }]
      - request:
          name: me-by-cookie
          url: /me
          checks:
            - status: 200
            - json: "$.user"
              equals: "\${data.users.name}"
            - name: wrong path
              json: "$.nobody.here"
      - sleep: 20ms
thresholds:
  http_req_failed: ["rate<0.01"]
`,
      { files: { "users.csv": "name,password\nann,a1\nbob,b2\ncid,c3\n" } },
    );
    const seen = (await demoStats(demo.url)).total - before;
    expect(summary.metrics.http_reqs.count).toBe(seen);
    expect(seen).toBeGreaterThan(40);
    const checks = summary.root_group.checks;
    expect(checks["status is 200"].fails).toBe(0);
    expect(checks["status is 200"].passes).toBe(seen);
    expect(checks["wrong path"].passes).toBe(0);
    expect(checks["wrong path"].fails).toBe(seen / 2);
    expect(summary.metrics.checks.fails).toBe(seen / 2);
    expect(code).toBe(0);
    expect(stdout).toContain("http_reqs");
  });

  test("a crossed threshold exits 99 and is marked failed", async () => {
    const { code, summary } = await run(`
name: slow
baseUrl: \${env.BASE_URL}
scenarios:
  s:
    executor: per-vu-iterations
    vus: 2
    iterations: 3
    flow:
      - request: { url: /delay/30 }
thresholds:
  http_req_duration: ["p(95)<5"]
`);
    expect(code).toBe(99);
    expect(summary.metrics.http_reqs.count).toBe(6);
    expect(summary.metrics.http_req_duration.thresholds["p(95)<5"].ok).toBe(false);
  });
});

describe("failures are counted, tagged and finish on time", () => {
  test("refused, closed mid-response and silent servers", async () => {
    const closing = await closeMidResponseServer();
    const silent = await silentServer();
    const refusedPort = await (async () => {
      const s = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
      const port = s.port;
      s.stop(true);
      return port;
    })();
    try {
      const started = performance.now();
      const { summary, stdout } = await run(`
name: failures
scenarios:
  s:
    executor: per-vu-iterations
    vus: 1
    iterations: 2
    flow:
      - request: { name: refused, url: "http://127.0.0.1:${refusedPort}/" }
      - request: { name: cut, url: "${closing.url}/" }
      - request: { name: stalled, url: "${silent.url}/", timeout: 500ms }
`);
      const elapsed = performance.now() - started;
      expect(summary.metrics.http_reqs.count).toBe(6);
      expect(summary.metrics.http_req_failed.passes).toBe(6); // k6: a "pass" of http_req_failed is a failed request
      expect(elapsed).toBeLessThan(15_000);
      expect(stdout).toMatch(/ECONNREFUSED|refused/i);
    } finally {
      await closing.stop();
      await silent.stop();
    }
  });
});
