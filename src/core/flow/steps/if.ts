// `if: CONDITION` + `then:` (+ `else:`): runs one branch, chosen per VU and iteration by the
// condition (config/conditions.ts) evaluated over the VU's scope; a condition that fails to
// evaluate (division by zero, ...) throws, and the step fails with its location.
import type { Condition, Step } from "../../../config/plan.ts";
import { compileCondition } from "../../../config/conditions.ts";
import { optional, str as strSchema, strict } from "../../../config/schema/helpers.ts";
import { str, templateContext } from "../../../config/normalize/context.ts";
import type { StepKind } from "../../../plugin-api/types.ts";
import { runSteps } from "../interpreter.ts";

export interface IfSpec {
  condition: Condition;
  then: Step[];
  else: Step[];
}

export const ifStep: StepKind<IfSpec> = {
  key: "if",
  schema: (sc) => strict({ if: strSchema("a condition"), then: sc.steps(), else: optional(sc.steps()) }, "if step"),
  normalize: (raw, path, nc) => ({
    condition: compileCondition(str(raw.if) ?? "", templateContext(nc.ctx, [...path, "if"], nc.env)),
    then: nc.normalizeFlow(raw.then, [...path, "then"]),
    else: nc.normalizeFlow(raw.else, [...path, "else"]),
  }),
  compile(spec, loc, cc) {
    const { condition } = spec;
    const then = cc.compileSteps(spec.then, cc.group);
    const otherwise = cc.compileSteps(spec.else, cc.group);
    return { kind: "if", loc, run: (vu, signal) => runSteps(condition.evaluate(vu.scope) ? then : otherwise, vu, signal) };
  },
};
