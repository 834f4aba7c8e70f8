// Runs through a real controller and real agents over gRPC on loopback, with a fake engine that
// reports exactly its share: merging, targeting, loss policies, controls, concurrency.
import { afterEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startAgent, type Agent } from "../../../src/cluster/agent/agent.ts";
import { submitRun } from "../../../src/cluster/client.ts";
import type { Controller } from "../../../src/cluster/controller/controller.ts";
import { newHistogram, toStored } from "../../../src/metrics/hdr.ts";
import { trendValue } from "../../../src/metrics/values.ts";
import type { Summary } from "../../../src/core/run/summary.ts";
import { EXIT_EXTERNAL_ABORT } from "../../../src/shared/exit-codes.ts";
import { SIMPLE_PLAN, fakeEngine, tempDir, testController, waitFor } from "./helpers.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cluster(agents: Array<{ name: string; labels?: Record<string, string> }>, engine = fakeEngine({ perScenario: 300, ticks: 3 }), over = {}) {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  const controller: Controller = await testController(join(tmp.dir, "data"), { livenessMs: 1_000, heartbeatMs: 200, ...over });
  cleanups.push(() => controller.stop());
  const started: Agent[] = agents.map((a) =>
    startAgent({ join: controller.grpcTarget, name: a.name, labels: a.labels ?? {}, startLocalRun: engine.start, workers: 1, log: () => {}, heartbeatMs: 200, livenessMs: 1_000 }),
  );
  for (const a of started) cleanups.push(() => a.stop());
  await waitFor("agents registered", () => controller.registry.all().filter((e) => e.status.state === "idle").length === agents.length);
  const planPath = (text: string, name = "plan.yaml") => {
    writeFileSync(join(tmp.dir, name), text);
    return join(tmp.dir, name);
  };
  return { controller, agents: started, engine, planPath, dir: tmp.dir };
}

function metric(summary: Summary, name: string) {
  return summary.metrics.find((m) => m.name === name)?.values ?? {};
}

