// `loadr run` in-process with a hooks module, against the real demo target (port 0): setup logs in
// once for the whole run, a js step's HMAC reaches /echo, a custom Trend's percentiles and its
// threshold, a hook that never returns or reads `process`/`Bun`, and a setup that throws.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { WHOLE } from "../../../src/core/segment.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { demoStats, writePlan } from "../../helpers/plans.ts";

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

async function run(yaml: string, files: Record<string, string>, options: { workers?: number; env?: Record<string, string> } = {}) {
  const plan = writePlan(yaml, files);
  const { io, stderr } = memoryIO({ BASE_URL: demo.url, ...options.env });
  try {
    const started = performance.now();
    const code = await runLocal(
      { planPath: plan.planPath, env: io.env, workers: options.workers ?? 2, segment: WHOLE, summaryJson: plan.path("summary.json"), quiet: true, color: false },
      io,
    );
    const elapsedMs = performance.now() - started;
    let summary: any;
    try {
      summary = JSON.parse(readFileSync(plan.path("summary.json"), "utf8"));
    } catch {
      summary = undefined;
    }
    return { code, summary, stderr: stderr(), elapsedMs };
  } finally {
    plan.cleanup();
  }
}

const notesOf = (summary: any): string[] => summary?.notes ?? [];
const checksOf = (summary: any): Array<[string, number, number]> =>
  Object.entries(summary.root_group.checks as Record<string, { passes: number; fails: number }>).map(([name, c]) => [name, c.passes, c.fails]);

