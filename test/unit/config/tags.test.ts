// User tags in the plan: the plan's, a scenario's, a group step's and a request's `tags:`.
import { describe, expect, test } from "bun:test";
import type { RequestSpec } from "../../../src/protocols/http1/step/spec.ts";
import { loadIssues, loadOk, specOf, withFlow } from "./helpers.ts";

describe("tags in the plan", () => {
  test("a request's tags are in its spec; ${env.X} renders at load", () => {
    const plan = loadOk(withFlow('- request: { url: /search, tags: { kind: search, stage: "${env.STAGE}", n: 2 } }'), { STAGE: "ci" });
    expect(specOf<RequestSpec>(plan.scenarios[0]!.flow[0], "request").tags).toEqual({ kind: "search", stage: "ci", n: "2" });
  });

  test("a group step's tags become the step's tags; steps without tags have none", () => {
    const plan = loadOk(withFlow("- group: cart\n  tags: { area: shop }\n  steps:\n    - request: { url: /cart }"));
    const group = plan.scenarios[0]!.flow[0]!;
    expect(group.tags).toEqual({ area: "shop" });
    expect("tags" in (specOf<{ steps: unknown[] }>(group, "group").steps[0] as object)).toBe(false);
  });

  test("the plan's tags go to every scenario, under the scenario's own", () => {
    const plan = loadOk(
      "baseUrl: http://localhost\ntags: { team: web, env: dev }\nscenarios:\n" +
        "  a: { executor: per-vu-iterations, tags: { env: prod }, flow: [{ request: { url: / } }] }\n" +
        "  b: { executor: per-vu-iterations, flow: [{ request: { url: / } }] }\n",
    );
    expect(plan.scenarios.map((s) => s.tags)).toEqual([{ team: "web", env: "prod" }, { team: "web", env: "dev" }]);
  });

  test("reserved names are errors at the key, saying what to use instead", () => {
    const issues = loadIssues(withFlow("- request: { url: /, tags: { name: x, kind: ok } }\n- group: g\n  tags: { status: '200' }\n  steps: [{ request: { url: / } }]"));
    expect(issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ["scenarios.s.flow.0.request.tags.name", 6, 36],
      ["scenarios.s.flow.1.tags.status", 8, 17],
    ]);
    expect(issues[0]!.message).toBe('"name" is a tag loadr sets itself');
    expect(issues[0]!.hint).toContain("write `name:` on the request");
    expect(issues[1]!.hint).toContain("response's status");
  });

  test("a scenario's or the plan's reserved tag is an error too; so is a runtime template", () => {
    const scenario = loadIssues("baseUrl: http://h\ntags: { group: x }\nscenarios:\n  s: { executor: per-vu-iterations, tags: { scenario: y }, flow: [{ request: { url: / } }] }\n");
    expect(scenario.map((i) => i.path).sort()).toEqual(["scenarios.s.tags.scenario", "tags.group"]);
    const runtime = loadIssues(withFlow('- request: { url: /, tags: { user: "${vu}" } }'));
    expect(runtime[0]!.message).toContain("is not known when the plan loads");
  });

  test("tags must be a map of scalars; tags on a step kind that has none are unknown keys", () => {
    expect(loadIssues(withFlow("- request: { url: /, tags: [a] }"))[0]!.message).toBe("expected a map of tags (name: value), got a list");
    expect(loadIssues(withFlow("- sleep: 1s\n  tags: { a: b }"))[0]!.message).toContain('unknown key "tags"');
  });
});
