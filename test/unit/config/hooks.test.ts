// `hooks:` and `metrics:` at load time (no code runs): the module and its relative imports are
// scanned and join the plan's files, `js` steps and checks must name an export, syntax errors and
// missing modules are config errors with the plan's and the module's positions, and a controller
// (readUserCode: false) only checks that the module was shipped.
import { describe, expect, test } from "bun:test";
import { loadPlan } from "../../../src/config/load.ts";
import { shippedFiles } from "../../../src/config/plan-files.ts";
import { BUILTINS } from "../../../src/builtins.ts";

function load(yaml: string, files: Record<string, string>, readUserCode = true) {
  const shipped = new Map(Object.entries(files).map(([path, text]) => [path, new TextEncoder().encode(text)]));
  return loadPlan({ text: yaml, file: "plan.yaml", baseDir: "/nowhere", env: {} }, { modules: BUILTINS, files: shippedFiles(shipped), readUserCode });
}

const messages = (result: ReturnType<typeof load>) => (result.ok ? [] : result.issues.map((i) => `${i.line}:${i.column} ${i.message}`));

describe("hooks: at load time", () => {
  test("the module's exports are known, its relative imports (TS, JS, JSON) join the plan's files, and the long form's options apply", () => {
    const result = load(
      `hooks: { module: ./hooks.ts, allow: [crypto, timers], timeout: 250ms, setupTimeout: 5s }\nflow:\n  - js: sign\n    args: ["\${vu}"]\n`,
      {
        "hooks.ts": `import { util } from "./lib/util";\nimport data from "./data.json";\nexport function sign() { return util(data); }\nexport const setup = () => ({});\n`,
        "lib/util.ts": `import { x } from "../x.mjs";\nexport const util = (d: unknown) => ({ d, x });\n`,
        "x.mjs": `export const x = 1;\n`,
        "data.json": `{"a": 1}`,
      },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.hooks).toMatchObject({ module: "./hooks.ts", exports: expect.arrayContaining(["sign", "setup"]), allow: ["crypto", "timers"], timeoutMs: 250, setupTimeoutMs: 5000 });
    expect(result.plan.files).toEqual(["hooks.ts", "lib/util.ts", "data.json", "x.mjs"]);
    expect(result.plan.metrics.some((m) => m.name === "hook_errors" && m.type === "counter")).toBe(true);
  });

  test("a js step or check naming a missing export is an error at the step, naming the module and suggesting the export", () => {
    const result = load(
      `baseUrl: http://127.0.0.1:1\nhooks: ./hooks.ts\nflow:\n  - js: signRequst\n  - request:\n      url: /\n      checks:\n        - js: isValid\n`,
      { "hooks.ts": `export function signRequest() {}\nexport function isValidOrder() { return true; }\n` },
    );
    expect(messages(result)).toEqual([
      '4:9 the hooks module ./hooks.ts (hooks.ts:1:1) has no export "signRequst"; did you mean "signRequest"?',
      '8:15 the hooks module ./hooks.ts (hooks.ts:1:1) has no export "isValid"',
    ]);
  });

  test("a js step in a plan without hooks: says to add one", () => {
    const result = load(`flow:\n  - js: sign\n`, {});
    expect(messages(result)).toEqual(["2:9 a js step calls a function of the plan's hooks module, but the plan has no hooks:"]);
  });

  test("a syntax error is reported at the plan's hooks: with the module's own line:col", () => {
    const result = load(`hooks: ./hooks.ts\nflow:\n  - js: f\n`, { "hooks.ts": `export function f( {\n  x = ;\n}\n` });
    expect(messages(result)).toEqual(["1:8 syntax error in hooks module file hooks.ts (shipped with the plan): Unexpected ; (hooks.ts:2:7)"]);
  });

  test("a missing module, a missing import and a package import are errors; no js step is checked against an unreadable module", () => {
    expect(messages(load(`hooks: ./nope.ts\nflow:\n  - js: f\n`, {}))).toEqual(["1:8 hooks module ./nope.ts was not shipped with the plan"]);
    const imports = load(`hooks: ./hooks.ts\nflow:\n  - js: f\n`, { "hooks.ts": `import a from "./gone.ts";\nimport fs from "node:fs";\nexport function f() {}\n` });
    expect(messages(imports)).toEqual([
      '1:8 hooks module file hooks.ts (shipped with the plan) imports "./gone.ts", which is not found (hooks.ts:1:15)',
      '1:8 hooks module file hooks.ts (shipped with the plan) imports "node:fs": only the module\'s own files (relative imports like ./util.ts) are available (hooks.ts:2:16)',
    ]);
  });

  test("a controller (readUserCode: false) checks only that the module was shipped, and never its exports", () => {
    const shipped = load(`hooks: ./hooks.ts\nflow:\n  - js: anything\n`, { "hooks.ts": "this is { not code" }, false);
    expect(shipped.ok).toBe(true);
    if (shipped.ok) expect(shipped.plan.hooks?.exports).toEqual([]);
    expect(messages(load(`hooks: ./hooks.ts\nflow:\n  - js: anything\n`, {}, false))).toEqual(["1:8 hooks module ./hooks.ts was not shipped with the plan"]);
  });
});

describe("metrics: declarations", () => {
  test("declared metrics join the plan's metrics, so their thresholds validate; a built-in name or a bad name is an error", () => {
    const ok = load(`metrics:\n  cart_value: { type: trend, contains: time }\n  orders: { type: counter }\nflow:\n  - sleep: 1ms\nthresholds:\n  cart_value: ["p(95)<100"]\n  orders: ["count>0"]\n`, {});
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.plan.metrics.filter((m) => m.name === "cart_value" || m.name === "orders")).toEqual([
        { name: "cart_value", type: "trend", contains: "time" },
        { name: "orders", type: "counter", contains: "default" },
      ]);
    }
    const bad = load(`metrics:\n  http_reqs: { type: trend }\n  9lives: { type: rate }\n  x: { type: histogram }\nflow:\n  - sleep: 1ms\n`, {});
    expect(messages(bad)).toEqual([
      '2:3 "http_reqs" is a built-in counter metric; a custom metric needs a name of its own',
      '3:3 "9lives" is not a metric name: use letters, digits and _ (at most 128), not starting with a digit',
      '4:14 metric type must be one of counter, rate, gauge, trend, got "histogram"',
    ]);
  });

  test("a threshold on a metric neither declared nor built in suggests declaring it", () => {
    const result = load(`flow:\n  - sleep: 1ms\nthresholds:\n  cart_value: ["p(95)<100"]\n`, {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.hint).toContain("metrics: { cart_value: { type: trend } }");
  });
});
