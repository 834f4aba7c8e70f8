// The user-facing reference of every protocol step (a copy of the shared reference
// protocols.yaml; its greeter.proto is the demo's own, proto/loadr/demo/greeter.proto): it validates, and it runs through the compiled binary
// against `loadr demo` with every listener on a free port — every check passes and each
// protocol's counts in the summary equal what the demo saw (`/_stats` byProtocol).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { requireBinary } from "../helpers/binary.ts";
import { demoStats, writePlan } from "../helpers/plans.ts";
import { startDemoServer, type DemoServer } from "../../src/demo/server.ts";

const REFERENCE = join(import.meta.dir, "..", "fixtures", "reference");

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0, listenerPorts: { h2: 0, grpc: 0, tcp: 0, udp: 0 } });
});
afterAll(async () => {
  await demo.stop();
});

const address = (name: string) => {
  const endpoint = demo.endpoints.find((e) => e.name === name);
  if (!endpoint) throw new Error(`the demo has no ${name} listener`);
  return endpoint.address;
};

test("protocols.yaml validates and runs against loadr demo: every check passes, counts equal the demo's", async () => {
  const dir = writePlan(readFileSync(join(REFERENCE, "protocols.yaml"), "utf8"));
  copyFileSync(join(import.meta.dir, "..", "..", "proto", "loadr", "demo", "greeter.proto"), dir.path("greeter.proto"));
  try {
    const env = { ...process.env, NO_COLOR: "1", BASE_URL: demo.url, H2_URL: address("h2"), GRPC_TARGET: address("grpc"), TCP_TARGET: address("tcp"), UDP_TARGET: address("udp") };
    const validate = Bun.spawnSync([requireBinary(), "validate", dir.planPath], { env });
    expect(validate.exitCode, validate.stderr.toString()).toBe(0);

    const before = (await demoStats(demo.url)).byProtocol;
    const summaryPath = dir.path("summary.json");
    const child = Bun.spawn([requireBinary(), "run", dir.planPath, "--quiet", "--summary-json", summaryPath], { env, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const m = JSON.parse(readFileSync(summaryPath, "utf8")).metrics;
    const after = (await demoStats(demo.url)).byProtocol;
    const seen = (protocol: string) => (after[protocol] ?? 0) - (before[protocol] ?? 0);

    // h2: 2 VUs × 5; ws: 2 × 2 sessions of 2 sends; rpc: 2 × 3 × 3 calls; gql 2; raw 2 + 2; events 1.
    expect({ checks: m.checks.fails, passes: m.checks.passes }).toEqual({ checks: 0, passes: 45 });
    expect(m["http_reqs"].count).toBe(seen("h2") + m["graphql_reqs"].count);
    expect(seen("h2")).toBe(10);
    expect(m["ws_sessions"].count).toBe(4);
    expect(m["ws_msgs_sent"].count).toBe(seen("ws"));
    expect(m["grpc_req_duration"].count).toBe(seen("grpc"));
    expect(seen("grpc")).toBe(18);
    expect(m["graphql_reqs"].count).toBe(seen("graphql"));
    expect(m["tcp_reqs"].count).toBe(seen("tcp"));
    expect(m["udp_reqs"].count).toBe(seen("udp"));
    expect(m["sse_sessions"].count).toBe(seen("sse"));
    expect(m["sse_events"].count).toBe(3);
  } finally {
    dir.cleanup();
  }
}, 60_000);
