// The plugin API's pure parts: the built-ins register through the same definition and merge as a
// plugin (and nothing else reads the registry maps), definitions and ABI manifests are checked
// with messages naming both versions, a native plugin's file names per OS/arch, and the
// manifests a controller validates with.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { BUILTINS, BUILTIN_PLUGIN } from "../../../src/builtins.ts";
import { FUNCTIONS } from "../../../src/config/expression/functions.ts";
import { OUTPUTS } from "../../../src/outputs/registry.ts";
import { PROTOCOLS } from "../../../src/protocols/registry.ts";
import { mergeModules } from "../../../src/plugin-api/merge.ts";
import { definitionProblems, pluginModules } from "../../../src/plugin-api/plugin-modules.ts";
import { parseManifest } from "../../../src/plugin-api/abi.ts";
import { nativeCandidates, nativeVariants } from "../../../src/plugin-api/native-plugin.ts";
import { forwardedModules, manifestOf, readManifests } from "../../../src/plugin-api/manifest.ts";
import { pluginEntries } from "../../../src/plugin-api/plugin-list.ts";
import { loadPlan } from "../../../src/config/load.ts";
import { definePlugin } from "../../../src/plugin-api/sdk.ts";

const SRC = join(import.meta.dir, "..", "..", "..", "src");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("one registry per kind, one path", () => {
  test("the built-ins are a plugin definition merged like any plugin", () => {
    expect(BUILTIN_PLUGIN.apiVersion).toBe(1);
    expect(BUILTINS.outputs.jsonl).toBe(OUTPUTS.jsonl!);
    expect(BUILTINS.protocols.http).toBe(PROTOCOLS.http!);
    expect(BUILTINS.functions.lower).toBe(FUNCTIONS.lower!);
  });

  test("only src/builtins.ts imports the registry maps of protocols, outputs and executors", () => {
    const importers = sources(SRC)
      .filter((file) => /from "[./]*(?:[\w/]*\/)?(?:outputs|protocols|executors)\/registry\.ts"/.test(readFileSync(file, "utf8")))
      .map((file) => relative(SRC, file));
    expect(importers).toEqual(["builtins.ts"]);
  });

  test("a plugin's names clash with the built-ins' in the one merge, naming both", () => {
    const clash = definePlugin({ apiVersion: 1, name: "clash", outputs: { jsonl: OUTPUTS.jsonl! } });
    expect(() => mergeModules(BUILTINS, pluginModules(clash, 'plugin "clash" (./clash.ts)'))).toThrow(
      'output "jsonl" is registered twice: by the base modules and by plugin "clash" (./clash.ts)',
    );
    const fn = definePlugin({ apiVersion: 1, name: "fn", functions: { upper: FUNCTIONS.upper! } });
    expect(() => mergeModules(BUILTINS, pluginModules(fn, 'plugin "fn"'))).toThrow('template function "upper" is registered twice');
  });
});

describe("plugin definitions", () => {
  test("a wrong apiVersion names both versions; unknown keys and bad names are listed", () => {
    expect(definitionProblems({ apiVersion: 2, name: "x" })).toEqual([
      "it is written for apiVersion 2, and this loadr supports apiVersion 1 (plugin API 1)",
    ]);
    expect(definitionProblems({ name: "x" })[0]).toContain("it declares no apiVersion; this loadr supports apiVersion 1");
    expect(definitionProblems({ apiVersion: 1, name: "1bad", hooks: {} })).toEqual([
      'its name "1bad" is not a plugin name (a letter, then letters, digits, _ or -; at most 64)',
      expect.stringContaining('it has an unknown key "hooks"'),
    ]);
    expect(definitionProblems(null)[0]).toContain("its default export is null");
  });

  test("ABI manifests: checked JSON, supported apiVersion, known encodings", () => {
    const enc = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    expect(parseManifest(enc({ apiVersion: 1, name: "s", functions: { f: { encoding: "raw" } } })).functions).toEqual({ f: { encoding: "raw" } });
    expect(() => parseManifest(enc({ apiVersion: 7, name: "s", functions: {} }))).toThrow("it is written for apiVersion 7, and this loadr supports apiVersion 1");
    expect(() => parseManifest(enc({ apiVersion: 1, name: "s", functions: { f: { encoding: "xml" } } }))).toThrow('has encoding "xml"');
    expect(() => parseManifest(enc({ apiVersion: 1, name: "s", functions: { alloc: { encoding: "raw" } } }))).toThrow("not a usable function name");
    expect(() => parseManifest(new TextEncoder().encode("{"))).toThrow("returned no valid JSON");
  });
});

