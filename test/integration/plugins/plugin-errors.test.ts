// `loadr validate` on plans whose plugins do not load: a wrong apiVersion (both versions named),
// a missing default export, a syntax error and a throw at load (at the plugin file's own
// line:col), a missing file, a WebAssembly module that is not one — every problem listed, exit
// 104. And a plugin that loads: the plan validates, its step's own schema applies.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { memoryIO } from "../../../src/cli/io.ts";
import { validatePlan } from "../../../src/cli/commands/validate.ts";
import { writePlan } from "../../helpers/plans.ts";

const REDIS = readFileSync(join(import.meta.dir, "..", "..", "..", "examples", "plugins", "redis.ts"), "utf8");

async function validate(yaml: string, files: Record<string, string>, plugins: string[] = []) {
  const dir = writePlan(yaml, files);
  try {
    const { io, stdout, stderr } = memoryIO({}, dir.dir);
    const code = await validatePlan("plan.yaml", {}, io, undefined, plugins);
    return { code, out: stdout(), err: stderr() };
  } finally {
    dir.cleanup();
  }
}

describe("loadr validate with plugins", () => {
  test("every broken plugin is listed with its file and position; exit 104", async () => {
    const { code, err } = await validate(
      `plugins:
  - ./future.ts
  - ./noexport.ts
  - ./syntax.ts
  - ./throws.ts
  - ./missing.ts
  - ./fake.wasm
flow:
  - sleep: 1ms
`,
      {
        "future.ts": `import { definePlugin } from "loadr:sdk";\nexport default definePlugin({ apiVersion: 99, name: "future" });\n`,
        "noexport.ts": `export const plugin = { apiVersion: 1, name: "x" };\n`,
        "syntax.ts": `export default {\n  apiVersion: 1,\n  name: "x" +,\n};\n`,
        "throws.ts": `const port = 6379;\nthrow new Error("no redis on " + port);\nexport default {};\n`,
        "fake.wasm": "not wasm",
      },
    );
    expect(code).toBe(104);
    const lines = err.split("\n");
    expect(lines[0]).toBe("✗ plan.yaml is not valid: 6 problems");
    const line = (text: string) => lines.find((l) => l.includes(text)) ?? `no line with ${text} in:\n${err}`;
    expect(line("future.ts")).toContain("plan.yaml:2:5  plugins.0: plugin ./future.ts: it is written for apiVersion 99, and this loadr supports apiVersion 1");
    expect(line("noexport.ts")).toContain("plan.yaml:3:5  plugins.1: plugin ./noexport.ts: it has no default export (it exports plugin)");
    expect(line("syntax.ts")).toContain("syntax.ts:3:14  plugins.2: plugin ./syntax.ts (listed at plan.yaml:4:5): syntax error: Unexpected ,");
    expect(line("throws.ts")).toContain("throws.ts:2:11  plugins.3: plugin ./throws.ts (listed at plan.yaml:5:5): it threw while loading: no redis on 6379");
    expect(line("missing.ts")).toContain("plan.yaml:6:5  plugins.4: plugin ./missing.ts not found");
    expect(line("fake.wasm")).toContain("plan.yaml:7:5  plugins.5: plugin ./fake.wasm: not a valid WebAssembly module");
  });

  test("a plugin that loads: its step validates with the plugin's own schema; --plugin adds one", async () => {
    const yaml = `flow:
  - redis:
      target: 127.0.0.1:6379
      command: [PING]
      retries: 3
`;
    const withFlag = await validate(yaml, { "redis.ts": REDIS }, ["./redis.ts"]);
    expect(withFlag.code).toBe(104);
    expect(withFlag.err).toContain('plan.yaml:5:7  flow.0.redis.retries: unknown key "retries"');
    const ok = await validate(`plugins: [./redis.ts]\n${yaml.replace("      retries: 3\n", "")}`, { "redis.ts": REDIS });
    expect(ok).toMatchObject({ code: 0, err: "" });
    expect(ok.out).toContain("✓ plan.yaml is valid");
    const without = await validate(yaml.replace("      retries: 3\n", ""), {});
    expect(without.code).toBe(104);
    expect(without.err).toContain("redis");
  });
});
