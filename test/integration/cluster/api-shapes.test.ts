// docs/api.md is the one place the controller's HTTP API shapes are written down: every route's
// answer from a real controller (two agents on the real engine, against the demo target) must
// have its documented shape, and the live figures must tell the truth (VUs that run, one shape
// per metric type, per-scenario progress that adds up to the summary).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startLocalCluster, type LocalCluster } from "../../../src/cluster/local-cluster.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { apiShapes, checkShape, parseShapes } from "../../helpers/shapes.ts";
import { waitFor } from "./helpers.ts";

const SHAPES = apiShapes();

describe("the shape checker", () => {
  const defs = parseShapes("```shape\nA = { n: number, s?: string, u: \"x\" | \"y\", list: B[], [extra]: boolean }\nB = { k: number | null }\nC = { n: number }\n```\n");
  test("accepts what conforms", () => {
    expect(checkShape({ n: 1, u: "x", list: [{ k: null }, { k: 2 }], more: true }, "A", defs)).toEqual([]);
  });
  test("names every missing, undocumented and mistyped field", () => {
    expect(checkShape({ u: "z", list: [{ k: "1" }], more: 1 }, "A", defs)).toEqual([
      "$.n: missing",
      '$.u: matches none of "x" | "y": $.u: expected "x", got "z"; $.u: expected "y", got "z"',
      "$.list[0].k: matches none of number | null: $.list[0].k: expected number, got \"1\"; $.list[0].k: expected null, got \"1\"",
      '$["more"]: expected boolean, got 1',
    ]);
    expect(checkShape({ n: 1, extra: 2 }, "C", defs)).toEqual(["$.extra: not documented"]);
    expect(checkShape({ n: 1 }, "Nope", defs)).toEqual(["no shape named Nope is documented"]);
  });
  test("refuses a reference to an undefined shape", () => {
    expect(() => parseShapes("```shape\nA = { b: B }\n```\n")).toThrow("A refers to B, which no shape block defines");
  });
});

const PLAN = `name: shapes
baseUrl: \${env.BASE_URL}
scenarios:
  browse:
    executor: constant-vus
    vus: 4
    duration: 3s
    flow:
      - group: home
        steps:
          - request: { name: home, url: /, checks: [{ status: 200 }] }
      - sleep: 50ms
  batch:
    executor: shared-iterations
    vus: 2
    iterations: 20
    maxDuration: 20s
    flow:
      - request: { url: /delay/20 }
thresholds:
  http_req_duration: ["p(95)<5000"]
  dropped_iterations: ["count<1"]
  "http_req_duration{scenario:nope}": ["p(99)<1"]
`;

let demo: DemoServer;
let cluster: LocalCluster;
beforeAll(async () => {
  demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
  cluster = await startLocalCluster(2, { workersPerAgent: 1 });
});
afterAll(async () => {
  await cluster.stop();
  await demo.stop();
});

type Json = Record<string, unknown>;

