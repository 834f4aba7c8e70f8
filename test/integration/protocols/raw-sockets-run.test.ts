// `loadr run` in-process (real worker threads) with the tcp and udp steps of
// ../shared/reference/protocols.yaml against the real demo target: every check passes and the
// summary's tcp_reqs / udp_reqs equal the demo's `/_stats` byProtocol counts. A TCP peer that
// never answers and a UDP datagram never answered each end as one counted, tagged failure, and
// the run ends on time.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { demoStats, writePlan } from "../../helpers/plans.ts";
import { rawTcpServer, rawUdpServer } from "../../helpers/raw-servers.ts";

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

const address = (name: string) => demo.endpoints.find((e) => e.name === name)!.address;

async function run(yaml: string, env: Record<string, string>) {
  const plan = writePlan(yaml);
  const { io, stdout } = memoryIO({ BASE_URL: demo.url, ...env });
  try {
    const code = await runLocal(
      { planPath: plan.planPath, env: io.env, workers: 2, segment: WHOLE, summaryJson: plan.path("summary.json"), quiet: true, color: false },
      io,
    );
    return { code, summary: JSON.parse(readFileSync(plan.path("summary.json"), "utf8")), stdout: stdout() };
  } finally {
    plan.cleanup();
  }
}

const RAW = `
name: raw
scenarios:
  raw:
    executor: per-vu-iterations
    vus: 2
    iterations: 3
    flow:
      - tcp:
          name: line
          target: \${env.TCP_TARGET}
          send: "PING \${vu}\\n"
          expect:
            until: "\\n"
            contains: "PING \${vu}"
            timeout: 1s
      - udp:
          name: dgram
          target: \${env.UDP_TARGET}
          send: "ping \${iteration}"
          expect:
            contains: "ping \${iteration}"
            timeout: 1s
`;

describe("tcp and udp steps against loadr demo", () => {
  test("every check passes; tcp_reqs and udp_reqs equal the demo's byProtocol counts", async () => {
    const before = (await demoStats(demo.url)).byProtocol;
    const { code, summary } = await run(RAW, { TCP_TARGET: address("tcp"), UDP_TARGET: address("udp") });
    const after = (await demoStats(demo.url)).byProtocol;
    expect(code).toBe(0);
    expect(summary.metrics.checks.fails).toBe(0);
    expect(summary.metrics.checks.passes).toBe(12);
    expect(summary.metrics.tcp_reqs.count).toBe(6);
    expect(summary.metrics.udp_reqs.count).toBe(6);
    expect((after.tcp ?? 0) - (before.tcp ?? 0)).toBe(summary.metrics.tcp_reqs.count);
    expect((after.udp ?? 0) - (before.udp ?? 0)).toBe(summary.metrics.udp_reqs.count);
    expect(summary.metrics.tcp_failed.passes).toBe(0);
    expect(summary.metrics.udp_timeouts?.count ?? 0).toBe(0);
    expect(summary.metrics.data_sent.count).toBeGreaterThan(0);
  });

  test("a TCP peer that never answers and an unanswered datagram are each one counted failure, and the run ends on time", async () => {
    const silentTcp = await rawTcpServer(() => undefined);
    const silentUdp = await rawUdpServer(() => undefined);
    try {
      const started = performance.now();
      const { summary } = await run(
        RAW.replace(/vus: 2\n    iterations: 3/, "vus: 1\n    iterations: 1").replace(/timeout: 1s/g, "timeout: 300ms"),
        { TCP_TARGET: silentTcp.target, UDP_TARGET: silentUdp.target },
      );
      const elapsed = performance.now() - started;
      expect(summary.metrics.tcp_reqs.count).toBe(1);
      expect(summary.metrics.tcp_failed.passes).toBe(1);
      expect(summary.metrics.udp_reqs.count).toBe(1);
      expect(summary.metrics.udp_timeouts.count).toBe(1);
      expect(summary.metrics.checks.fails).toBe(2);
      expect(silentTcp.lines).toBe(1);
      expect(silentUdp.datagrams).toBe(1);
      // Two 300 ms waits plus start-up: far from any default timeout (10 s tcp, 5 s udp).
      expect(elapsed).toBeLessThan(8_000);
    } finally {
      await Promise.all([silentTcp.stop(), silentUdp.stop()]);
    }
  });
});