describe("native plugin names", () => {
  test("per OS/arch first, then the plain name, with the platform's extension", () => {
    expect(nativeCandidates("plugins/libfast.so", "linux", "x64")).toEqual(["plugins/libfast-linux-x64.so", "plugins/libfast.so"]);
    expect(nativeCandidates("plugins/libfast.so", "darwin", "arm64")).toEqual(["plugins/libfast-darwin-arm64.dylib", "plugins/libfast.dylib"]);
    expect(nativeCandidates("plugins/libfast.so", "win32", "x64")).toEqual(["plugins/libfast-win32-x64.dll", "plugins/libfast.dll"]);
    const present = new Set(["p/libfast.so", "p/libfast-darwin-arm64.dylib"]);
    expect(nativeVariants("p/libfast.so", (f) => present.has(f)).sort()).toEqual(["p/libfast-darwin-arm64.dylib", "p/libfast.so"]);
  });
});

describe("the plan's plugin list", () => {
  test("entries with their positions, --plugin after them; duplicates and unknown kinds are issues", () => {
    const source = { text: "plugins:\n  - ./a.ts\n  - ./b.wasm\n  - ./a.ts\n  - ./c.txt\n", file: "plan.yaml", baseDir: "/plans", env: {}, overrides: { plugins: ["./d.so"] } };
    const { entries, issues } = pluginEntries(source);
    expect(entries.map((e) => [e.path, e.kind, e.where, e.loc.line, e.loc.column])).toEqual([
      ["./a.ts", "js", "plugins.0", 2, 5],
      ["./b.wasm", "wasm", "plugins.1", 3, 5],
      ["./d.so", "native", "--plugin", 0, 0],
    ]);
    expect(entries[0]!.file).toBe("/plans/a.ts");
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [4, "plugin ./a.ts is listed twice"],
      [5, "plugin ./c.txt: not a plugin file"],
    ]);
  });
});

describe("manifests (what a controller validates with)", () => {
  const redisLike = manifestOf("./redis.ts", "redis", {
    protocols: {
      redis: { name: "redis", steps: { redis: {} as never }, checks: { reply: {} as never }, extractions: { reply: {} as never }, metrics: [{ name: "redis_commands", type: "counter", contains: "default" }], handler: {} as never },
    },
    functions: { h: { params: "s", minArgs: 1, maxArgs: 1, pure: false, call: () => null } },
  });

  test("a manifest names the plugin's keys, functions and metrics", () => {
    expect(redisLike).toEqual({
      path: "./redis.ts",
      name: "redis",
      steps: ["redis"],
      checks: ["reply"],
      extractions: ["reply"],
      functions: [{ name: "h", minArgs: 1, maxArgs: 1 }],
      metrics: [{ name: "redis_commands", type: "counter", contains: "default" }],
    });
    expect(readManifests(JSON.parse(JSON.stringify([redisLike])))).toEqual([redisLike]);
  });

  test("forwarded stand-ins validate a plan that uses the plugin, without its code", () => {
    const modules = mergeModules(BUILTINS, forwardedModules([redisLike]));
    const text = `flow:\n  - redis: { target: "x:1", command: [PING] }\n    checks: []\n  - request: { url: "http://h/\${h(vu)}" }\nthresholds:\n  redis_commands: ["count>0"]\n`;
    const loaded = loadPlan({ text: text.replace("    checks: []\n", ""), file: "plan.yaml", baseDir: "/", env: {} }, { modules });
    expect(loaded.ok ? "ok" : loaded.issues.map((i) => i.message)).toBe("ok");
  });

  test("a malformed submission's manifests are refused with what is wrong", () => {
    expect(() => readManifests([{ ...redisLike, steps: ["no spaces allowed"] }])).toThrow('"plugins[0]" is not a plugin manifest');
    expect(() => readManifests([{ ...redisLike, extra: 1 }])).toThrow('"plugins[0]" is not a plugin manifest');
    expect(() => readManifests("x")).toThrow('"plugins" must be a list');
  });
});
