// The controller's HTTP API: token rule, exposure rule, submission checks, persistence across a
// controller restart, Prometheus text (live run totals), SSE of a finished run.
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startAgent } from "../../../src/cluster/agent/agent.ts";
import { ControllerClient, submitRun } from "../../../src/cluster/client.ts";
import { checkApiExposure } from "../../../src/cluster/http-api.ts";
import { LoadrError } from "../../../src/shared/errors.ts";
import { EXIT_EXTERNAL_ABORT } from "../../../src/shared/exit-codes.ts";
import { SIMPLE_PLAN, fakeEngine, tempDir, testController, waitFor } from "./helpers.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tmp() {
  const t = tempDir();
  cleanups.push(() => t.cleanup());
  return t.dir;
}

describe("token rule", () => {
  test("beyond loopback without --api-token the controller refuses to start", async () => {
    expect(() => checkApiExposure("0.0.0.0", undefined)).toThrow(/refusing to serve the HTTP API on 0\.0\.0\.0 without --api-token/);
    expect(() => checkApiExposure("10.1.2.3", "")).toThrow(/without --api-token/);
    expect(() => checkApiExposure("0.0.0.0", "t")).not.toThrow();
    for (const h of ["127.0.0.1", "localhost", "::1", "[::1]", "127.3.4.5"]) expect(() => checkApiExposure(h, undefined)).not.toThrow();
    await expect(testController(tmp(), { http: "0.0.0.0:0" })).rejects.toThrow(/without --api-token/);
  });

  test("with a token, requests without it get 401; /healthz stays open", async () => {
    const c = await testController(tmp(), { apiToken: "s3cret" });
    cleanups.push(() => c.stop());
    expect((await fetch(`${c.httpUrl}/api/runs`)).status).toBe(401);
    expect((await fetch(`${c.httpUrl}/api/runs`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    expect((await fetch(`${c.httpUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${c.httpUrl}/api/runs`, { headers: { authorization: "Bearer s3cret" } })).status).toBe(200);
    expect((await fetch(`${c.httpUrl}/healthz`)).status).toBe(200);
  });
});

describe("the client (one for loadr run --controller and loadr control)", () => {
  test("every failure names the URL and says what to do", async () => {
    const c = await testController(tmp(), { apiToken: "s3cret" });
    cleanups.push(() => c.stop());
    const refused = async (call: Promise<unknown>) => {
      const error = (await call.then(() => undefined, (e: unknown) => e)) as LoadrError | undefined;
      expect(error).toBeInstanceOf(LoadrError);
      return { message: error!.message, hint: error!.hint ?? "" };
    };
    // Nothing listens on port 9 of loopback.
    const down = await refused(new ControllerClient("http://127.0.0.1:9/").listRuns());
    expect(down.message).toContain("cannot reach the controller at http://127.0.0.1:9/api/runs");
    expect(down.hint).toContain("--controller");
    const noToken = await refused(new ControllerClient(c.httpUrl!).listAgents());
    expect(noToken.message).toContain(`the controller at ${c.httpUrl} wants an API token`);
    expect(noToken.hint).toContain("--api-token");
    const client = new ControllerClient(c.httpUrl!, "s3cret");
    expect(await client.listRuns()).toEqual([]);
    const missing = await refused(client.control("r-nope", { action: "stop" }));
    expect(missing.message).toBe(`POST ${c.httpUrl}/api/runs/r-nope/control: no run r-nope`);
    expect(missing.hint).toContain("loadr control list");
  });
});

describe("submission checks", () => {
  test("data files named ../etc/passwd or /etc/passwd are refused", async () => {
    const c = await testController(tmp());
    cleanups.push(() => c.stop());
    for (const path of ["../etc/passwd", "/etc/passwd"]) {
      const res = await fetch(`${c.httpUrl}/api/runs`, { method: "POST", body: JSON.stringify({ plan: SIMPLE_PLAN, files: { [path]: "eA==" } }) });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { error: string }).error).toMatch(/absolute|contains "\.\."/);
    }
  });

  test("the client refuses a plan whose data file is outside its directory", async () => {
    const dir = tmp();
    mkdirSync(join(dir, "plans"));
    writeFileSync(join(dir, "users.csv"), "name\nx\n");
    const plan = SIMPLE_PLAN.replace("scenarios:", "data:\n  users:\n    csv: ../users.csv\nscenarios:");
    writeFileSync(join(dir, "plans", "plan.yaml"), plan);
    await expect(submitRun("http://127.0.0.1:9", { planPath: join(dir, "plans", "plan.yaml"), env: {} })).rejects.toThrow(/contains "\.\."/);
  });

  test("an invalid plan is refused with every problem (422 → exit 104)", async () => {
    const c = await testController(tmp());
    cleanups.push(() => c.stop());
    const res = await fetch(`${c.httpUrl}/api/runs`, { method: "POST", body: JSON.stringify({ plan: "scenarios: 3\n" }) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; exitCode: number };
    expect(body.exitCode).toBe(104);
    expect(body.error).toContain("invalid plan");
  });
});

test("runs, their agents, summaries and series survive a controller restart", async () => {
  const data = tmp();
  const planDir = tmp();
  writeFileSync(join(planDir, "users.csv"), "name\nann\nbob\n");
  const plan = SIMPLE_PLAN.replace("scenarios:", "data:\n  users:\n    csv: users.csv\nscenarios:");
  writeFileSync(join(planDir, "plan.yaml"), plan);
  const first = await testController(data);
  // 1.5 s of load, so at least one of the controller's per-second series ticks falls inside the run.
  const engine = fakeEngine({ perScenario: 50, ticks: 15, tickMs: 100 });
  const agents = ["a", "b"].map((name) => startAgent({ join: first.grpcTarget, name, startLocalRun: engine.start, workers: 1, log: () => {} }));
  cleanups.push(async () => {
    for (const a of agents) await a.stop();
  });
  await waitFor("agents", () => first.registry.all().length === 2);
  const runs = await Promise.all([1, 2].map(() => submitRun(first.httpUrl!, { planPath: join(planDir, "plan.yaml"), env: {} })));
  const results = await Promise.all(runs.map((r) => r.result));
  expect(results.map((r) => r.status)).toEqual(["finished", "finished"]);
  // The shipped CSV reached the agents.
  expect(engine.runs.every((r) => r.options.source.baseDir.includes("loadr-run-"))).toBe(true);
  await first.stop();

  const second = await testController(data);
  cleanups.push(() => second.stop());
  const list = (await (await fetch(`${second.httpUrl}/api/runs`)).json()) as { runs: Array<{ id: string; status: string; agents: unknown[] }> };
  expect(list.runs.map((r) => r.id).sort()).toEqual(runs.map((r) => r.runId).sort());
  expect(list.runs.every((r) => r.status === "finished" && r.agents.length >= 1)).toBe(true);
  const detail = (await (await fetch(`${second.httpUrl}/api/runs/${runs[0]!.runId}`)).json()) as { summary: { metrics: Array<{ name: string; values: { count?: number } }> } };
  expect(detail.summary.metrics.find((m) => m.name === "http_reqs")?.values.count).toBe(50);
  const series = (await (await fetch(`${second.httpUrl}/api/runs/${runs[0]!.runId}/series`)).json()) as { series: unknown[] };
  expect(series.series.length).toBeGreaterThan(0);
  // A finished run's event stream answers at once with its end.
  const sse = await (await fetch(`${second.httpUrl}/api/runs/${runs[1]!.runId}/events`)).text();
  expect(sse).toContain("event: finished");
  const metrics = await (await fetch(`${second.httpUrl}/metrics`)).text();
  expect(metrics).toContain('loadr_runs{status="finished"} 2');
  expect(metrics).toContain('loadr_agents{state="idle"}');
}, 30_000);

test("live: /metrics counts a running run's merged requests; a late SSE client of an ended run gets its past events and the end", async () => {
  const c = await testController(tmp(), { livenessMs: 1_000, heartbeatMs: 200 });
  cleanups.push(() => c.stop());
  const engine = fakeEngine({ perScenario: 100, ticks: Infinity, tickMs: 100 });
  const agents = ["a", "b"].map((name) => startAgent({ join: c.grpcTarget, name, startLocalRun: engine.start, workers: 1, log: () => {}, heartbeatMs: 200 }));
  cleanups.push(async () => {
    for (const a of agents) await a.stop();
  });
  await waitFor("agents", () => c.registry.all().filter((e) => e.status.state === "idle").length === 2);
  const planDir = tmp();
  writeFileSync(join(planDir, "plan.yaml"), SIMPLE_PLAN);
  const run = await submitRun(c.httpUrl!, { planPath: join(planDir, "plan.yaml"), env: {} });
  const api = (path: string, body?: object) => fetch(`${c.httpUrl}${path}`, body ? { method: "POST", body: JSON.stringify(body) } : {});
  const counted = async () => Number(new RegExp(`loadr_run_http_reqs_total\\{run_id="${run.runId}"\\} (\\d+)`).exec(await (await api("/metrics")).text())?.[1] ?? NaN);
  await waitFor("a live request count", async () => (await counted()) > 0);
  // Paused, the fleet sends nothing: once a whole second passed without requests, /metrics must
  // show the sum of every second so far (the series), not the last second.
  expect((await api(`/api/runs/${run.runId}/control`, { action: "pause" })).status).toBe(200);
  type Point = { data: { http_reqs?: { count: number } } };
  const series = async () => ((await (await api(`/api/runs/${run.runId}/series`)).json()) as { series: Point[] }).series;
  await waitFor("a second without requests", async () => (await series()).at(-1)?.data.http_reqs?.count === 0, 5_000);
  const sum = (await series()).reduce((n, p) => n + (p.data.http_reqs?.count ?? 0), 0);
  const live = await counted();
  expect(live).toBeGreaterThan(0);
  expect(live).toBe(sum);
  expect((await api(`/api/runs/${run.runId}/control`, { action: "stop" })).status).toBe(200);
  const result = await run.result;
  expect(result.status).toBe("stopped");
  const total = (result.summary as { metrics: Array<{ name: string; values: { count?: number } }> }).metrics.find((m) => m.name === "http_reqs")?.values.count;
  expect(total).toBe(live);
  // An ended run leaves the live figures.
  expect(Number.isNaN(await counted())).toBe(true);

  const sse = await (await api(`/api/runs/${run.runId}/events`)).text();
  const events = sse.split("\n").filter((l) => l.startsWith("data: ")).map((l) => JSON.parse(l.slice(6)) as { type: string; exitCode?: number; summary?: unknown });
  expect(events[0]?.type).toBe("status");
  expect(events.some((e) => e.type === "agent")).toBe(true);
  const end = events.at(-1)!;
  expect(end.type).toBe("finished");
  expect(end.exitCode).toBe(EXIT_EXTERNAL_ABORT);
  expect(end.summary).toBeDefined();
}, 30_000);
