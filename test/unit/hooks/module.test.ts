// The hook runtime on its own (src/hooks/module.ts, context.ts, bootstrap.ts): what user code can
// and cannot reach, the time limits of sync and async code, error positions mapped back through
// the TypeScript transpilation and the bundle, and the grants.
import { afterAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HooksSpec } from "../../../src/config/plan.ts";
import { HookError, loadHooks } from "../../../src/hooks/module.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function load(files: Record<string, string>, options: Partial<HooksSpec> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "loadr-hooks-unit-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  const spec: HooksSpec = { module: "./hooks.ts", files: [], exports: [], allow: [], timeoutMs: 300, setupTimeoutMs: 2000, loc: { file: "plan.yaml", line: 1, column: 1 }, ...options };
  const lines: string[] = [];
  const hooks = await loadHooks(spec, dir, (level, label, text) => lines.push(`${level} ${label} ${text}`));
  return { hooks, lines };
}

const failure = async (run: () => unknown): Promise<HookError> => {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(HookError);
    return error as HookError;
  }
  throw new Error("expected the hook to fail");
};

describe("the hooks context", () => {
  test("no host object is reachable: process, Bun, require, fetch are missing, and constructors lead back into the context", async () => {
    const { hooks } = await load({
      "hooks.ts": `
export function probe() {
  const seen: Record<string, string> = {};
  for (const name of ["process", "Bun", "require", "fetch", "setTimeout", "Buffer"]) seen[name] = typeof (globalThis as any)[name];
  const viaConsole = (console.log as any).constructor("return typeof process")();
  const viaPromise = (async () => {})().constructor.constructor("return typeof Bun")();
  const viaEncoder = (new TextEncoder().encode("x") as any).constructor.constructor("return typeof process")();
  return JSON.stringify({ seen, viaConsole, viaPromise, viaEncoder, viaGlobal: (Object.getPrototypeOf(globalThis) ?? {}).constructor.constructor("return typeof process")() });
}
export async function dynamicImport(ctx: unknown, name: string) { return await import(name); }
`,
    });
    expect(JSON.parse(hooks.call("probe", undefined, "", 300) as string)).toEqual({
      seen: { process: "undefined", Bun: "undefined", require: "undefined", fetch: "undefined", setTimeout: "undefined", Buffer: "undefined" },
      viaConsole: "undefined",
      viaPromise: "undefined",
      viaEncoder: "undefined",
      viaGlobal: "undefined",
    });
    // A literal specifier is refused when the module bundles; a computed one fails when it runs.
    const error = await failure(() => hooks.call("dynamicImport", {}, JSON.stringify(["node:fs"]), 300));
    expect(error.what).toMatch(/^(Type)?Error: /);
  });

  test("an endless loop is interrupted at the limit; an async hook that never settles loses the race", async () => {
    const { hooks } = await load({ "hooks.ts": `export function spin() {\n  while (true) {}\n}\nexport async function hang() {\n  await new Promise(() => {});\n}\n` });
    const spin = await failure(() => hooks.call("spin", undefined, "", 200));
    expect(spin.message).toBe("hook spin: timed out after 200ms (hooks.ts:1:8)");
    expect(spin.timedOut).toBe(true);
    const hang = await failure(() => hooks.call("hang", undefined, "", 200));
    expect(hang.message).toBe("hook hang: timed out after 200ms (hooks.ts:4:14)");
  });

  test("a thrown error is located in the TypeScript source, through type-only lines and an imported file", async () => {
    const { hooks } = await load({
      "hooks.ts": `import { fail } from "./lib.ts";\ninterface Order {\n  id: number;\n}\ntype Id = number;\nexport function place(ctx: unknown, order: Order): Id {\n  return fail(order.id);\n}\n`,
      "lib.ts": `// helpers\nexport function fail(id: number): never {\n  throw new RangeError("no order " + id);\n}\n`,
    });
    const error = await failure(() => hooks.call("place", {}, JSON.stringify([{ id: 7 }]), 300));
    expect(error.what).toBe("RangeError: no order 7");
    expect(error.at).toMatch(/^lib\.ts:3:\d+$/);
    expect(error.frames[0]).toMatch(/^at fail \(lib\.ts:3:\d+\)$/);
    expect(error.frames[1]).toMatch(/^at place \(hooks\.ts:7:\d+\)$/);
  });

  test("Web Crypto HMAC-SHA256 by default; crypto.hmac and timers only when granted", async () => {
    const source = `
export async function subtle(ctx: unknown, text: string) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("k"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
  return [...sig].map((b) => b.toString(16).padStart(2, "0")).join("");
}
export function sync(ctx: unknown, text: string) { return (crypto as any).hmac("sha256", "k", text, "hex"); }
export function timers() { return typeof (globalThis as any).setTimeout; }
`;
    const expected = createHmac("sha256", "k").update("body").digest("hex");
    const plain = await load({ "hooks.ts": source });
    expect(await plain.hooks.call("subtle", {}, JSON.stringify(["body"]), 1000)).toBe(expected);
    expect((await failure(() => plain.hooks.call("sync", {}, JSON.stringify(["body"]), 300))).what).toMatch(/^TypeError: /);
    expect(plain.hooks.call("timers", undefined, "", 300)).toBe("undefined");
    const granted = await load({ "hooks.ts": source }, { allow: ["crypto", "timers"] });
    expect(granted.hooks.call("sync", {}, JSON.stringify(["body"]), 300)).toBe(expected);
    expect(granted.hooks.call("timers", undefined, "", 300)).toBe("function");
    granted.hooks.close();
  });

  test("the module's top level runs once under the setup limit; a throw there names it", async () => {
    const dir = load({ "hooks.ts": `const n = (globalThis as any).missing.field;\nexport function f() { return n; }\n` });
    await expect(dir).rejects.toThrow("hook (module top level): TypeError: ");
  });
});
