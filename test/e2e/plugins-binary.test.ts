// Plugins with the compiled binary, from a directory outside the repository (so `loadr:sdk` can
// only come from the binary itself): the Redis plugin and the WebAssembly plugin run through
// `--local-agents 2` against a real redis-server, every SET counted by the server; `loadr
// validate` lists broken plugins with file:line:col and exits 104.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireBinary } from "../helpers/binary.ts";
import { startRedis, type RedisServer } from "../helpers/redis-server.ts";

const EXAMPLES = join(import.meta.dir, "..", "..", "examples", "plugins");

let redis: RedisServer;
let dir: string;
beforeAll(async () => {
  redis = await startRedis();
  dir = mkdtempSync(join(tmpdir(), "loadr-plugins-e2e-"));
  copyFileSync(join(EXAMPLES, "redis.ts"), join(dir, "redis.ts"));
  copyFileSync(join(EXAMPLES, "score.wasm"), join(dir, "score.wasm"));
});
afterAll(async () => {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function loadr(args: string[]) {
  const child = Bun.spawn([requireBinary(), ...args], { cwd: dir, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

describe("plugins in the compiled binary", () => {
  test("--local-agents 2 with a Redis and a WebAssembly plugin: the server counts every command", async () => {
    writeFileSync(
      join(dir, "plan.yaml"),
      `plugins: [./redis.ts, ./score.wasm]
scenarios:
  s:
    executor: shared-iterations
    vus: 2
    iterations: 20
    flow:
      - redis:
          target: 127.0.0.1:${redis.port}
          command: [SET, "score:\${vu}", "\${score('alice')}"]
          checks: [{ reply: OK }]
`,
    );
    await redis.command("CONFIG", "RESETSTAT");
    const { code, stderr } = await loadr(["run", "plan.yaml", "--local-agents", "2", "--summary-json", "summary.json", "--quiet"]);
    expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
    const summary = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8"));
    expect((await redis.commandCalls()).set).toBe(20);
    expect(summary.metrics.redis_commands.count).toBe(20);
    expect(summary.metrics.checks).toMatchObject({ passes: 20, fails: 0 });
    expect(await redis.command("GET", "score:1")).toBe("1529");
  }, 120_000);

  test("validate: a wrong apiVersion, a missing export and a syntax error, each with file and position; exit 104", async () => {
    writeFileSync(join(dir, "future.ts"), `import { definePlugin } from "loadr:sdk";\nexport default definePlugin({ apiVersion: 2, name: "future" });\n`);
    writeFileSync(join(dir, "noexport.ts"), `export const modules = {};\n`);
    writeFileSync(join(dir, "syntax.ts"), `export default {\n  apiVersion: 1,\n  name: "x" +,\n};\n`);
    writeFileSync(join(dir, "bad.yaml"), `plugins: [./future.ts, ./noexport.ts, ./syntax.ts]\nflow:\n  - sleep: 1ms\n`);
    const { code, stderr } = await loadr(["validate", "bad.yaml"]);
    expect(code).toBe(104);
    expect(stderr).toContain("✗ bad.yaml is not valid: 3 problems");
    expect(stderr).toContain("bad.yaml:1:11  plugins.0: plugin ./future.ts: it is written for apiVersion 2, and this loadr supports apiVersion 1");
    expect(stderr).toContain("bad.yaml:1:24  plugins.1: plugin ./noexport.ts: it has no default export (it exports modules)");
    expect(stderr).toContain("syntax.ts:3:14  plugins.2: plugin ./syntax.ts (listed at bad.yaml:1:39): syntax error");
  }, 60_000);
});