describe("hooks in a local run", () => {
  test("setup logs in once for the whole run (2 workers) and every VU uses its token", async () => {
    const before = await demoStats(demo.url);
    const { code, summary } = await run(
      `
baseUrl: \${env.BASE_URL}
hooks: ./hooks.ts
scenarios:
  me:
    executor: per-vu-iterations
    vus: 4
    iterations: 3
    flow:
      - request:
          url: /me
          headers: { authorization: "Bearer \${setup.token}" }
          checks:
            - status: 200
            - json: $.user
              equals: alice
`,
      {
        "hooks.ts": `
export async function setup(ctx: { http: any }) {
  const res = await ctx.http.request({ method: "POST", url: "/login", json: { user: "alice", password: "secret" } });
  if (res.status !== 200) throw new Error("login failed: " + res.status);
  return { token: res.json().token };
}
`,
      },
    );
    const after = await demoStats(demo.url);
    expect(code).toBe(0);
    expect((after.byPath["/login"] ?? 0) - (before.byPath["/login"] ?? 0)).toBe(1);
    expect((after.byPath["/me"] ?? 0) - (before.byPath["/me"] ?? 0)).toBe(12);
    expect(checksOf(summary)).toEqual([
      ["status is 200", 12, 0],
      ["$.user equals alice", 12, 0],
    ]);
    // The login request is counted too, under k6's ::setup group.
    expect(summary.metrics.http_reqs.count).toBe(13);
  }, 60_000);

  test("a js step computes an HMAC-SHA256 header over the body; /echo shows the value the test computes", async () => {
    const body = "order=42&amount=9.99";
    const expected = createHmac("sha256", "s3cret").update(body).digest("hex");
    const { code, summary } = await run(
      `
baseUrl: \${env.BASE_URL}
hooks: ./hooks.ts
iterations: 5
vus: 2
flow:
  - js: sign
    args: ["${body}"]
  - request:
      method: POST
      url: /echo
      body: "${body}"
      headers: { x-signature: "\${vars.signature}" }
      checks:
        - json: $.headers.x-signature
          equals: \${env.EXPECTED}
        - js: bodyIsSigned
`,
      {
        "hooks.ts": `
import { hex } from "./hex.ts";
export async function sign(ctx: any, body: string) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("s3cret"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return { signature: hex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body))) };
}
export function bodyIsSigned(ctx: any, res: any) {
  return res.json().headers["x-signature"] === ctx.vars.signature || "the echoed signature differs";
}
`,
        "hex.ts": `export const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");\n`,
      },
      { env: { EXPECTED: expected } },
    );
    expect(code).toBe(0);
    expect(checksOf(summary)).toEqual([
      ["$.headers.x-signature equals ${env.EXPECTED}", 5, 0],
      ["js bodyIsSigned", 5, 0],
    ]);
  }, 60_000);

  test("init once per VU, before/afterIteration around each iteration; ctx.vars is read-write, ctx.data has the feed row, objects come back as JSON", async () => {
    const before = await demoStats(demo.url);
    const { code, summary } = await run(
      `
baseUrl: \${env.BASE_URL}
hooks: ./hooks.ts
data:
  users: { csv: users.csv }
scenarios:
  s:
    executor: per-vu-iterations
    vus: 2
    iterations: 3
    flow:
      - request:
          url: "/echo?init=\${vars.inits}&before=\${vars.befores}&user=\${vars.user}"
          method: POST
          body: "\${vars.payload}"
          checks:
            - json: $.query.init
              equals: "1"
            - json: $.query.before
              equals: "\${iteration + 1}"
            - json: $.body
              equals: '{"user":"\${data.users.name}","n":\${iteration}}'
`,
      {
        "users.csv": "name\nada\nbob\n",
        "hooks.ts": `
export function init(ctx: any) { ctx.vars.inits = (Number(ctx.vars.inits) || 0) + 1; }
export function beforeIteration(ctx: any) {
  ctx.vars.befores = (Number(ctx.vars.befores) || 0) + 1;
  ctx.vars.user = ctx.data.users.name;
  ctx.vars.payload = { user: ctx.data.users.name, n: ctx.iteration };
}
export function afterIteration(ctx: any) { ctx.metrics.counter("afters").add(1); }
`,
      },
    );
    const after = await demoStats(demo.url);
    expect(code).toBe(0);
    expect((after.byPath["/echo"] ?? 0) - (before.byPath["/echo"] ?? 0)).toBe(6);
    expect(checksOf(summary).map(([, passes, fails]) => [passes, fails])).toEqual([[6, 0], [6, 0], [6, 0]]);
    expect(summary.metrics.afters.count).toBe(6);
  }, 60_000);

  test("a custom Trend: p(95) in the summary is the p(95) of the recorded values, with 1 and 2 workers; its failed threshold exits 99", async () => {
    const yaml = `
hooks: ./hooks.ts
metrics:
  cart_value: { type: trend }
scenarios:
  carts:
    executor: per-vu-iterations
    vus: 4
    iterations: 25
    flow:
      - js: record
thresholds:
  cart_value: ["p(95)<50"]
`;
    const files = { "hooks.ts": `export function record(ctx: any) { ctx.metrics.trend("cart_value").add(ctx.vu * 25 + ctx.iteration, { tier: "gold" }); }\n` };
    // What the hook records: vu 1..4 × iteration 0..24 → 25..124, each once.
    const values = Array.from({ length: 100 }, (_, i) => 25 + i).sort((a, b) => a - b);
    const p95 = values[Math.ceil(0.95 * values.length) - 1]!;
    for (const workers of [1, 2]) {
      const { code, summary } = await run(yaml, files, { workers });
      expect(code).toBe(99);
      const trend = summary.metrics.cart_value;
      expect(trend.thresholds["p(95)<50"].ok).toBe(false);
      expect(Math.abs(trend["p(95)"] - p95)).toBeLessThanOrEqual(p95 * 0.01);
      // HDR histograms keep 3 significant digits.
      expect(Math.abs(trend.min - 25)).toBeLessThan(0.05);
      expect(Math.abs(trend.max - 124)).toBeLessThan(0.2);
    }
  }, 90_000);

  test("an implicit metric (used, not declared) is recorded and typed; a threshold on an undeclared metric is a config error that says to declare it", async () => {
    const files = { "hooks.ts": `export function count(ctx: any) { ctx.metrics.counter("orders").add(2); }\n` };
    const ok = await run(`hooks: ./hooks.ts\niterations: 3\nflow:\n  - js: count\n`, files, { workers: 1 });
    expect(ok.code).toBe(0);
    expect(ok.summary.metrics.orders.count).toBe(6);
    const bad = await run(`hooks: ./hooks.ts\niterations: 3\nflow:\n  - js: count\nthresholds:\n  orders: ["count>1"]\n`, files, { workers: 1 });
    expect(bad.code).toBe(104);
    expect(bad.stderr).toContain('unknown metric "orders"');
    expect(bad.stderr).toContain("metrics: { orders: { type: trend } }");
  }, 60_000);

  test("while(true){} fails that iteration with 'timed out after 1s'; the other VU keeps running; the run ends on time", async () => {
    const before = await demoStats(demo.url);
    const { code, summary, elapsedMs } = await run(
      `
baseUrl: \${env.BASE_URL}
hooks: ./hooks.ts
scenarios:
  spin:
    executor: constant-vus
    vus: 2
    duration: 3s
    gracefulStop: 2s
    flow:
      - js: maybeSpin
      - request: { url: /json }
      - sleep: 100ms
`,
      { "hooks.ts": `export function maybeSpin(ctx: any) {\n  if (ctx.vu === 1) while (true) {}\n}\n` },
      { workers: 1 },
    );
    const after = await demoStats(demo.url);
    expect(code).toBe(0);
    const notes = notesOf(summary).join("\n");
    expect(notes).toContain("hook maybeSpin: timed out after 1s (hooks.ts:1:8)");
    expect(summary.metrics.hook_errors.count).toBeGreaterThanOrEqual(1);
    // Only VU 2 ever gets past the hook: its requests are every request the target saw.
    const served = (after.byPath["/json"] ?? 0) - (before.byPath["/json"] ?? 0);
    expect(served).toBe(summary.metrics.http_reqs.count);
    expect(served).toBeGreaterThanOrEqual(3);
    // 3 s of load plus at most gracefulStop, with room for a loaded machine; never the run's whole life.
    expect(elapsedMs).toBeLessThan(20_000);
  }, 60_000);

  test("a hook reading process.env or Bun.file gets a ReferenceError, reported with the hook and its file:line:col", async () => {
    const { code, summary } = await run(
      `hooks: ./hooks.ts\niterations: 2\nflow:\n  - js: readEnv\n  - js: readFile\n`,
      {
        "hooks.ts": `export function readEnv(ctx: any) {\n  return { home: process.env.HOME };\n}\nexport function readFile() {\n  return { text: String(Bun.file("/etc/passwd")) };\n}\n`,
      },
      { workers: 1 },
    );
    expect(code).toBe(0);
    const notes = notesOf(summary).join("\n");
    expect(notes).toMatch(/hook readEnv: ReferenceError: .*process.* \(hooks\.ts:2:\d+\)/);
    expect(summary.metrics.hook_errors.count).toBe(2);
    expect(summary.metrics.iterations.count).toBe(2);
  }, 60_000);

  test("a setup that throws stops the run before any load: exit 1 with the stack in the module's files", async () => {
    const before = await demoStats(demo.url);
    const { code, stderr } = await run(
      `baseUrl: \${env.BASE_URL}\nhooks: ./hooks.ts\niterations: 5\nflow:\n  - request: { url: /json }\n`,
      { "hooks.ts": `function check(ok: boolean) {\n  if (!ok) throw new Error("no credentials");\n}\nexport function setup() {\n  check(false);\n}\n` },
      { workers: 1 },
    );
    const after = await demoStats(demo.url);
    expect(code).toBe(1);
    expect(stderr).toContain("setup failed, so the run did not start: hook setup: Error: no credentials (hooks.ts:2:");
    expect(stderr).toMatch(/at check \(hooks\.ts:2:\d+\)/);
    expect(stderr).toMatch(/at setup \(hooks\.ts:5:\d+\)/);
    expect(after.total - before.total).toBe(0);
  }, 60_000);
});
