// Converted plans run: each golden input (test/fixtures/convert/) is converted, run in-process
// against the demo target through a recording proxy, and must pass every check while the target
// sees exactly the requests per VU and iteration, in order, that the source describes.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { parse, stringify } from "yaml";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { convertFixture } from "../../helpers/convert.ts";
import { demoStats } from "../../helpers/plans.ts";
import { RECORD_HEADERS, recordingProxy, type RecordingProxy } from "../../helpers/recording-proxy.ts";

// Each test runs a real load test; a loaded machine can take several seconds.
setDefaultTimeout(60_000);

let demo: DemoServer;
let proxy: RecordingProxy;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
  proxy = recordingProxy(demo.url);
});
afterAll(async () => {
  await proxy.stop();
  await demo.stop();
});

/** Converts, adds the recording headers to the plan's defaults, runs it; the summary export and the sequences seen. */
async function convertAndRun(kind: string, folder: string, input: string, args: string[] = [], env: Record<string, string> = {}) {
  const converted = convertFixture(kind, folder, input, "plan.yaml", args);
  try {
    expect(converted.code).toBe(0);
    const plan = parse(readFileSync(converted.planPath, "utf8"));
    plan.defaults = { ...plan.defaults, headers: { ...plan.defaults?.headers, ...RECORD_HEADERS } };
    writeFileSync(converted.planPath, stringify(plan));
    proxy.seen.length = 0;
    const summaryPath = `${converted.dir}/summary.json`;
    const { io, stderr } = memoryIO({ BASE_URL: proxy.url, ...env });
    const code = await runLocal({ planPath: converted.planPath, env: io.env, workers: 1, segment: WHOLE, summaryJson: summaryPath, quiet: true, color: false }, io);
    const summary = JSON.parse(readFileSync(summaryPath, "utf8"));
    return { code, summary, stderr: stderr(), sequences: proxy.sequences() };
  } finally {
    converted.cleanup();
  }
}

function expectAllChecksPass(summary: any, count: number) {
  expect(summary.metrics.checks).toMatchObject({ passes: count, fails: 0 });
}

/** The sequences of scenario `scenario`, one per VU and iteration. */
function ofScenario(sequences: Map<string, string[]>, scenario: string): Array<[vu: number, requests: string[]]> {
  return [...sequences].filter(([key]) => key.startsWith(`${scenario} `)).map(([key, requests]) => [Number(key.split(" ")[1]), requests]);
}

describe("converted k6 scripts run against the demo", () => {
  test("basic.js: every iteration sends /, /login, /me, DELETE /status/204 in order; all 6 checks × 4 iterations pass", async () => {
    const { code, summary, sequences, stderr } = await convertAndRun("k6", "k6", "basic.js");
    expect(stderr).not.toContain("warning");
    expect(code).toBe(0);
    expectAllChecksPass(summary, 24);
    const iterations = ofScenario(sequences, "default");
    expect(iterations).toHaveLength(4);
    for (const [, requests] of iterations) expect(requests).toEqual(["GET /", "POST /login", "GET /me", "DELETE /status/204"]);
  });

  test("scenarios.js: shoppers log in as their CSV row, page three times and branch on the VU; browsers batch four requests", async () => {
    const { code, summary, sequences } = await convertAndRun("k6", "k6", "scenarios.js");
    expect(code).toBe(0);
    const shoppers = ofScenario(sequences, "shoppers");
    expect(shoppers).toHaveLength(4); // per-vu-iterations: 2 VUs × 2
    for (const [vu, requests] of shoppers) {
      expect(requests).toEqual(["POST /login", "GET /me", "GET /json?page=0", "GET /json?page=1", "GET /json?page=2", vu % 2 === 0 ? "GET /status/201" : "GET /status/202"]);
    }
    const browsers = ofScenario(sequences, "browsers");
    expect(browsers.length).toBeGreaterThanOrEqual(3);
    for (const [, requests] of browsers) expect(requests).toEqual(["GET /json", "GET /bytes/16", "GET /echo", "PUT /echo"]);
    expectAllChecksPass(summary, 4 * 2);
  });

  test("hooks.js: setup logs in once, each iteration posts the computed cart and reads /me with setup's token; custom metrics recorded", async () => {
    const { code, summary, sequences } = await convertAndRun("k6", "k6", "hooks.js");
    expect(code).toBe(0);
    const iterations = ofScenario(sequences, "default");
    expect(iterations).toHaveLength(2);
    for (const [, requests] of iterations) expect(requests).toEqual(["POST /echo", "GET /me"]);
    const all = [...sequences.values()].flat();
    expect(all.filter((r) => r === "POST /login")).toHaveLength(1); // setup, once
    expect(all.filter((r) => r.startsWith("GET /status/200?bye="))).toHaveLength(1); // teardown
    expectAllChecksPass(summary, 2 * 4);
    expect(summary.metrics.orders.count).toBe(2);
    expect(summary.metrics.cart_value.max).toBeCloseTo(20, 0); // 10 × VU 1 + 2.5 × 4, in an HDR histogram
    expect(summary.metrics.queue_depth.value).toBe(3);
  });
});

