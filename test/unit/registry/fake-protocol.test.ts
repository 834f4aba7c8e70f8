// A new protocol is one new module (test/fixtures/modules/fake-protocol.ts) merged into the
// registries: its step validates with the schema's own errors, normalizes, runs through the VU
// factory and the interpreter, and its metrics are the plan's (thresholds accept them).
import { describe, expect, test } from "bun:test";
import { BUILTINS } from "../../../src/builtins.ts";
import { loadPlan, type LoadResult } from "../../../src/config/load.ts";
import { stepsOf } from "../../../src/config/registered.ts";
import { createVuFactory } from "../../../src/core/vu-factory.ts";
import { mergeModules } from "../../../src/plugin-api/merge.ts";
import type { Modules } from "../../../src/plugin-api/types.ts";
import { fakeStats, modules as fakeModules, type FakeSpec } from "../../fixtures/modules/fake-protocol.ts";
import { never, RecordingSink, TestJar } from "../flow/fakes.ts";

const WITH_FAKE = mergeModules(BUILTINS, fakeModules);

function load(flow: string, extra = "", modules: Modules = WITH_FAKE): LoadResult {
  const text = `scenarios:\n  s:\n    executor: shared-iterations\n    vus: 2\n    iterations: 4\n    flow:\n${flow}\n${extra}`;
  return loadPlan({ text, file: "fake.yaml", baseDir: "/", env: {} }, { modules });
}

function ok(result: LoadResult) {
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.line}:${i.column} ${i.message}`).join("\n"));
  return result.plan;
}

function issues(result: LoadResult) {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`);
}

describe("a protocol module from outside the built-ins", () => {
  test("its step validates and normalizes, nested in a control step too", () => {
    const plan = ok(load('      - fake: { ms: 5, name: "op ${vu}" }\n      - group: g\n        steps:\n          - fake: { ms: 1 }'));
    const [fake, group] = plan.scenarios[0]!.flow;
    expect(fake).toMatchObject({ kind: "fake", loc: { file: "fake.yaml", line: 7, column: 9 } });
    const spec = fake!.spec as FakeSpec;
    expect(spec.ms).toBe(5);
    expect(spec.name?.render({ vars: {}, data: {}, vu: 3, iteration: 0, scenario: "s" })).toBe("op 3");
    expect(group).toMatchObject({ kind: "group", spec: { name: "g", steps: [{ kind: "fake", spec: { ms: 1 } }] } });
  });

  test("an unknown key inside it is the schema's error at file:line:col, with did-you-mean", () => {
    expect(issues(load("      - fake: { ms: 5, nmae: x }"))).toEqual([
      'fake.yaml:7:24 scenarios.s.flow.0.fake.nmae: unknown key "nmae" in fake step; did you mean "name"?',
    ]);
    expect(issues(load("      - fake: { ms: soon }"))).toEqual(["fake.yaml:7:21 scenarios.s.flow.0.fake.ms: expected a whole number ≥ 0, got \"soon\""]);
  });

  test("without the module the step is unknown, with did-you-mean over the registered kinds", () => {
    const messages = issues(load("      - fake: { ms: 5 }", "", BUILTINS));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('fake.yaml:7:9 scenarios.s.flow.0: unknown step "fake"');
    const typo = issues(load("      - fak: { ms: 5 }"));
    expect(typo[0]).toContain('unknown step "fak"; did you mean "fake"?');
    expect(typo[0]).toContain(`step kinds: ${[...Object.keys(stepsOf(BUILTINS)), "fake"].join(", ")}`);
  });

  test("its metrics are the plan's: thresholds on them load, a misspelt one gets did-you-mean", () => {
    const plan = ok(load("      - fake: { ms: 1 }", 'thresholds:\n  fake_latency: ["p(95)<1000"]\n  fake_ops: ["count>1"]'));
    expect(plan.metrics).toContainEqual({ name: "fake_latency", type: "trend", contains: "time" });
    expect(plan.metrics).toContainEqual({ name: "fake_ops", type: "counter", contains: "default" });
    expect(plan.metrics.map((m) => m.name)).toContain("http_reqs");
    expect(plan.thresholds.map((t) => t.metric)).toEqual(["fake_latency", "fake_ops"]);

    expect(issues(load("      - fake: { ms: 1 }", 'thresholds:\n  fake_latencyy: ["p(95)<1000"]'))).toEqual([
      'fake.yaml:9:3 thresholds.fake_latencyy: unknown metric "fake_latencyy"; did you mean "fake_latency"?',
    ]);
    expect(issues(load("      - fake: { ms: 1 }", 'thresholds:\n  fake_ops: ["p(95)<1000"]'))[0]).toContain(
      "p(N) does not apply to fake_ops, a counter",
    );
    // Without the module, its metrics are unknown to a plan.
    expect(issues(load("      - sleep: 1ms", 'thresholds:\n  fake_ops: ["count>1"]', BUILTINS))[0]).toContain('unknown metric "fake_ops"');
  });

  test("it runs through the VU factory and the interpreter: waits, records its metrics, opens one session per VU", async () => {
    const plan = ok(load('      - fake: { ms: 30, name: "op" }\n      - fake: { ms: 0, name: "vu-${vu}" }'));
    const metrics = new RecordingSink();
    const factory = createVuFactory({ baseUrl: "", data: {}, modules: WITH_FAKE, metrics, createCookieJar: () => new TestJar() });
    const opened = fakeStats.opened;
    const closed = fakeStats.closed;
    const vu = factory(plan.scenarios[0]!, 7);
    const start = performance.now();
    await vu.runIteration(never());
    await vu.runIteration(never());
    expect(performance.now() - start).toBeGreaterThanOrEqual(58);
    expect(metrics.sum("fake_ops", { name: "op" })).toBe(2);
    expect(metrics.sum("fake_ops", { name: "vu-7" })).toBe(2);
    const latencies = metrics.of("fake_latency", { name: "op", scenario: "s", group: "" }).map((s) => s.value);
    expect(latencies).toHaveLength(2);
    for (const ms of latencies) expect(ms).toBeGreaterThanOrEqual(29);
    expect(metrics.sum("iterations")).toBe(2);
    expect(fakeStats.opened - opened).toBe(1);
    vu.close();
    expect(fakeStats.closed - closed).toBe(1);
  });

  test("abort ends its wait at once and no later step runs", async () => {
    const plan = ok(load("      - fake: { ms: 10000 }\n      - fake: { ms: 0 }"));
    const metrics = new RecordingSink();
    const factory = createVuFactory({ baseUrl: "", data: {}, modules: WITH_FAKE, metrics, createCookieJar: () => new TestJar() });
    const ctl = new AbortController();
    const start = performance.now();
    const done = factory(plan.scenarios[0]!, 1).runIteration(ctl.signal);
    setTimeout(() => ctl.abort(), 10);
    await done;
    expect(performance.now() - start).toBeLessThan(1000);
    expect(metrics.of("fake_ops")).toHaveLength(1);
  });
});