describe("cluster runs", () => {
  test("three agents: merged http_reqs is exact and percentiles equal one histogram", async () => {
    const c = await cluster([{ name: "a" }, { name: "b" }, { name: "c" }]);
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(SIMPLE_PLAN), env: {} });
    const seen: string[] = [];
    for await (const e of run.events) seen.push(e.type);
    const result = await run.result;
    expect(result.exitCode).toBe(0);
    expect(result.status).toBe("finished");
    const summary = result.summary as Summary;
    expect(metric(summary, "http_reqs").count).toBe(300);
    const h = newHistogram();
    for (let k = 1; k <= 300; k++) h.recordValue(toStored(k));
    const one = trendValue(h, "time");
    const merged = metric(summary, "http_req_duration");
    expect(merged["p(50)"] ?? merged.med).toBe(one.med);
    expect(merged["p(95)"]).toBe(one.p95);
    expect(merged["p(99)"]).toBe(one.p99);
    expect(seen.at(-1)).toBe("finished");
    expect(seen).toContain("status");
    const fleet = summary.fleet as { agents: Array<{ partition: string; name: string }> };
    expect(fleet.agents.map((a) => `${a.name} ${a.partition}`)).toEqual(["a 1/3", "b 2/3", "c 3/3"]);
    // Every agent got the same barrier (its own clock) and a third of the plan.
    const starts = c.engine.runs.map((r) => r.options.startAtUnixMs!);
    expect(Math.max(...starts) - Math.min(...starts)).toBeLessThan(100);
    expect(c.engine.runs.map((r) => `${r.options.segment.from.num}/${r.options.segment.from.den}`).sort()).toEqual(["0/1", "1/3", "2/3"]);
  });

  test("per-scenario targeting: each scenario is partitioned over the agents whose labels match", async () => {
    const c = await cluster([{ name: "a1", labels: { role: "api" } }, { name: "a2", labels: { role: "api" } }, { name: "w1", labels: { role: "web" } }]);
    const plan = `${SIMPLE_PLAN}  side:
    executor: shared-iterations
    vus: 1
    iterations: 5
    flow:
      - request: { name: side, url: /side }
cluster:
  agents: 3
  wait: 5s
  scenarios:
    main: { role: api }
`.replace("thresholds:\n  http_req_duration: [\"p(95)<100000\"]\n", "");
    const planText = plan.replace("scenarios:\n  main:", "scenarios:\n  main:");
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(planText.replace(/\ncluster:/, "\nthresholds:\n  http_req_duration: [\"p(95)<100000\"]\ncluster:")), env: {} });
    const result = await run.result;
    expect(result.status).toBe("finished");
    const byAgent = c.engine.runs.map((r) => ({ text: r.options.source.text, seg: r.options.segment }));
    // a1 and a2 run main (1/2 each) and side (1/3 each) as two local runs; w1 runs side 1/3 only.
    expect(byAgent.length).toBe(5);
    const mainRuns = byAgent.filter((r) => r.text.includes("\n  main:"));
    expect(mainRuns.map((r) => `${r.seg.from.num}/${r.seg.from.den}-${r.seg.to.num}/${r.seg.to.den}`).sort()).toEqual(["0/1-1/2", "1/2-1/1"]);
    expect(mainRuns.every((r) => !r.text.includes("\n  side:"))).toBe(true);
    const summary = result.summary as Summary;
    expect(metric(summary, "http_reqs").count).toBe(600);
  });

  test("agent loss under continue: the others go on, the lost one is killed when it returns, the summary names it", async () => {
    const c = await cluster([{ name: "a" }, { name: "b" }], fakeEngine({ perScenario: 100, ticks: Infinity, tickMs: 100 }));
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(SIMPLE_PLAN), env: {} });
    await waitFor("running", () => c.controller.runs.get(run.runId)?.status === "running");
    const victim = c.agents.find((a) => a.name === "b")!;
    victim.silence(true); // silent past the liveness window → unhealthy → lost for the run
    await waitFor("b lost", () => c.controller.runs.get(run.runId)?.agents.find((a) => a.name === "b")?.state === "lost", 5_000);
    expect(c.controller.runs.get(run.runId)?.status).toBe("running");
    victim.silence(false);
    await waitFor("the victim's load is killed once it speaks again", () => c.engine.runs.some((r) => r.stopped === "now"));
    await fetch(`${c.controller.httpUrl}/api/runs/${run.runId}/control`, { method: "POST", body: JSON.stringify({ action: "stop" }) });
    const result = await run.result;
    expect(result.status).toBe("stopped");
    const summary = result.summary as Summary;
    expect(summary.notes.some((n) => n.includes("Agent b") && n.includes("was lost") && n.includes("partition 2/2 of main") && n.includes("went on with 1 of 2 agents"))).toBe(true);
    expect((summary.fleet as { lost: number }).lost).toBe(1);
  }, 20_000);

  test("agent loss under abort: every agent is stopped", async () => {
    const c = await cluster([{ name: "a" }, { name: "b" }, { name: "c" }], fakeEngine({ perScenario: 100, ticks: Infinity, tickMs: 100 }));
    const plan = `${SIMPLE_PLAN}cluster:\n  agents: 3\n  onAgentLoss: abort\n`;
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(plan), env: {} });
    await waitFor("running", () => c.controller.runs.get(run.runId)?.status === "running");
    const t0 = Date.now();
    await c.agents[2]!.stop();
    const result = await run.result;
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(result.status).toBe("aborted");
    expect(result.exitCode).toBe(1);
    expect(c.engine.runs.filter((r) => r.stopped).length).toBe(3);
  }, 20_000);

  test("controls reach every agent: pause, resume, scale (each agent takes its share of the whole once), stop", async () => {
    const c = await cluster([{ name: "a" }, { name: "b" }], fakeEngine({ perScenario: 100, ticks: Infinity, tickMs: 100 }));
    const plan = SIMPLE_PLAN.replace(
      "executor: shared-iterations\n    vus: 2\n    iterations: 10",
      "executor: externally-controlled\n    vus: 2\n    maxVUs: 10\n    duration: 60s",
    ).replace("thresholds:", "  side:\n    executor: shared-iterations\n    vus: 1\n    iterations: 5\n    flow:\n      - request: { url: /side }\nthresholds:");
    expect(plan).toContain("externally-controlled");
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(plan), env: {} });
    await waitFor("running", () => c.controller.runs.get(run.runId)?.status === "running");
    const control = (body: object) => fetch(`${c.controller.httpUrl}/api/runs/${run.runId}/control`, { method: "POST", body: JSON.stringify(body) });
    const status = (body: object) => control(body).then((r) => r.status);
    expect(await status({ action: "pause" })).toBe(200);
    expect(await status({ action: "resume" })).toBe(200);
    expect(await status({ action: "scale", scenario: "main", vus: 5 })).toBe(200);
    // A scenario that cannot scale is refused in the local control API's words (cli/run/control-api.ts).
    const refused = await control({ action: "scale", scenario: "side", vus: 5 });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('scenario "side" cannot be scaled (its executor has no run-time VU count); scalable: main');
    expect(await status({ action: "scale", scenario: "nope", vus: 5 })).toBe(400);
    expect(await status({ action: "scale", scenario: "main", vus: -1 })).toBe(400);
    expect(await status({ action: "dance" })).toBe(400);
    await waitFor("controls delivered", () => c.engine.runs.every((r) => r.controls.length >= 3));
    expect(c.engine.runs.map((r) => r.controls.slice(0, 3).join(" ")).sort()).toEqual(["pause resume scale:main:2", "pause resume scale:main:3"]);
    expect(await status({ action: "stop" })).toBe(200);
    const result = await run.result;
    expect(result.status).toBe("stopped");
    expect(result.exitCode).toBe(EXIT_EXTERNAL_ABORT);
    expect((result.summary as Summary).notes).toContain("the run was interrupted (a stop control) before the plan's end");
    expect(c.engine.runs.every((r) => r.stopped === "graceful")).toBe(true);
  }, 20_000);

  test("without agents: the run takes every idle agent, with or without a cluster: block", async () => {
    const c = await cluster([{ name: "a" }, { name: "b" }, { name: "c" }]);
    for (const plan of [SIMPLE_PLAN, `${SIMPLE_PLAN}cluster:\n  wait: 5s\n  onAgentLoss: continue\n`]) {
      const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(plan), env: {} });
      const result = await run.result;
      expect(result.status).toBe("finished");
      const fleet = (result.summary as Summary).fleet as { agents: Array<{ name: string }> };
      expect(fleet.agents.map((a) => a.name)).toEqual(["a", "b", "c"]);
      expect(metric(result.summary as Summary, "http_reqs").count).toBe(300);
      await waitFor("agents idle again", () => c.controller.registry.all().every((e) => e.status.state === "idle"));
    }
  });

  test("two runs at once each get their own agents", async () => {
    const c = await cluster([{ name: "a" }, { name: "b" }, { name: "c" }, { name: "d" }]);
    const plan = `${SIMPLE_PLAN}cluster:\n  agents: 2\n  wait: 10s\n`;
    const [r1, r2] = await Promise.all([
      submitRun(c.controller.httpUrl!, { planPath: c.planPath(plan, "one.yaml"), env: {} }),
      submitRun(c.controller.httpUrl!, { planPath: c.planPath(plan, "two.yaml"), env: {} }),
    ]);
    const [x, y] = await Promise.all([r1.result, r2.result]);
    const names = (s: unknown) => ((s as Summary).fleet as { agents: Array<{ name: string }> }).agents.map((a) => a.name);
    expect(x.status).toBe("finished");
    expect(y.status).toBe("finished");
    expect(new Set([...names(x.summary), ...names(y.summary)]).size).toBe(4);
    expect(metric(x.summary as Summary, "http_reqs").count).toBe(300);
    expect(metric(y.summary as Summary, "http_reqs").count).toBe(300);
  }, 20_000);

  test("thresholds are evaluated continuously on merged metrics: abortOnFail stops the whole fleet (exit 99)", async () => {
    const c = await cluster([{ name: "a" }, { name: "b" }], fakeEngine({ perScenario: 1000, ticks: Infinity, tickMs: 100 }));
    const engine = c.engine;
    const plan = SIMPLE_PLAN.replace('http_req_duration: ["p(95)<100000"]', 'http_req_duration:\n    - threshold: "count<1"\n      abortOnFail: true');
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(plan), env: {} });
    const result = await run.result;
    expect(result.status).toBe("aborted");
    expect(result.exitCode).toBe(99);
    const summary = result.summary as Summary;
    expect(summary.aborted?.threshold).toBe("http_req_duration");
    expect(engine.runs.every((r) => r.stopped === "now")).toBe(true);
  }, 20_000);

  test("a run stopped while it waits for agents ends stopped, exit 105, without assigning any", async () => {
    const c = await cluster([{ name: "a" }]);
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(`${SIMPLE_PLAN}cluster:\n  agents: 2\n  wait: 30s\n`), env: {} });
    await waitFor("waiting", () => c.controller.runs.get(run.runId)?.status === "waiting");
    const answer = await fetch(`${c.controller.httpUrl}/api/runs/${run.runId}/control`, { method: "POST", body: JSON.stringify({ action: "stop" }) });
    expect(answer.status).toBe(200);
    const result = await run.result;
    expect({ status: result.status, exitCode: result.exitCode }).toEqual({ status: "stopped", exitCode: EXIT_EXTERNAL_ABORT });
    expect(c.engine.runs).toHaveLength(0);
    // Over is over: a control now is refused as a conflict with the run's state.
    const late = await fetch(`${c.controller.httpUrl}/api/runs/${run.runId}/control`, { method: "POST", body: JSON.stringify({ action: "pause" }) });
    expect(late.status).toBe(409);
  });

  test("a run that cannot get its agents fails after the wait, saying why", async () => {
    const c = await cluster([{ name: "a" }]);
    const plan = `${SIMPLE_PLAN}cluster:\n  agents: 2\n  wait: 300ms\n  selector: { pool: x }\n`;
    const run = await submitRun(c.controller.httpUrl!, { planPath: c.planPath(plan), env: {} });
    const result = await run.result;
    expect(result.status).toBe("failed");
    expect(result.exitCode).toBe(1);
    expect(result.error).toContain("0 of 2 agents matching pool=x are idle");
  });
});
