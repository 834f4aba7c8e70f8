// `group: NAME` + `steps:`: runs the steps under k6's group path `<parent>::NAME` (their samples
// carry it as the `group` tag) and records `group_duration` unless the group was interrupted.
// A group's `tags:` (generic step tags, core/flow/program.ts) cover its steps and its duration.
import type { Step } from "../../../config/plan.ts";
import { optional, str as strSchema, strict, tags as tagsSchema } from "../../../config/schema/helpers.ts";
import { str } from "../../../config/normalize/context.ts";
import type { StepKind } from "../../../plugin-api/types.ts";
import { runSteps } from "../interpreter.ts";

export interface GroupSpec {
  name: string;
  steps: Step[];
}

export const groupStep: StepKind<GroupSpec> = {
  key: "group",
  schema: (sc) => strict({ group: strSchema("a group name"), tags: optional(tagsSchema), steps: sc.steps() }, "group step"),
  normalize: (raw, path, nc) => ({ name: str(raw.group) ?? "", steps: nc.normalizeFlow(raw.steps, [...path, "steps"]) }),
  compile(spec, loc, cc) {
    const group = `${cc.group}::${spec.name}`;
    const steps = cc.compileSteps(spec.steps, group);
    const tags = Object.freeze({ ...cc.tags, group, scenario: cc.scenario });
    return {
      kind: "group",
      loc,
      async run(vu, signal) {
        const start = performance.now();
        await runSteps(steps, vu, signal);
        // An interrupted group's time is not a group duration.
        if (!signal.aborted) vu.metrics.add("group_duration", performance.now() - start, tags);
      },
    };
  },
};
