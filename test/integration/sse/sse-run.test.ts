// `sse` steps in real worker threads against real servers: the example plan (the reference shape
// of ../shared/reference/protocols.yaml plus extraction and a read until a timeout) against the
// demo's /events, where every check passes and sse_sessions equals the demo's `byProtocol.sse`;
// and the failure cases, each one counted failed stream tagged with its error, the run ending
// without waiting out a long timeout.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { closedPort, silentServer, type TestServer } from "../../helpers/bad-servers.ts";
import { demoStats } from "../../helpers/plans.ts";
import { runPlanDeltas } from "../../helpers/run-deltas.ts";

const EXAMPLE = readFileSync(new URL("../../../examples/protocols/sse.yaml", import.meta.url), "utf8");

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0, listeners: {} });
});
afterAll(async () => {
  await demo.stop();
});

/** One VU, one stream of `url` until 3 events within `timeout` (the run's maxDuration is 10 s). */
const onePlan = (url: string, timeout = "20s") => `
scenarios:
  s:
    executor: per-vu-iterations
    vus: 1
    iterations: 1
    maxDuration: 10s
    flow:
      - sse:
          name: target
          url: "${url}"
          until: { events: 3, timeout: ${timeout} }
          checks: [{ event: tick, count: 3 }]
`;

describe("sse steps in worker threads", () => {
  test("the example plan against the demo: every check passes, sse_sessions equals the demo's byProtocol.sse", async () => {
    const before = (await demoStats(demo.url)).byProtocol.sse ?? 0;
    const run = await runPlanDeltas(EXAMPLE, { BASE_URL: demo.url });
    expect(run.outcome.state).toBe("finished");
    const seen = ((await demoStats(demo.url)).byProtocol.sse ?? 0) - before;
    expect(run.counter("sse_sessions")).toBe(2);
    expect(seen).toBe(2);
    expect(run.rateBy("sse_session_failed", "name")).toEqual({ ticks: [0, 1], "until-timeout": [0, 1] });
    expect(run.counterBy("sse_events", "name").ticks).toBe(3);
    expect(run.counterBy("sse_events", "name")["until-timeout"]).toBeGreaterThan(0);
    expect(run.rateBy("checks", "check")).toEqual({ "3 tick events": [1, 0], "$.n exists": [1, 0], "event tick arrived": [1, 0] });
    for (const trend of ["sse_connecting", "sse_time_to_first_event"]) expect(run.hasTrend(trend)).toBe(true);
    expect(run.counter("data_received")).toBeGreaterThan(0);
  }, 30_000);

  describe("failures: one counted stream tagged with its error, and the run ends on time", () => {
    const servers: TestServer[] = [];
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()));
    });

    async function fails(url: string, code: string, timeout?: string) {
      const run = await runPlanDeltas(onePlan(url, timeout), {}, 1);
      expect(run.outcome.state).toBe("finished");
      expect(run.counterBy("sse_sessions", "error")).toEqual({ [code]: 1 });
      expect(run.rateBy("sse_session_failed", "error")).toEqual({ [code]: [1, 0] });
      expect(run.rateBy("checks", "check")).toEqual({ "3 tick events": [0, 1] });
      expect(run.counterBy("iterations", "scenario")).toEqual({ s: 1 });
      return run;
    }

    test("a stream that ends before the events asked for", async () => {
      const run = await fails(`${demo.url}/events?count=2&interval=10`, "closed");
      expect(run.counter("sse_events")).toBe(2);
    }, 30_000);

    test("a refused connection", async () => {
      await fails(`http://127.0.0.1:${await closedPort()}/events`, "connect");
    }, 30_000);

    test("a peer that never answers, at the until timeout", async () => {
      const silent = await silentServer();
      servers.push(silent);
      await fails(`${silent.url}/events`, "timeout", "500ms");
    }, 30_000);

    test("an endpoint that is not an event stream", async () => {
      await fails(`${demo.url}/json`, "malformed");
    }, 30_000);
  });
});
