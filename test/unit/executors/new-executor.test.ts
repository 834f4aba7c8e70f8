// A new executor is a new file plus one registry entry: `noop` (test/fixtures/modules/
// noop-executor.ts), added to a copy of the registry, is validated, normalized and run by the
// same config and core code as the built-ins, which name no executor.
import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import type { Schema } from "../../../src/config/schema/helpers.ts";
import { SCHEMA_INFO } from "../../../src/config/schema/helpers.ts";
import { scenarioSchema, type ExecutorSyntaxes } from "../../../src/config/schema/scenario.ts";
import { normalizeExecutor } from "../../../src/config/normalize/executor.ts";
import type { NormalizeContext } from "../../../src/config/normalize/context.ts";
import { IssueCollector } from "../../../src/config/issues.ts";
import { FakeClock } from "../../../src/core/clock.ts";
import { WHOLE, partition } from "../../../src/core/segment.ts";
import { runScenarios } from "../../../src/core/scheduler.ts";
import { EXECUTORS } from "../../../src/executors/registry.ts";
import { BUILTINS } from "../../../src/builtins.ts";
import { mergeModules } from "../../../src/plugin-api/merge.ts";
import { loadPlan } from "../../../src/config/load.ts";
import { noop, type NoopConfig } from "../../fixtures/modules/noop-executor.ts";
import { FakeVus, RecordingSink, scenario } from "./helpers.ts";

const REGISTRY = { ...EXECUTORS, noop };
/** A flow schema of its own: these tests are about executors, not steps. */
const FLOW = v.array(v.unknown()) as Schema;

/** Every problem the scenario schema finds, as "dot.path: message". */
function problems(raw: unknown, executors: ExecutorSyntaxes = REGISTRY): string[] {
  const result = v.safeParse(scenarioSchema(executors, FLOW), raw, { abortEarly: false });
  return result.success ? [] : result.issues.map((issue) => `${v.getDotPath(issue) ?? ""}: ${issue.message}`);
}

/** A NormalizeContext for executor normalizers, which report through `ctx.issues` only. */
function normalizeContext(): NormalizeContext {
  const issues = new IssueCollector(() => ({ file: "plan.yaml", line: 1, column: 1 }));
  return { issues } as unknown as NormalizeContext;
}

