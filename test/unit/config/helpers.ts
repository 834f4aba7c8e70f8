// Test helpers: load a plan from inline YAML with the fixtures directory as its base.
import { expect } from "bun:test";
import { join } from "node:path";
import { loadPlan, type LoadResult } from "../../../src/config/load.ts";
import type { ConfigIssue } from "../../../src/config/issues.ts";
import type { Step, TestPlan } from "../../../src/config/plan.ts";
import { BUILTINS } from "../../../src/builtins.ts";

export const FIXTURES = join(import.meta.dir, "../../fixtures/config");

export function load(text: string, env: Record<string, string | undefined> = {}, mode: "run" | "validate" = "run"): LoadResult {
  return loadPlan({ text, file: "plan.yaml", baseDir: join(FIXTURES, "reference"), env }, { mode, modules: BUILTINS });
}

/** The plan, failing the test with the formatted issues when loading failed. */
export function loadOk(text: string, env: Record<string, string | undefined> = {}): TestPlan {
  const result = load(text, env);
  if (!result.ok) throw new Error(`expected a valid plan, got:\n${result.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`).join("\n")}`);
  return result.plan;
}

/** The issues, failing the test when the plan loaded. */
export function loadIssues(text: string, env: Record<string, string | undefined> = {}): ConfigIssue[] {
  const result = load(text, env);
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.issues;
}

/** A minimal valid plan around one scenario body (indented under `scenarios.s`). */
export function withScenario(scenario: string, extra = ""): string {
  const body = scenario
    .trim()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  return `baseUrl: http://localhost:8080\nscenarios:\n  s:\n${body}\n${extra}`;
}

export function withFlow(flow: string, extra = ""): string {
  const steps = flow
    .trim()
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
  return withScenario(`executor: per-vu-iterations\nflow:\n${steps}`, extra);
}

export const SCOPE = { vars: {}, data: {}, vu: 1, iteration: 0, scenario: "s" };

/** The spec of a step of `kind`, failing the test when the step is of another kind. */
export function specOf<S>(step: Step | undefined, kind: string): S {
  if (step?.kind !== kind) throw new Error(`expected a ${kind} step, got ${step?.kind ?? "none"}`);
  return step.spec as S;
}
