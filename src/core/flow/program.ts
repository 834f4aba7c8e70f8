// A scenario's flow compiled for the interpreter: group paths and metric tags are static, so
// they are computed here once per (factory, scenario) and shared by every VU of the scenario.
// Group paths follow k6: "" at the root, "::outer" inside group "outer", "::outer::inner" below.
import type { Condition, ScenarioSpec, SourceLoc, Step, Template } from "../../config/plan.ts";
import type { Tags } from "../../metrics/types.ts";
import { compileRequest, type CompiledRequest, type RequestContext } from "./request.ts";

export type Node =
  | { kind: "request"; loc: SourceLoc; request: CompiledRequest }
  | { kind: "sleep"; loc: SourceLoc; min: number; max: number }
  | { kind: "group"; loc: SourceLoc; path: string; steps: Node[]; durationTags: Tags }
  | { kind: "loop"; loc: SourceLoc; count?: number; while?: Condition; maxIterations: number; steps: Node[] }
  | { kind: "if"; loc: SourceLoc; condition: Condition; then: Node[]; else: Node[] }
  | { kind: "set"; loc: SourceLoc; vars: ReadonlyArray<[string, Template]> };

export interface Program {
  readonly scenario: string;
  readonly nodes: readonly Node[];
  /** `{...scenario.tags, scenario}` for `iterations` and `iteration_duration`. */
  readonly iterationTags: Tags;
}

export type ProgramContext = Omit<RequestContext, "scenario" | "scenarioTags">;

export function compileProgram(scenario: ScenarioSpec, ctx: ProgramContext): Program {
  const requestContext: RequestContext = { ...ctx, scenario: scenario.name, scenarioTags: scenario.tags };
  const nodes = compileSteps(scenario.flow, "", requestContext);
  return { scenario: scenario.name, nodes, iterationTags: Object.freeze({ ...scenario.tags, scenario: scenario.name }) };
}

function compileSteps(steps: readonly Step[], group: string, ctx: RequestContext): Node[] {
  return steps.map((step) => compileStep(step, group, ctx));
}

function compileStep(step: Step, group: string, ctx: RequestContext): Node {
  switch (step.kind) {
    case "request":
      return { kind: "request", loc: step.loc, request: compileRequest(step.request, group, ctx) };
    case "sleep":
      return { kind: "sleep", loc: step.loc, min: step.min, max: step.max };
    case "group": {
      const path = `${group}::${step.name}`;
      return {
        kind: "group",
        loc: step.loc,
        path,
        steps: compileSteps(step.steps, path, ctx),
        durationTags: Object.freeze({ ...ctx.scenarioTags, group: path, scenario: ctx.scenario }),
      };
    }
    case "loop":
      return {
        kind: "loop",
        loc: step.loc,
        count: step.count,
        while: step.while,
        maxIterations: step.maxIterations,
        steps: compileSteps(step.steps, group, ctx),
      };
    case "if":
      return {
        kind: "if",
        loc: step.loc,
        condition: step.condition,
        then: compileSteps(step.then, group, ctx),
        else: compileSteps(step.else, group, ctx),
      };
    case "set":
      return { kind: "set", loc: step.loc, vars: step.vars };
  }
}
