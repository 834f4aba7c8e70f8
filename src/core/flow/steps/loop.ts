// `loop: { count: N }` or `loop: { while: CONDITION, max: N }` + `steps:` (CONDITION: config/conditions.ts).
// - `count`: runs the body `count` times (and, with `while` too, stops early when it turns false;
//   the schema rejects the pair, but a spec built by code may hold both).
// - only `while`: runs while it holds, at most `maxIterations` (`max:`, default 1000) times;
//   hitting the cap with the condition still true stops the loop and warns (the VU factory's
//   warn-once makes that once per loop).
import type { Condition, Step } from "../../../config/plan.ts";
import { compileCondition } from "../../../config/conditions.ts";
import { int, optional, str as strSchema, strict } from "../../../config/schema/helpers.ts";
import { isRecord, num, rec, templateContext } from "../../../config/normalize/context.ts";
import type { StepKind } from "../../../plugin-api/types.ts";
import { runSteps } from "../interpreter.ts";

/** Iterations of a `while:` loop without `max:`. */
const DEFAULT_LOOP_MAX = 1000;

export interface LoopSpec {
  count?: number;
  while?: Condition;
  maxIterations: number;
  steps: Step[];
}

export const loopStep: StepKind<LoopSpec> = {
  key: "loop",
  schema: (sc) =>
    strict(
      { loop: strict({ count: optional(int(0)), while: optional(strSchema("a condition")), max: optional(int(1)) }, "loop"), steps: sc.steps() },
      "loop step",
    ),
  normalize(raw, path, nc) {
    const { ctx } = nc;
    const loop = rec(raw.loop);
    const steps = nc.normalizeFlow(raw.steps, [...path, "steps"]);
    const at = [...path, "loop"];
    if (loop.count !== undefined && loop.while !== undefined) {
      ctx.issues.error(at, "a loop takes count: or while:, not both");
    } else if (loop.count === undefined && loop.while === undefined && isRecord(raw.loop)) {
      ctx.issues.error(at, "a loop needs count: N or while: CONDITION", { hint: 'e.g. loop: { while: "${vars.next != \'\'}", max: 100 }' });
    }
    if (loop.count !== undefined) {
      if (loop.max !== undefined) ctx.issues.error([...at, "max"], "max: applies to while: loops; a count: loop runs count times", { at: "key" });
      const count = num(loop.count, 0);
      return { count, maxIterations: count, steps };
    }
    const condition = typeof loop.while === "string" ? compileCondition(loop.while, templateContext(ctx, [...at, "while"], nc.env)) : undefined;
    return { ...(condition ? { while: condition } : {}), maxIterations: num(loop.max, DEFAULT_LOOP_MAX), steps };
  },
  compile(spec, loc, cc) {
    const steps = cc.compileSteps(spec.steps, cc.group);
    const { count, maxIterations, while: condition } = spec;
    const limit = count ?? maxIterations;
    const capMessage = condition
      ? `${loc.file}:${loc.line}:${loc.column}: loop stopped after maxIterations (${maxIterations}) with its condition "${condition.source}" still true`
      : "";
    return {
      kind: "loop",
      loc,
      async run(vu, signal) {
        for (let i = 0; i < limit; i++) {
          if (signal.aborted) return;
          if (condition && !condition.evaluate(vu.scope)) return;
          await runSteps(steps, vu, signal);
        }
        if (count === undefined && condition && !signal.aborted && condition.evaluate(vu.scope)) vu.warn(capMessage);
      },
    };
  },
};
