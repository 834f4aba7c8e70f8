import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadPlan, loadPlanFile } from "../../../src/config/load.ts";
import { renderJson } from "../../../src/config/templates.ts";
import { BUILTINS } from "../../../src/builtins.ts";
import type { GroupSpec } from "../../../src/core/flow/steps/group.ts";
import type { SleepSpec } from "../../../src/core/flow/steps/sleep.ts";
import type { RequestSpec } from "../../../src/protocols/http1/step/spec.ts";
import { FIXTURES, specOf } from "./helpers.ts";

const OPTIONS = { modules: BUILTINS };

const PLAN = join(FIXTURES, "reference/plan.yaml");
const ENV = { BASE_URL: "http://127.0.0.1:8080" };

describe("the reference plan", () => {
  test("validates with BASE_URL set, normalized into a TestPlan", async () => {
    const result = await loadPlanFile(PLAN, ENV, OPTIONS);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.warnings).toEqual([]);
    const plan = result.plan;
    expect(plan.name).toBe("reference");
    expect(plan.baseUrl).toBe("http://127.0.0.1:8080");
    expect(plan.source.baseDir).toBe(join(FIXTURES, "reference"));
    expect(plan.files).toEqual(["users.csv"]);
    expect(plan.data.users?.mode).toBe("unique");
    expect(plan.data.users?.columns).toEqual(["name", "password"]);
    expect(plan.data.users?.rows.record(0)).toEqual({ name: "user1", password: "pw1" });
    expect(plan.scenarios.map((s) => s.name)).toEqual(["browse", "burst"]);

    const [browse, burst] = plan.scenarios;
    expect<unknown>(browse!.executor).toEqual({ type: "constant-vus", vus: 10, duration: 10_000 });
    expect(browse!.gracefulStop).toBe(30_000);
    expect(browse!.loc).toEqual({ file: PLAN, line: 15, column: 3 });
    expect<unknown>(burst!.executor).toEqual({
      type: "ramping-arrival-rate",
      startRate: 0,
      timeUnit: 1000,
      preAllocatedVUs: 20,
      maxVUs: 100,
      stages: [
        { duration: 3000, target: 50 },
        { duration: 3000, target: 0 },
      ],
    });
    expect(burst!.startTime).toBe(2000);

    const home = specOf<RequestSpec>(browse!.flow[0], "request");
    const account = specOf<GroupSpec>(browse!.flow[1], "group");
    const sleep = specOf<SleepSpec>(browse!.flow[2], "sleep");
    expect(home.name).toBe("home");
    expect(home.timeout).toBe(10_000);
    expect(home.maxRedirects).toBe(10);
    expect(home.headers.map(([k, v]) => [k, v.source])).toEqual([["accept", "application/json"]]);
    expect(home.checks).toEqual([{ kind: "status", spec: { oneOf: [200] }, name: "status is 200", loc: expect.anything() }]);
    expect(sleep).toEqual({ min: 100, max: 100 });

    const login = specOf<RequestSpec>(account.steps[0], "request");
    const me = specOf<RequestSpec>(account.steps[1], "request");
    expect(login.method).toBe("POST");
    const scope = { vars: { token: "T" }, data: { users: { name: "ann", password: "pw" } }, vu: 1, iteration: 0, scenario: "browse" };
    if (login.body?.kind !== "json") throw new Error("json body");
    expect(renderJson(login.body.value, scope)).toEqual({ user: "ann", password: "pw" });
    expect(login.extract).toMatchObject([{ variable: "token", kind: "json", spec: { path: "$.token" } }]);
    const auth = me.headers.find(([k]) => k === "authorization");
    expect(auth?.[1].render(scope)).toBe("Bearer T");
    const userCheck = me.checks[1];
    expect(userCheck?.name).toBe("$.user equals ${data.users.name}");

    expect(plan.thresholds.map((t) => [t.metric, t.filter, t.expression, t.abortOnFail, t.delayAbortEval])).toEqual([
      ["http_req_duration", {}, "p(95)<500", false, 0],
      ["http_req_failed", {}, "rate<0.01", false, 0],
      ["http_req_duration", { scenario: "burst" }, "p(99)<1000", true, 5000],
      ["checks", {}, "rate>0.99", false, 0],
    ]);
    expect(plan.cluster).toEqual({ agents: 2, wait: 30_000, startTimeout: 30_000, selector: { pool: "default" }, onAgentLoss: "continue", scenarios: {} });
  });

  test("validates in validate mode without BASE_URL, with a warning at baseUrl", async () => {
    const result = await loadPlanFile(PLAN, {}, { mode: "validate", modules: BUILTINS });
    expect(result.ok).toBe(true);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatchObject({ path: "baseUrl", line: 5, column: 16 });
    expect(result.warnings[0]!.message).toContain("environment variable BASE_URL is not set");
    expect(result.warnings[0]!.message).toContain("${env.BASE_URL:-http://localhost:8080}");
  });

  test("fails in run mode without BASE_URL", async () => {
    const result = await loadPlanFile(PLAN, {}, OPTIONS);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toEqual(["baseUrl"]);
  });

  test("loading the same source twice gives equivalent plans", () => {
    const source = { text: readFileSync(PLAN, "utf8"), file: PLAN, baseDir: join(FIXTURES, "reference"), env: ENV };
    const a = loadPlan(source, OPTIONS);
    const b = loadPlan(source, OPTIONS);
    if (!a.ok || !b.ok) throw new Error("should load");
    // Templates serialize to their fields (source, isStatic); functions drop out.
    expect(JSON.stringify(a.plan)).toBe(JSON.stringify(b.plan));
  });

  test("a missing plan file is one clear issue", async () => {
    const result = await loadPlanFile(join(FIXTURES, "nope.yaml"), {}, OPTIONS);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.message).toContain("plan file not found");
  });
});
