// WebAssembly and native plugins over the byte ABI (src/plugin-api/abi.ts), in real worker
// threads against the demo's /echo: examples/plugins/score.wasm (rebuilt here from score.wat with
// wat2wasm and compared with the committed file) and examples/plugins/libfast.c (built here with
// gcc) each compute a value a request carries, which /echo shows; the `wasm` step sets a variable
// and the `wasm` check passes; a trap fails its iterations, counted in plugin_errors{plugin:score}
// and named in the notes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { writePlan, type PlanDir } from "../../helpers/plans.ts";

const EXAMPLES = join(import.meta.dir, "..", "..", "..", "examples", "plugins");

function tool(name: string, pkg: string): string {
  const path = Bun.which(name);
  if (!path) throw new Error(`${name} is not installed: this test needs Debian's ${pkg} package`);
  return path;
}

function build(dir: PlanDir): void {
  const wat = Bun.spawnSync([tool("wat2wasm", "wabt"), join(EXAMPLES, "score.wat"), "-o", dir.path("score.wasm")]);
  if (wat.exitCode !== 0) throw new Error(`wat2wasm failed: ${wat.stderr.toString()}`);
  const gcc = Bun.spawnSync([tool("gcc", "gcc"), "-O2", "-shared", "-fPIC", "-o", dir.path("libfast.so"), join(EXAMPLES, "libfast.c")]);
  if (gcc.exitCode !== 0) throw new Error(`gcc failed: ${gcc.stderr.toString()}`);
}

/** What the plugins compute, written again in JS. */
const score = (text: string) => [...Buffer.from(text)].reduce((sum, byte, i) => (sum + byte * (i + 1)) % 10007, 0);
function fnv(text: string): string {
  let hash = 2166136261;
  for (const byte of Buffer.from(text)) hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  return hash.toString(16).padStart(8, "0");
}

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

async function run(dir: PlanDir) {
  const { io, stdout, stderr } = memoryIO({ BASE_URL: demo.url });
  const code = await runLocal({ planPath: dir.planPath, env: io.env, workers: 2, segment: WHOLE, summaryJson: dir.path("summary.json"), quiet: true, color: false }, io);
  return { code, output: stdout() + stderr(), summary: JSON.parse(readFileSync(dir.path("summary.json"), "utf8")) };
}

describe("WebAssembly and native plugins", () => {
  test("the committed score.wasm is what score.wat builds to", () => {
    const dir = writePlan("");
    try {
      build(dir);
      expect(Buffer.compare(readFileSync(dir.path("score.wasm")), readFileSync(join(EXAMPLES, "score.wasm")))).toBe(0);
    } finally {
      dir.cleanup();
    }
  });

  test("values computed by the WASM and the native plugin reach /echo; the wasm step and check work", async () => {
    const dir = writePlan(`
plugins: [./score.wasm, ./libfast.so]
baseUrl: \${env.BASE_URL}
scenarios:
  s:
    executor: shared-iterations
    vus: 2
    iterations: 6
    flow:
      - set: { user: "alice" }
      - wasm: { call: measure, vars: [user] }
      - request:
          url: /echo?score=\${score(vars.user)}&fnv=\${fnv(vars.user)}&bytes=\${vars.vars_bytes}
          checks:
            - wasm: nonempty
            - json: $.query.score
              equals: "${score("alice")}"
            - json: $.query.fnv
              equals: "${fnv("alice")}"
            - json: $.query.bytes
              equals: "${JSON.stringify({ user: "alice" }).length}"
`);
    try {
      build(dir);
      const { code, summary, output } = await run(dir);
      expect(output).not.toContain("plugin_errors");
      expect(code).toBe(0);
      expect(summary.metrics.checks).toMatchObject({ passes: 24, fails: 0 });
      expect(summary.metrics.http_reqs.count).toBe(6);
      expect(summary.metrics.plugin_errors).toBeUndefined();
    } finally {
      dir.cleanup();
    }
  }, 60_000);

  test("a trap fails the iteration: counted in plugin_errors{plugin:score}, named in the notes", async () => {
    const dir = writePlan(`
plugins: [./score.wasm]
baseUrl: \${env.BASE_URL}
scenarios:
  s:
    executor: shared-iterations
    vus: 1
    iterations: 4
    flow:
      - set: { user: "u\${iteration}" }
      - request:
          url: /echo?x=\${boom(vars.user)}
thresholds:
  plugin_errors{plugin:score}: ["count==4"]
`);
    try {
      copyFileSync(join(EXAMPLES, "score.wasm"), dir.path("score.wasm"));
      const before = await (await fetch(`${demo.url}/_stats`)).json() as { byPath: Record<string, number> };
      const { code, summary } = await run(dir);
      const after = await (await fetch(`${demo.url}/_stats`)).json() as { byPath: Record<string, number> };
      expect(code).toBe(0);
      expect(summary.metrics.plugin_errors.count).toBe(4);
      expect(summary.metrics["plugin_errors{plugin:score}"].thresholds["count==4"].ok).toBe(true);
      expect(summary.metrics.iterations.count).toBe(4);
      // No request was sent: the URL could not be rendered.
      expect(after.byPath["/echo"] ?? 0).toBe(before.byPath["/echo"] ?? 0);
      expect(JSON.stringify(summary)).toContain("plugin score: boom: trap");
    } finally {
      dir.cleanup();
    }
  }, 60_000);
});