async function get(path: string, init?: RequestInit): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${cluster.controllerUrl}${path}`, init);
  return { status: response.status, body: (await response.json()) as Json };
}

function expectShape(value: unknown, shape: string): void {
  expect({ shape, problems: checkShape(value, shape, SHAPES) }).toEqual({ shape, problems: [] });
}

/** Reads a run's SSE stream to its end: every event, in order. */
async function readEvents(runId: string): Promise<Json[]> {
  const response = await fetch(`${cluster.controllerUrl}/api/runs/${runId}/events`);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const text = await response.text();
  const events: Json[] = [];
  for (const block of text.split("\n\n")) {
    const type = /^event: (.+)$/m.exec(block)?.[1];
    const data = /^data: (.+)$/m.exec(block)?.[1];
    if (data === undefined) continue;
    const event = JSON.parse(data) as Json;
    expect(event.type).toBe(type);
    events.push(event);
  }
  return events;
}

test("every route answers in its documented shape, and the live figures tell the truth", async () => {
  expectShape((await get("/healthz")).body, "HealthzResponse");
  const agents = await get("/api/agents");
  expectShape(agents.body, "AgentsResponse");
  expect((agents.body.agents as unknown[]).length).toBe(2);

  const submit = await get("/api/runs", { method: "POST", body: JSON.stringify({ plan: PLAN, planFile: "plan.yaml", env: { BASE_URL: demo.url } }) });
  expect(submit.status).toBe(202);
  expectShape(submit.body, "SubmitResponse");
  const runId = submit.body.id as string;
  const events = readEvents(runId);

  // While it runs: the run, the history, the series so far, a refused and an accepted control.
  await waitFor("the run to start", async () => (await get(`/api/runs/${runId}`)).body.status === "running");
  const live = await get(`/api/runs/${runId}`);
  expectShape(live.body, "RunView");
  expectShape((await get("/api/runs")).body, "RunsResponse");
  const bad = await get(`/api/runs/${runId}/control`, { method: "POST", body: JSON.stringify({ action: "explode" }) });
  expect(bad.status).toBe(400);
  expectShape(bad.body, "ErrorResponse");
  const scale = await get(`/api/runs/${runId}/control`, { method: "POST", body: JSON.stringify({ action: "scale", scenario: "browse", vus: 9 }) });
  expect(scale.status).toBe(400);
  expectShape(scale.body, "ErrorResponse");
  await waitFor("a series point", async () => ((await get(`/api/runs/${runId}/series`)).body.series as unknown[]).length > 0);
  expectShape((await get(`/api/runs/${runId}/series`)).body, "SeriesResponse");

  const all = await events;
  for (const event of all) expectShape(event, "RunEvent");
  const finished = all.at(-1)!;
  expect(finished).toMatchObject({ type: "finished", status: "finished", exitCode: 0 });

  // Progress: nothing drawn from made-up zeros, then the VUs that run, per scenario.
  type Progress = { reporting: boolean; final: boolean; activeVus: number; maxVus: number; scenarios: Array<{ name: string; completed: number; interrupted: number; maxVus: number; activeVus: number }> };
  const progress = all.filter((e) => e.type === "progress") as unknown as Progress[];
  const reporting = progress.filter((p) => p.reporting);
  expect(reporting.length).toBeGreaterThan(0);
  expect(reporting[0]!.activeVus).toBeGreaterThan(0);
  expect(reporting[0]!.maxVus).toBe(6);
  expect(reporting[0]!.scenarios.map((s) => [s.name, s.maxVus])).toEqual([["browse", 4], ["batch", 2]]);
  expect(progress.at(-1)!.final).toBe(true);
  expect(progress.filter((p) => p.final)).toHaveLength(1);

  // The ended run: its summary's shape, and its per-scenario counts agree with the metrics.
  const ended = await get(`/api/runs/${runId}`);
  expectShape(ended.body, "RunView");
  const summary = ended.body.summary as {
    scenarios: Array<{ name: string; executor: string; completed: number; interrupted: number; dropped: number; maxVus: number }>;
    metrics: Array<{ name: string; values: Record<string, number>; thresholds: Array<{ noData: boolean; noSamples: boolean; ok: boolean; observed: number | null }> }>;
  };
  const metric = (name: string) => summary.metrics.find((m) => m.name === name)!;
  expect(summary.scenarios.find((s) => s.name === "batch")).toEqual({ name: "batch", executor: "shared-iterations", completed: 20, interrupted: 0, dropped: 0, maxVus: 2 });
  const completed = summary.scenarios.reduce((n, s) => n + s.completed + s.interrupted, 0);
  expect(completed).toBe(metric("iterations").values.count!);
  expect(progress.at(-1)!.scenarios.reduce((n, s) => n + s.completed + s.interrupted, 0)).toBe(completed);
  expect(metric("vus_max").values.value).toBe(6);
  // k6's threshold semantics: the counter without samples was evaluated as 0, the empty trend not at all.
  expect(metric("dropped_iterations").values).toEqual({ count: 0, rate: 0 });
  expect(metric("dropped_iterations").thresholds[0]).toMatchObject({ ok: true, observed: 0, noSamples: true, noData: false });
  expect(metric("http_req_duration{scenario:nope}").thresholds[0]).toMatchObject({ ok: true, observed: null, noSamples: true, noData: true });

  // The series: one shape per metric type; the fleet's VUs are a gauge like any other, never a bare number or a made-up 0.
  const series = (await get(`/api/runs/${runId}/series`)).body as { series: Array<{ data: Record<string, Record<string, number>> }> };
  expectShape(series, "SeriesResponse");
  const vus = series.series.map((p) => p.data.vus).filter((v) => v !== undefined);
  expect(vus.length).toBeGreaterThan(0);
  expect(vus[0]!.value).toBeGreaterThan(0);
  expect(series.series.reduce((n, p) => n + (p.data.http_reqs?.count ?? 0), 0)).toBe(metric("http_reqs").values.count!);
  // Per agent, the requests of its merged batches: over the agents and the seconds, every request once.
  const agentIds = (ended.body.agents as Array<{ agentId: string }>).map((a) => a.agentId);
  const perAgent = agentIds.map((id) => series.series.reduce((n, p) => n + (p.data[`agent_reqs{agent:${id}}`]?.count ?? 0), 0));
  expect(perAgent.every((n) => n > 0)).toBe(true);
  expect(perAgent.reduce((a, b) => a + b, 0)).toBe(metric("http_reqs").values.count!);

  // The report of the stored run: one self-contained HTML page with the run's figures and its fleet.
  const report = await fetch(`${cluster.controllerUrl}/api/runs/${runId}/report`);
  expect(report.status).toBe(200);
  expect(report.headers.get("content-type")).toBe("text/html; charset=utf-8");
  const html = await report.text();
  expect(html).toStartWith("<!doctype html>");
  expect(html).toContain(`run <code>${runId}</code>`);
  expect(html).toContain(`<div class="value">${metric("http_reqs").values.count!.toLocaleString("en-US")}</div>`);
  expect(html).toContain(`${agentIds.length} agents took part, none lost.`);
  expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?https?:/i);

  // The ended run refuses controls; unknown runs and routes; an invalid plan.
  const late = await get(`/api/runs/${runId}/control`, { method: "POST", body: JSON.stringify({ action: "stop" }) });
  expect(late.status).toBe(409);
  expectShape(late.body, "ErrorResponse");
  for (const path of ["/api/runs/r-nope", "/api/runs/r-nope/series", "/api/runs/r-nope/report", "/api/nothing"]) {
    const missing = await get(path);
    expect(missing.status).toBe(404);
    expectShape(missing.body, "ErrorResponse");
  }
  const invalid = await get("/api/runs", { method: "POST", body: JSON.stringify({ plan: "scenarios: 3\n" }) });
  expect(invalid.status).toBe(422);
  expectShape(invalid.body, "ErrorResponse");
}, 60_000);
