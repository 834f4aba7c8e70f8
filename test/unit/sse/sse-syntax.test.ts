// The `sse` step's syntax through the real loader: the reference shape loads; misspelt keys and
// check kinds are reported at their line:col with "did you mean"; the `event` check is accepted on
// `sse` and refused on `request`; `loadr schema` lists the step and its check.
import { describe, expect, test } from "bun:test";
import { BUILTINS } from "../../../src/builtins.ts";
import { loadPlan, type LoadResult } from "../../../src/config/load.ts";
import { planJsonSchema } from "../../../src/config/schema/json-schema.ts";
import type { SseSpec } from "../../../src/protocols/sse/step/spec.ts";

const plan = (step: string) => `baseUrl: http://127.0.0.1:8080\nscenarios:\n  s:\n    executor: shared-iterations\n    vus: 1\n    iterations: 1\n    flow:\n${step}\n`;
const load = (text: string): LoadResult => loadPlan({ text, file: "sse.yaml", baseDir: "/", env: {} }, { modules: BUILTINS });

function issues(result: LoadResult): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
}

describe("the sse step's syntax", () => {
  test("the reference shape loads: until events and timeout, the event check", () => {
    const result = load(plan("      - sse:\n          name: ticks\n          url: /events\n          until: { events: 3, timeout: 5s }\n          checks:\n            - event: tick\n              count: 3"));
    if (!result.ok) throw new Error(issues(result).join("\n"));
    const spec = result.plan.scenarios[0]!.flow[0]!.spec as SseSpec;
    expect(spec).toMatchObject({ name: "ticks", events: 3, timeout: 5000 });
    expect(spec.checks).toMatchObject([{ kind: "event", name: "3 tick events", spec: { event: "tick", count: 3 } }]);
  });

  test("misspelt keys and check kinds, at their line:col with did-you-mean", () => {
    expect(issues(load(plan("      - sse:\n          url: /events\n          untill: { events: 3 }\n          until: { evnts: 1 }\n          checks: [{ evnt: tick }]")))).toEqual([
      '10:11 scenarios.s.flow.0.sse.untill: unknown key "untill" in sse step; did you mean "until"?',
      '11:20 scenarios.s.flow.0.sse.until.evnts: unknown key "evnts" in until; did you mean "events"?',
      '12:20 scenarios.s.flow.0.sse.checks.0: unknown check "evnt"; did you mean "event"? (check kinds: status, header, body, json, duration, js, event)',
    ]);
  });

  test("the event check belongs to sse: a request step refuses it", () => {
    const found = issues(load(plan("      - request: { url: /json, checks: [{ event: tick }] }")));
    expect(found).toEqual([expect.stringContaining('unknown check "event"')]);
  });

  test("loadr schema lists the sse step and its event check", () => {
    const text = JSON.stringify(planJsonSchema(BUILTINS));
    expect(text).toContain('"sse":{"type":"object"');
    expect(text).toContain('"until":{"type":"object"');
    expect(text).toContain('"event":{"type":"string"}');
  });
});