test("mappings.js: three scenarios (ramping VUs, ramping arrivals, shared iterations) send what each exec function says; all checks pass", async () => {
  const { code, summary, sequences } = await convertAndRun("k6", "k6", "mappings.js");
  expect(code).toBe(0);
  const journey = (iteration: number) => [
    "POST /login",
    `GET /json?visit=${iteration}`,
    "GET /echo?name=item-1&service=loadr-demo&id=<uuid>",
    "HEAD /status/200",
    "OPTIONS /echo",
    "PATCH /echo",
    "GET /redirect/2", // followed by the client: maxRedirects 3
    "GET /redirect/1",
    "GET /",
    ...(iteration === 0 ? ["GET /status/200?first=1"] : []),
  ];
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/;
  for (const scenario of ["ramp", "once"]) {
    const runs = [...sequences].filter(([key]) => key.startsWith(`${scenario} `));
    expect(runs.length).toBeGreaterThan(0);
    for (const [key, requests] of runs) expect(requests.map((r) => r.replace(uuid, "<uuid>"))).toEqual(journey(Number(key.split(" ")[2])));
  }
  const pings = ofScenario(sequences, "rate");
  expect(pings.length).toBeGreaterThan(0);
  for (const [, requests] of pings) {
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/^GET \/json\?page=[123]$/);
  }
  expect(summary.metrics.checks.fails).toBe(0);
  expect(summary.metrics.checks.passes).toBeGreaterThan(0);
});

test("grpc.js: two unary calls per iteration on the demo's Greeter (the demo counts them), status and message checks pass", async () => {
  const grpc = demo.endpoints.find((e) => e.name === "grpc");
  if (!grpc) throw new Error("the demo has no grpc listener");
  const before = (await demoStats(demo.url)).byProtocol?.grpc ?? 0;
  const { code, summary } = await convertAndRun("k6", "k6", "grpc.js", [], { GRPC_TARGET: `127.0.0.1:${grpc.port}` });
  expect(code).toBe(0);
  const after = (await demoStats(demo.url)).byProtocol?.grpc ?? 0;
  expect(after - before).toBe(4 * 2);
  expectAllChecksPass(summary, 4 * 3);
});

describe("a converted HAR recording runs against the demo", () => {
  test("shop.har: the recorded requests in order, assets excluded, the redirect's follow-up sent once", async () => {
    const { code, summary, sequences } = await convertAndRun("har", "har", "shop.har", ["--exclude", "\\.(png|css|js)$", "--no-sleep"]);
    expect(code).toBe(0);
    const iterations = ofScenario(sequences, "default");
    expect(iterations).toHaveLength(1);
    expect(iterations[0]![1]).toEqual(["GET /", "GET /json?page=1", "POST /login", "GET /me", "GET /redirect/1", "GET /", "PUT /echo"]);
    expectAllChecksPass(summary, 7);
  });
});
