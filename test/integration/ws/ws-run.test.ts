// `ws` steps in real worker threads against real servers: the example plan (the reference shapes
// of ../shared/reference/protocols.yaml plus extraction) against the demo's /ws echo, where every
// check passes and ws_msgs_sent equals the demo's own `byProtocol.ws`; and the failure cases, each
// one counted failed session tagged with its error, the run ending without waiting out timeouts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { closedPort, silentServer, type TestServer } from "../../helpers/bad-servers.ts";
import { helloThenDropServer, malformedFrameServer } from "../../helpers/bad-ws-servers.ts";
import { demoStats } from "../../helpers/plans.ts";
import { runPlanDeltas } from "../../helpers/run-deltas.ts";

const EXAMPLE = readFileSync(new URL("../../../examples/protocols/ws.yaml", import.meta.url), "utf8");

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0, listeners: {} });
});
afterAll(async () => {
  await demo.stop();
});

/** One VU, one iteration of `session` against `url`; every wait is 20 s, far past the run's end. */
const onePlan = (url: string, session: string, extra = "") => `
scenarios:
  s:
    executor: per-vu-iterations
    vus: 1
    iterations: 1
    maxDuration: 10s
    flow:
      - ws:
          name: target
          url: ${url}
          timeout: 20s
          connectTimeout: 2s
          session:
${session}
${extra}
`;

const ECHO_SESSION = `
            - send: '{"a":1}'
            - send: '{"b":2}'
            - expect: { json: "$.a", equals: "1" }
            - receive: { count: 1 }
            - expect: { body: { contains: never } }`;

describe("ws steps in worker threads", () => {
  test("the example plan against the demo: every check passes, ws_msgs_sent equals the demo's byProtocol.ws", async () => {
    const before = (await demoStats(demo.url)).byProtocol.ws ?? 0;
    const run = await runPlanDeltas(EXAMPLE, { BASE_URL: demo.url });
    expect(run.outcome.state).toBe("finished");
    const seen = ((await demoStats(demo.url)).byProtocol.ws ?? 0) - before;
    // 2 VUs × 2 iterations × (2 messages sent in the echo session + 2 in the extract session).
    expect(run.counter("ws_msgs_sent")).toBe(16);
    expect(seen).toBe(16);
    expect(run.counter("ws_msgs_received")).toBe(16);
    expect(run.counterBy("ws_sessions", "name")).toEqual({ echo: 4, extract: 4 });
    expect(run.rateBy("ws_session_failed", "name")).toEqual({ echo: [0, 4], extract: [0, 4] });
    const checks = run.rateBy("checks", "check");
    expect(Object.values(checks).every(([, fails]) => fails === 0)).toBe(true);
    expect(Object.values(checks).reduce((sum, [passes]) => sum + passes, 0)).toBe(16);
    for (const trend of ["ws_connecting", "ws_session_duration", "ws_ping"]) expect(run.hasTrend(trend)).toBe(true);
    expect(run.counter("data_sent")).toBeGreaterThan(0);
  }, 30_000);

  test("an expect that no message passes fails its check; the session goes on and succeeds", async () => {
    const url = `${demo.url.replace("http", "ws")}/ws`;
    const run = await runPlanDeltas(onePlan(url, ECHO_SESSION.replace("expect: { body: { contains: never } }", "expect: { body: { contains: never }, timeout: 200ms }")), {}, 1);
    expect(run.outcome.state).toBe("finished");
    expect(run.rateBy("checks", "check")).toEqual({ "$.a equals 1": [1, 0], 'body contains "never"': [0, 1] });
    expect(run.rateBy("ws_session_failed", "error")).toEqual({ "": [0, 1] });
  }, 30_000);

  describe("failures: one counted session tagged with its error, and the run ends on time", () => {
    const servers: TestServer[] = [];
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.stop()));
    });
    const serve = async (make: () => Promise<TestServer>) => {
      const server = await make();
      servers.push(server);
      return `ws://127.0.0.1:${server.port}/`;
    };

    /** Runs ECHO_SESSION against `url`; the run must not wait for any 20 s timeout (maxDuration is 10 s). */
    async function fails(url: string, code: string) {
      const run = await runPlanDeltas(onePlan(url, ECHO_SESSION, "          checks: [{ status: 101 }]"), {}, 1);
      expect(run.outcome.state).toBe("finished");
      // Exactly one session, failed, tagged with the code; not one cut off at maxDuration (aborted).
      expect(run.counterBy("ws_sessions", "error")).toEqual({ [code]: 1 });
      expect(run.rateBy("ws_session_failed", "error")).toEqual({ [code]: [1, 0] });
      expect(run.counterBy("iterations", "scenario")).toEqual({ s: 1 });
      return run;
    }

    test("a server that closes mid-session", async () => {
      const run = await fails(await serve(helloThenDropServer), "closed");
      // The pending expect and the actions after it fail their checks, as does the session's own.
      expect(run.rateBy("checks", "check")).toEqual({ "$.a equals 1": [0, 1], 'body contains "never"': [0, 1], "status is 101": [0, 1] });
      expect(run.counter("ws_msgs_received")).toBe(1);
    }, 30_000);

    test("a malformed frame", async () => {
      await fails(await serve(malformedFrameServer), "malformed");
    }, 30_000);

    test("a refused connection", async () => {
      const run = await fails(`ws://127.0.0.1:${await closedPort()}/`, "connect");
      expect(run.counter("ws_msgs_sent")).toBe(0);
    }, 30_000);

    test("a peer that never answers the handshake, at connectTimeout", async () => {
      await fails(await serve(silentServer), "timeout");
    }, 30_000);

    test("an endpoint that is not a WebSocket (HTTP 404)", async () => {
      await fails(`${demo.url.replace("http", "ws")}/nope`, "handshake");
    }, 30_000);
  });
});
