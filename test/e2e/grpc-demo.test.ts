// gRPC end to end through the compiled binary: examples/protocols/grpc.yaml (every call kind, the
// reference shapes of protocols.yaml) against the demo's Greeter — every check passes and the
// summary's call and message counts equal what the demo saw (`/_stats` byProtocol.grpc) — and a
// `grpcStatus: OK` check against the NOT_FOUND of the name `missing` fails and is counted; a
// target where nothing listens ends as counted, tagged failures and the run ends.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { requireBinary } from "../helpers/binary.ts";
import { closedPort } from "../helpers/bad-servers.ts";
import { demoStats, writePlan } from "../helpers/plans.ts";
import { startDemoServer, type DemoServer } from "../../src/demo/server.ts";

const EXAMPLES = join(import.meta.dir, "..", "..", "examples", "protocols");

let demo: DemoServer;
let grpcTarget: string;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0, listenerPorts: { grpc: 0 } });
  grpcTarget = demo.endpoints.find((e) => e.name === "grpc")!.address;
});
afterAll(async () => {
  await demo.stop();
});

async function run(planPath: string, target: string, summary: string) {
  const child = Bun.spawn([requireBinary(), "run", planPath, "--summary-json", summary], {
    env: { ...process.env, GRPC_TARGET: target, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr, json: JSON.parse(readFileSync(summary, "utf8")) };
}

describe("grpc step against loadr demo (compiled binary)", () => {
  test("the example plan: every check passes, calls and stream messages counted as the server saw them", async () => {
    const dir = writePlan(readFileSync(join(EXAMPLES, "grpc.yaml"), "utf8"));
    copyFileSync(join(EXAMPLES, "greeter.proto"), dir.path("greeter.proto"));
    try {
      const before = (await demoStats(demo.url)).byProtocol.grpc ?? 0;
      const { code, json, stderr } = await run(dir.planPath, grpcTarget, dir.path("summary.json"));
      expect(code).toBe(0);
      expect(stderr).not.toContain("warning");
      const m = json.metrics;
      expect(m.checks.fails).toBe(0);
      // 2 VUs × 3 iterations × 5 calls; CountTo 5 and Chat 3 answers per iteration; Collect 3 + Chat 3 sent.
      expect(m.grpc_req_duration.count).toBe(30);
      expect((await demoStats(demo.url)).byProtocol.grpc! - before).toBe(30);
      expect(m.grpc_streams.count).toBe(18);
      expect(m.grpc_streams_msgs_received.count).toBe(6 * (5 + 3));
      expect(m.grpc_streams_msgs_sent.count).toBe(6 * (3 + 3));
    } finally {
      dir.cleanup();
    }
  });

  const notFoundPlan = (target: string) => `
name: grpc-not-found
scenarios:
  rpc:
    executor: per-vu-iterations
    vus: 1
    iterations: 2
    flow:
      - grpc:
          name: missing
          target: ${target}
          proto: greeter.proto
          method: loadr.demo.Greeter/SayHello
          message: { name: missing }
          timeout: 2s
          checks:
            - grpcStatus: OK
`;

  test("grpcStatus: OK fails and is counted when the server answers NOT_FOUND", async () => {
    const dir = writePlan(notFoundPlan("${env.GRPC_TARGET}"), { "greeter.proto": readFileSync(join(EXAMPLES, "greeter.proto"), "utf8") });
    try {
      const { json, stdout } = await run(dir.planPath, grpcTarget, dir.path("summary.json"));
      expect(json.metrics.checks.fails).toBe(2);
      expect(json.metrics.checks.passes).toBe(0);
      expect(json.metrics.grpc_req_duration.count).toBe(2);
      expect(stdout).toContain("grpcStatus is OK");
    } finally {
      dir.cleanup();
    }
  });

  test("validate lists a misspelt key, a missing method and an unknown method with line:col; schema has the step", async () => {
    const yaml = `name: bad
scenarios:
  rpc:
    executor: per-vu-iterations
    flow:
      - grpc:
          target: 127.0.0.1:1
          proto: greeter.proto
          method: loadr.demo.Greeter/SayHello
          mesage: { name: a }
      - grpc:
          target: 127.0.0.1:1
          proto: greeter.proto
      - grpc:
          target: 127.0.0.1:1
          proto: greeter.proto
          method: loadr.demo.Greeter/SayHi
`;
    const dir = writePlan(yaml, { "greeter.proto": readFileSync(join(EXAMPLES, "greeter.proto"), "utf8") });
    try {
      const child = Bun.spawn([requireBinary(), "validate", dir.planPath], { env: { ...process.env, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" });
      const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
      const text = out + err;
      expect(code).toBe(104);
      expect(text).toMatch(/plan\.yaml:10:11.*mesage.*did you mean "message"/);
      expect(text).toMatch(/plan\.yaml:11:9.*"method" is required in grpc/);
      expect(text).toMatch(/plan\.yaml:17:19.*no method "SayHi".*SayHello/s);
      const schema = Bun.spawn([requireBinary(), "schema"], { stdout: "pipe", stderr: "pipe" });
      const schemaText = await new Response(schema.stdout).text();
      await schema.exited;
      expect(schemaText).toContain('"grpc"');
      expect(schemaText).toContain('"grpcStatus"');
    } finally {
      dir.cleanup();
    }
  });

  test("a target where nothing listens: each call one failed check, and the run ends", async () => {
    const dir = writePlan(notFoundPlan("${env.GRPC_TARGET}"), { "greeter.proto": readFileSync(join(EXAMPLES, "greeter.proto"), "utf8") });
    try {
      const { json } = await run(dir.planPath, `127.0.0.1:${await closedPort()}`, dir.path("summary.json"));
      expect(json.metrics.checks.fails).toBe(2);
      expect(json.metrics.grpc_req_duration.count).toBe(2);
      expect(json.metrics.iterations.count).toBe(2);
    } finally {
      dir.cleanup();
    }
  });
});
