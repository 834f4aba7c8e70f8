// `set: { name: TEMPLATE, … }`: renders each template over the VU's scope, in order, into its
// vars (a later entry sees the earlier ones). Synchronous.
import type { Template } from "../../../config/plan.ts";
import { map, scalar, strict } from "../../../config/schema/helpers.ts";
import { checkVariableName, rec, template } from "../../../config/normalize/context.ts";
import type { StepKind } from "../../../plugin-api/types.ts";

export interface SetSpec {
  vars: Array<[string, Template]>;
}

export const setStep: StepKind<SetSpec> = {
  key: "set",
  schema: () => strict({ set: map(scalar, "variables") }, "set step"),
  normalize(raw, path, { ctx, env }) {
    const vars: Array<[string, Template]> = [];
    for (const [name, value] of Object.entries(rec(raw.set))) {
      checkVariableName(ctx, [...path, "set", name], name);
      vars.push([name, template(ctx, value, [...path, "set", name], env)]);
    }
    return { vars };
  },
  compile({ vars }, loc) {
    return {
      kind: "set",
      loc,
      run(vu) {
        for (const [name, value] of vars) vu.scope.vars[name] = value.render(vu.scope);
      },
    };
  },
};
