// A scenario's flow compiled for the interpreter, once per (VU factory, scenario) and shared by
// every VU of the scenario: each step through its kind's `StepRuntime.compile` (core/modules.ts),
// so group paths, metric tags, static requests and each check's and extraction's kind are worked
// out here, not per iteration.
// Group paths follow k6: "" at the root, "::outer" inside group "outer", "::outer::inner" below.
// Tags: a step's own `tags:` (Step.tags) merge over the tags in effect where it stands (the
// scenario's, then every enclosing step's) and cover the step and every step nested in it.
import type { ScenarioSpec, Step } from "../../config/plan.ts";
import type { Tags } from "../../metrics/types.ts";
import { compileChecks } from "../checks/run.ts";
import { compileExtractions } from "../extract/extractors.ts";
import type { CheckRuntimes, CompiledStep, ExtractRuntimes, ReadPlanFile, StepCompileContext, StepRuntime } from "../modules.ts";

export interface Program {
  readonly scenario: string;
  readonly steps: readonly CompiledStep[];
  /** `{...scenario.tags, scenario}` for `iterations` and `iteration_duration`. */
  readonly iterationTags: Tags;
}

export interface ProgramContext {
  /** Every step kind's runtime by key (control steps and every protocol's; config/registered.ts). */
  steps: Readonly<Record<string, StepRuntime<any>>>;
  /** Every check kind's runtime by key (shared and every protocol's; config/registered.ts). */
  checks: CheckRuntimes;
  /** Every extraction kind's runtime by key. */
  extractions: ExtractRuntimes;
  joinUrl: (url: string) => string;
  readFile: ReadPlanFile;
}

export function compileProgram(scenario: ScenarioSpec, ctx: ProgramContext): Program {
  const compileSteps = (steps: readonly Step[], group: string, outer: Tags): CompiledStep[] =>
    steps.map((step) => {
      const kind = ctx.steps[step.kind];
      if (!kind) {
        const { file, line, column } = step.loc;
        throw new Error(`${file}:${line}:${column}: no runtime for step kind "${step.kind}" (the plan was loaded with modules this worker does not have)`);
      }
      const tags = step.tags ? Object.freeze({ ...outer, ...step.tags }) : outer;
      const cc: StepCompileContext = {
        scenario: scenario.name,
        tags,
        group,
        joinUrl: ctx.joinUrl,
        readFile: ctx.readFile,
        compileSteps: (nested, nestedGroup) => compileSteps(nested, nestedGroup, tags),
        compileChecks: (specs, checkGroup, stepTags) =>
          compileChecks(specs, ctx.checks, { scenario: scenario.name, tags: stepTags ? { ...tags, ...stepTags } : tags, group: checkGroup }),
        compileExtractions: (specs) => compileExtractions(specs, ctx.extractions),
      };
      return kind.compile(step.spec, step.loc, cc);
    });
  return {
    scenario: scenario.name,
    steps: compileSteps(scenario.flow, "", Object.freeze({ ...scenario.tags })),
    iterationTags: Object.freeze({ ...scenario.tags, scenario: scenario.name }),
  };
}