describe("a new executor in a copy of the registry", () => {
  test("validates and normalizes like a built-in", () => {
    expect(problems({ executor: "noop", runs: 3, flow: [] })).toEqual([]);
    const ctx = normalizeContext();
    expect<unknown>(normalizeExecutor({ executor: "noop", runs: 3 }, ["scenarios", "s"], ctx, REGISTRY)).toEqual({ type: "noop", runs: 3 });
    expect(ctx.issues.errors).toEqual([]);
  });

  test("a misspelt option gets its did-you-mean; a wrongly typed one a type error at its path", () => {
    expect(problems({ executor: "noop", rnus: 3, flow: [] })).toEqual(['rnus: unknown key "rnus" in a scenario; did you mean "runs"?']);
    expect(problems({ executor: "noop", runs: "ten", flow: [] })).toEqual(['runs: expected a whole number ≥ 1, got "ten"']);
    expect(problems({ executor: "noop", flow: [] })).toEqual(['runs: "runs" is required in scenario (noop)']);
  });

  test("options of other executors are errors naming it and its options, both ways", () => {
    expect(problems({ executor: "noop", runs: 1, vus: 2, flow: [] })).toEqual(['vus: "vus" is not an option of executor noop (its options: runs)']);
    expect(problems({ executor: "constant-vus", duration: "1s", runs: 2, flow: [] })).toEqual([
      'runs: "runs" is not an option of executor constant-vus (its options: vus, duration)',
    ]);
  });

  test("an unknown executor is suggested among the registered ones, and the other keys are still checked", () => {
    expect(problems({ executor: "nop", runs: "ten", flow: [] }).sort()).toEqual([
      `executor: unknown executor "nop"; did you mean "noop"? (executors: ${Object.keys(REGISTRY).join(", ")})`,
      'runs: expected a whole number ≥ 1, got "ten"',
    ]);
    // The built-in registry does not know it: there the executor and its option are unknown.
    expect(problems({ executor: "noop", runs: 3, flow: [] }, EXECUTORS).sort()).toEqual([
      `executor: unknown executor "noop" (executors: ${Object.keys(EXECUTORS).join(", ")})`,
      'runs: unknown key "runs" in a scenario; did you mean "vus"?',
    ]);
    expect(normalizeExecutor({ executor: "noop", runs: 3 }, ["scenarios", "s"], normalizeContext(), EXECUTORS)).toBeUndefined();
  });

  test("the JSON Schema export gets one scenario shape per registered executor, memoized per registry", () => {
    const schema = scenarioSchema(REGISTRY, FLOW);
    expect(scenarioSchema(REGISTRY, FLOW)).toBe(schema);
    expect(scenarioSchema(EXECUTORS, FLOW)).not.toBe(schema);
    const info = SCHEMA_INFO.get(schema);
    if (info?.kind !== "dispatch") throw new Error("the scenario schema is a dispatcher");
    const literals = info.options().map((shape) => {
      const entries = (shape as unknown as { pipe: [{ entries: { executor: { literal: string } } }] }).pipe[0].entries;
      return entries.executor.literal;
    });
    expect(literals).toEqual(Object.keys(REGISTRY));
  });

  test("the plan loader takes it from the modules it is given, with file:line:col in every problem", () => {
    const modules = mergeModules(BUILTINS, { executors: { noop } });
    const load = (options: string) =>
      loadPlan({ text: `scenarios:\n  s:\n    executor: noop\n${options}    flow:\n      - sleep: 1ms\n`, file: "plan.yaml", baseDir: "/", env: {} }, { modules });
    const ok = load("    runs: 2\n");
    if (!ok.ok) throw new Error(ok.issues.map((i) => i.message).join("\n"));
    expect(ok.plan.scenarios[0]).toMatchObject({ executor: { type: "noop", runs: 2 }, durationMs: Infinity, maxVus: 1 });
    const issues = (options: string) => {
      const result = load(options);
      return result.ok ? [] : result.issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`);
    };
    expect(issues("    rnus: 2\n")).toEqual(['plan.yaml:4:5 scenarios.s.rnus: unknown key "rnus" in a scenario; did you mean "runs"?']);
    expect(issues("    runs: ten\n")).toEqual(['plan.yaml:4:11 scenarios.s.runs: expected a whole number ≥ 1, got "ten"']);
    // The built-in modules alone do not know it.
    const builtin = loadPlan({ text: "scenarios:\n  s:\n    executor: noop\n    flow:\n      - sleep: 1ms\n", file: "plan.yaml", baseDir: "/", env: {} }, { modules: BUILTINS });
    expect(builtin.ok ? [] : builtin.issues.map((i) => i.message)).toEqual([
      `unknown executor "noop" (executors: ${Object.keys(EXECUTORS).join(", ")})`,
    ]);
  });

  test("runScenarios runs it to completion, and its segments' shares add up to its runs", async () => {
    const clock = new FakeClock();
    const vus = new FakeVus(clock, () => 100);
    const spec = scenario<NoopConfig>({ type: "noop", runs: 4 }, {}, REGISTRY);
    expect([spec.durationMs, spec.maxVus]).toEqual([Infinity, 1]);
    const whole = runScenarios([spec], { segment: WHOLE, vuFactory: vus.factory, metrics: new RecordingSink(), clock, executors: REGISTRY });
    const outcome = await clock.runUntil(whole.done, 60_000);
    expect(outcome.state).toBe("finished");
    expect(outcome.scenarios[0]).toMatchObject({ name: "s", started: 4, completed: 4, interrupted: 0 });
    expect(vus.iterations.map((it) => [it.vu, it.start])).toEqual([
      [1, 0],
      [1, 100],
      [1, 200],
      [1, 300],
    ]);
    expect(vus.closed).toEqual([1]);
    expect(clock.pending).toBe(0);

    const halves = [0, 1].map((i) =>
      runScenarios([spec], { segment: partition(i, 2), vuFactory: vus.factory, metrics: new RecordingSink(), clock, executors: REGISTRY }),
    );
    const outcomes = await clock.runUntil(Promise.all(halves.map((h) => h.done)), 60_000);
    expect(outcomes.reduce((sum, o) => sum + o.scenarios[0]!.completed, 0)).toBe(4);
  });

  test("a registry without the scenario's executor is an engine error naming it", () => {
    const spec = scenario<NoopConfig>({ type: "noop", runs: 1 }, {}, REGISTRY);
    const start = () => runScenarios([spec], { segment: WHOLE, vuFactory: () => undefined as never, metrics: new RecordingSink(), executors: EXECUTORS });
    expect(start).toThrow(/no executor "noop" in this engine's registry \(it has: constant-vus, /);
  });
});
