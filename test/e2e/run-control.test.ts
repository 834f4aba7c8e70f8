// Stopping a run: Ctrl-C (SIGINT) on the binary, abortOnFail, and the local control API (pause
// and resume seen from the target's own count). Each way, the summary is printed and
// --summary-json is written.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { requireBinary } from "../helpers/binary.ts";
import { demoStats, writePlan } from "../helpers/plans.ts";
import { EXIT_EXTERNAL_ABORT } from "../../src/shared/exit-codes.ts";
import { startDemoServer, type DemoServer } from "../../src/demo/server.ts";
import { apiShapes, checkShape } from "../helpers/shapes.ts";

const API_SHAPES = apiShapes();

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0 });
});
afterAll(async () => {
  await demo.stop();
});

const longPlan = (extra = "") => `
name: long
baseUrl: \${env.BASE_URL}
scenarios:
  steady:
    executor: constant-vus
    vus: 4
    duration: 60s
    gracefulStop: 2s
    flow:
      - request: { url: /json }
      - sleep: 20ms
${extra}`;

function spawnRun(planPath: string, args: string[] = []) {
  return Bun.spawn([requireBinary(), "run", planPath, "--summary-json", `${planPath}.json`, ...args], {
    env: { ...process.env, BASE_URL: demo.url, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(50);
  }
}

describe("stopping a run", () => {
  test("Ctrl-C stops gracefully, prints the summary, writes the JSON and exits 105", async () => {
    const plan = writePlan(longPlan());
    try {
      const child = spawnRun(plan.planPath);
      let served = 0;
      await waitFor(async () => {
        served = ((await (await fetch(`${demo.url}/_stats`)).json()) as { total: number }).total;
        return served > 20;
      });
      const started = performance.now();
      child.kill("SIGINT");
      const code = await child.exited;
      const stdout = await new Response(child.stdout).text();
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(code).toBe(EXIT_EXTERNAL_ABORT);
      expect(stdout).toContain("interrupted");
      const summary = JSON.parse(readFileSync(`${plan.planPath}.json`, "utf8"));
      expect(summary.metrics.http_reqs.count).toBeGreaterThan(0);
    } finally {
      plan.cleanup();
    }
  });

  test("an abortOnFail threshold stops the run early, exits 99 and names the threshold", async () => {
    const plan = writePlan(
      longPlan(`thresholds:
  http_req_duration:
    - threshold: "p(95)<0.001"
      abortOnFail: true
      delayAbortEval: 1s
`),
    );
    try {
      const started = performance.now();
      const child = spawnRun(plan.planPath, ["--quiet"]);
      const code = await child.exited;
      const stdout = await new Response(child.stdout).text();
      expect(code).toBe(99);
      expect(performance.now() - started).toBeLessThan(20_000);
      expect(stdout).toContain("p(95)<0.001");
      const summary = JSON.parse(readFileSync(`${plan.planPath}.json`, "utf8"));
      expect(summary.metrics.http_req_duration.thresholds["p(95)<0.001"].ok).toBe(false);
      expect(summary.aborted).toMatchObject({ threshold: "http_req_duration", expression: "p(95)<0.001" });
    } finally {
      plan.cleanup();
    }
  });

  test("the control API pauses the load (the target sees no request), resumes it, and stops the run (exit 105)", async () => {
    const plan = writePlan(longPlan());
    try {
      const child = spawnRun(plan.planPath, ["--api", "127.0.0.1:0"]);
      // The API's address is announced on stderr.
      const reader = child.stderr.getReader();
      let stderr = "";
      let apiUrl: string | undefined;
      await waitFor(async () => {
        const { value, done } = await reader.read();
        if (done) throw new Error(`run ended early: ${stderr}`);
        stderr += new TextDecoder().decode(value);
        apiUrl = /control API on (http:\/\/\S+)/.exec(stderr)?.[1];
        return apiUrl !== undefined;
      });
      reader.releaseLock();
      const served = async () => (await demoStats(demo.url)).total;
      await waitFor(async () => ((await (await fetch(`${apiUrl}/v1/status`)).json()) as { state: string }).state === "running");
      // The status has its documented shape (docs/api.md) and shows the scenario's VUs that run.
      await waitFor(async () => ((await (await fetch(`${apiUrl}/v1/status`)).json()) as { reporting: boolean }).reporting);
      const status = (await (await fetch(`${apiUrl}/v1/status`)).json()) as { scenarios: Array<{ name: string; activeVus: number; maxVus: number }> };
      expect(checkShape(status, "LocalRunStatus", API_SHAPES)).toEqual([]);
      expect(status.scenarios.map((sc) => [sc.name, sc.activeVus, sc.maxVus])).toEqual([["steady", 4, 4]]);
      const before = await served();
      await waitFor(async () => (await served()) > before + 10);

      const paused = (await (await fetch(`${apiUrl}/v1/pause`, { method: "POST" })).json()) as { state: string };
      expect(paused.state).toBe("paused");
      // Requests in flight at the pause may still land; after that the count must hold still.
      let settled = await served();
      await waitFor(async () => {
        await Bun.sleep(200);
        const now = await served();
        const still = now === settled;
        settled = now;
        return still;
      }, 5_000);
      await Bun.sleep(1_000);
      expect(await served()).toBe(settled);

      const resumed = (await (await fetch(`${apiUrl}/v1/resume`, { method: "POST" })).json()) as { state: string };
      expect(resumed.state).toBe("running");
      await waitFor(async () => (await served()) > settled + 10);

      const bad = await fetch(`${apiUrl}/v1/scale`, { method: "POST", body: JSON.stringify({ scenario: "steady", vus: 3 }) });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toBe('scenario "steady" cannot be scaled (its executor has no run-time VU count); scalable: none');

      await fetch(`${apiUrl}/v1/stop`, { method: "POST" });
      expect(await child.exited).toBe(EXIT_EXTERNAL_ABORT);
      const stdout = await new Response(child.stdout).text();
      expect(stdout).toContain("http_reqs");
      expect(stdout).toMatch(/interrupted \(.*control API.*\)/);
      const summary = JSON.parse(readFileSync(`${plan.planPath}.json`, "utf8"));
      expect(summary.metrics.http_reqs.count).toBeGreaterThan(settled - before);
      expect(summary.notes.some((n: string) => n.includes("interrupted"))).toBe(true);
    } finally {
      plan.cleanup();
    }
  });
});
