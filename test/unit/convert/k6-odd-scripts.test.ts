// Scripts the converter cannot follow must never crash it (types.ts: convert maps what it can and
// notes the rest): each converts to a plan that validates, with exit 0 or 2, and every note
// carries a script:line:col.
import { describe, expect, test } from "bun:test";
import { k6Converter } from "../../../src/convert/k6/index.ts";
import { emitPlan } from "../../../src/convert/emit.ts";
import { loadPlan } from "../../../src/config/load.ts";
import { BUILTINS } from "../../../src/builtins.ts";
import { ConvertInputError } from "../../../src/convert/types.ts";

const ODD: Record<string, string> = {
  "async and await": 'import http from "k6/http";\nexport default async function () { const r = await http.asyncRequest("GET", "http://127.0.0.1/a"); }\n',
  "a class and a generator": 'class A { m() { return 1; } }\nfunction* g() { yield 1; }\nexport default function () { const a = new A(); for (const x of g()) a.m(); }\n',
  "export { run as default }": "function run() {}\nexport { run as default };\n",
  "destructuring, switch, labels, for(;;)": 'import http from "k6/http";\nexport default function () {\n  const { a, b } = { a: 1, b: 2 };\n  switch (a) { case 1: http.get("http://127.0.0.1/one"); break; default: }\n  outer: for (;;) { break outer; }\n  let n = 0; while (n < 3) n++;\n}\n',
  "calls without arguments": 'import http from "k6/http";\nimport { check, group, sleep } from "k6";\nimport { Trend } from "k6/metrics";\nconst t = new Trend();\nexport default function () { http.get(); check(); group(); sleep(); http.batch(); http.request(); }\n',
  "spread and optional chaining": 'import http from "k6/http";\nexport default function () { const args = ["http://127.0.0.1/"]; const r = http.get(...args); const v = r?.json?.("x"); http.post("http://127.0.0.1/p", { ...{ a: 1 } }); }\n',
  "options that are not literals": 'const vus = Number(__ENV.VUS);\nexport const options = { vus, duration: `${vus}s`, ...{ iterations: 2 }, scenarios: makeScenarios() };\nfunction makeScenarios() { return {}; }\nexport default function () {}\n',
  "recursion": 'import http from "k6/http";\nfunction a(n) { http.get("http://127.0.0.1/a"); if (n > 0) b(n - 1); }\nfunction b(n) { a(n); }\nexport default function () { a(3); }\n',
  "no default function": 'export function other() {}\n',
  "empty": "",
  "a thousand nested ifs": `import http from "k6/http";\nexport default function () {\n${"if (__VU > 0) {\n".repeat(1000)}http.get("http://127.0.0.1/deep");\n${"}\n".repeat(1000)}}\n`,
};

describe("odd k6 scripts convert without a crash", () => {
  for (const [name, source] of Object.entries(ODD)) {
    test(name, () => {
      let conversion;
      try {
        conversion = k6Converter.convert({ source, fileName: "odd.js", options: {} });
      } catch (error) {
        // Only a parse failure may throw, and it names a position.
        expect(error).toBeInstanceOf(ConvertInputError);
        expect((error as Error).message).toMatch(/^odd\.js:\d+:\d+: /);
        return;
      }
      for (const note of conversion.notes) expect(note.where).toMatch(/^odd\.js(:\d+:\d+)?$/);
      const text = emitPlan(conversion, { from: "k6 odd.js" });
      const loaded = loadPlan({ text, file: "plan.yaml", baseDir: "/", env: {} }, { mode: "validate", modules: BUILTINS, readFile: () => "export function x() {}\n" } as never);
      if (!loaded.ok && !conversion.hooks) throw new Error(loaded.issues.map((i) => `${i.message}`).join("\n") + "\n" + text);
    });
  }
});
