// examples/hooks/ through the compiled binary (the module is bundled inside the binary's worker
// threads): setup logs in once against the demo target for the whole run on 2 workers, every
// signed order's HMAC comes back from /echo, the custom Trend's threshold is evaluated, and
// `loadr validate` reports a js step naming a missing export (exit 104).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { requireBinary } from "../helpers/binary.ts";
import { demoStats, writePlan } from "../helpers/plans.ts";
import { startDemoServer, type DemoServer } from "../../src/demo/server.ts";

const EXAMPLE = join(import.meta.dir, "..", "..", "examples", "hooks");
let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

async function loadr(args: string[]) {
  const child = Bun.spawn([requireBinary(), ...args], { env: { ...process.env, BASE_URL: demo.url, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { stdout, stderr, code };
}

describe("examples/hooks through the binary", () => {
  test("setup logs in once; every order is signed and checked; the custom Trend's threshold passes", async () => {
    const dir = writePlan("");
    try {
      const before = await demoStats(demo.url);
      const { code, stderr } = await loadr(["run", join(EXAMPLE, "plan.yaml"), "--workers", "2", "--quiet", "--summary-json", dir.path("summary.json")]);
      const after = await demoStats(demo.url);
      expect(stderr).not.toContain("failed");
      expect(code).toBe(0);
      const summary = JSON.parse(readFileSync(dir.path("summary.json"), "utf8"));
      expect((after.byPath["/login"] ?? 0) - (before.byPath["/login"] ?? 0)).toBe(1);
      const orders = (after.byPath["/echo"] ?? 0) - (before.byPath["/echo"] ?? 0);
      expect(orders).toBeGreaterThan(0);
      expect(summary.root_group.checks["js echoedSignatureMatches"]).toMatchObject({ passes: orders, fails: 0 });
      expect(summary.metrics.cart_value.thresholds["p(95)<400"].ok).toBe(true);
      expect(summary.metrics.cart_value.min).toBeGreaterThanOrEqual(12.4);
    } finally {
      dir.cleanup();
    }
  }, 90_000);

  test("--local-agents 3: setup runs once for the whole fleet (in the submitting process); every agent's VUs get its data; its login counts in the merged metrics", async () => {
    const dir = writePlan("");
    try {
      const before = await demoStats(demo.url);
      const { code, stderr } = await loadr(["run", join(EXAMPLE, "plan.yaml"), "--local-agents", "3", "--quiet", "--summary-json", dir.path("summary.json")]);
      const after = await demoStats(demo.url);
      expect(stderr).not.toContain("failed");
      expect(code).toBe(0);
      const summary = JSON.parse(readFileSync(dir.path("summary.json"), "utf8"));
      expect((after.byPath["/login"] ?? 0) - (before.byPath["/login"] ?? 0)).toBe(1);
      // Every request the target saw is in the merged count, setup's login included.
      expect(summary.metrics.http_reqs.count).toBe(after.total - before.total);
      // The /me check compares the answer with ${setup.user}: it only passes where setup's data arrived.
      const checks = Object.entries(summary.root_group.checks as Record<string, { passes: number; fails: number }>);
      expect(checks.length).toBeGreaterThan(0);
      for (const [name, check] of checks) expect({ name, fails: check.fails }).toEqual({ name, fails: 0 });
      expect(summary.fleet.agents.length).toBe(3);
    } finally {
      dir.cleanup();
    }
  }, 120_000);

  test("loadr validate: a js step naming a missing export is exit 104 at the step, with the module", async () => {
    const dir = writePlan(`hooks: ./hooks.ts\nflow:\n  - js: sgn\n`, { "hooks.ts": "export function sign() {}\n" });
    try {
      const { code, stdout, stderr } = await loadr(["validate", dir.planPath]);
      expect(code).toBe(104);
      expect(stdout + stderr).toContain(`:3:9  flow.0.js: the hooks module ./hooks.ts (hooks.ts:1:1) has no export "sgn"; did you mean "sign"?`);
    } finally {
      dir.cleanup();
    }
  }, 30_000);
});
