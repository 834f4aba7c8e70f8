// `loadr run` in-process (real worker threads) with examples/protocols/h2.yaml (the `h2`
// scenario of ../shared/reference/protocols.yaml) against the demo's h2c listener, through a
// TCP proxy that counts connections: every check passes, N VUs open N connections, every
// request is tagged proto HTTP/2.0, and http_reqs equals the demo's byProtocol.h2 count.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { demoStats, writePlan } from "../../helpers/plans.ts";
import { tcpProxy, type TcpProxy } from "../../helpers/tcp-proxy.ts";

const EXAMPLE = readFileSync(join(import.meta.dir, "../../../examples/protocols/h2.yaml"), "utf8");

let demo: DemoServer;
let proxy: TcpProxy;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0, listenerPorts: { h2: 0 } });
  const h2 = demo.endpoints.find((e) => e.name === "h2")!;
  proxy = await tcpProxy(Number(new URL(h2.address).port));
});
afterAll(async () => {
  await proxy.close();
  await demo.stop();
});

async function run(yaml: string, env: Record<string, string>) {
  const plan = writePlan(yaml);
  const { io } = memoryIO({ BASE_URL: demo.url, ...env });
  try {
    const code = await runLocal(
      { planPath: plan.planPath, env: io.env, workers: 2, segment: WHOLE, summaryJson: plan.path("summary.json"), quiet: true, color: false },
      io,
    );
    return { code, summary: JSON.parse(readFileSync(plan.path("summary.json"), "utf8")) };
  } finally {
    plan.cleanup();
  }
}

describe("request steps over HTTP/2 against loadr demo", () => {
  test("every check passes, one connection per VU, every request tagged HTTP/2.0 and counted by the demo", async () => {
    const before = (await demoStats(demo.url)).byProtocol.h2 ?? 0;
    const connectionsBefore = proxy.connections;
    const { code, summary } = await run(EXAMPLE, { H2_URL: `http://127.0.0.1:${proxy.port}` });
    const after = (await demoStats(demo.url)).byProtocol.h2 ?? 0;
    expect(code).toBe(0);
    expect(summary.metrics.checks.fails).toBe(0);
    expect(summary.metrics.checks.passes).toBe(10);
    expect(summary.metrics.http_reqs.count).toBe(10);
    expect(summary.metrics["http_reqs{proto:HTTP/2.0}"].count).toBe(10);
    expect(summary.metrics.http_req_failed.passes).toBe(0);
    expect(after - before).toBe(10);
    expect(proxy.connections - connectionsBefore).toBe(2);
  });

  test("`defaults: { http: { version } }` applies to every request; the demo serves / over h2 too", async () => {
    const yaml = `
name: h2-defaults
defaults:
  http: { version: "2" }
thresholds:
  "http_reqs{proto:HTTP/2.0}": ["count==3"]
scenarios:
  s:
    executor: per-vu-iterations
    vus: 1
    iterations: 3
    flow:
      - request:
          url: \${env.H2_URL}/
          checks:
            - status: 200
            - body: { contains: "loadr demo target" }
`;
    const before = (await demoStats(demo.url)).byProtocol.h2 ?? 0;
    const { code, summary } = await run(yaml, { H2_URL: `http://127.0.0.1:${proxy.port}` });
    expect(code).toBe(0);
    expect(summary.metrics.checks.fails).toBe(0);
    expect(summary.metrics["http_reqs{proto:HTTP/2.0}"].count).toBe(3);
    expect(((await demoStats(demo.url)).byProtocol.h2 ?? 0) - before).toBe(3);
  });

  test("a scenario's `http: { version }` applies to its requests only, and a request's own wins", async () => {
    const yaml = `
name: h2-per-scenario
scenarios:
  over-h2:
    executor: per-vu-iterations
    vus: 1
    iterations: 2
    http: { version: "2" }
    flow:
      - request: { url: "\${env.H2_URL}/json", checks: [{ status: 200 }] }
      - request: { url: "\${env.BASE_URL}/json", http: { version: "1.1" }, checks: [{ status: 200 }] }
  over-h1:
    executor: per-vu-iterations
    vus: 1
    iterations: 2
    flow:
      - request: { url: "\${env.BASE_URL}/json", checks: [{ status: 200 }] }
`;
    const before = (await demoStats(demo.url)).byProtocol;
    const { code, summary } = await run(yaml, { H2_URL: `http://127.0.0.1:${proxy.port}` });
    const after = (await demoStats(demo.url)).byProtocol;
    expect(code).toBe(0);
    expect(summary.metrics.checks.fails).toBe(0);
    expect(summary.metrics.http_reqs.count).toBe(6);
    expect((after.h2 ?? 0) - (before.h2 ?? 0)).toBe(2);
    expect((after.http ?? 0) - (before.http ?? 0)).toBe(4);
  });
});

