// `set: { name: VALUE, … }`: evaluates each value over the VU's scope, in order, into its vars (a
// later entry sees the earlier ones). Synchronous. Values keep their type (docs/expressions.md):
// a YAML number or boolean is stored as one; a string that is exactly one `${expression}` stores
// the expression's value (`"${vars.n + 1}"` a number); any other string is a template and stores
// its text. A value that evaluates to null (`"${vars.unset}"`, `"${null}"`) unsets the variable.
// An evaluation error (division by zero, ...) throws: the step fails with its location.
import type { Template } from "../../../config/plan.ts";
import { map, scalar, strict } from "../../../config/schema/helpers.ts";
import { checkVariableName, rec, template, templateContext } from "../../../config/normalize/context.ts";
import { MAX_NUMBER } from "../../../config/expression/values.ts";
import { literalTemplate, type TemplateContext } from "../../../config/templates.ts";
import type { StepKind } from "../../../plugin-api/types.ts";

/** `"${vars.n} + 1"`: arithmetic written outside the `${}`, so it would be stored as text. */
const ARITHMETIC_OUTSIDE = /^\$\{([^}]*)\}(\s+([-+*/%])\s+(\d+(?:\.\d+)?))\s*$/;

export interface SetSpec {
  vars: Array<[string, Template]>;
}

export const setStep: StepKind<SetSpec> = {
  key: "set",
  schema: () => strict({ set: map(scalar, "variables") }, "set step"),
  normalize(raw, path, { ctx, env }) {
    const vars: Array<[string, Template]> = [];
    for (const [name, value] of Object.entries(rec(raw.set))) {
      const at = [...path, "set", name];
      checkVariableName(ctx, at, name);
      if (typeof value === "number" && !(Math.abs(value) <= MAX_NUMBER)) {
        ctx.issues.error(at, `${value} is past ±2^53 (${MAX_NUMBER}), where numbers lose integer precision`);
      }
      if (typeof value === "string") warnArithmeticOutside(value, templateContext(ctx, at, env));
      const typed = typeof value === "number" || typeof value === "boolean";
      vars.push([name, typed ? literalTemplate(value) : template(ctx, value, at, env)]);
    }
    return { vars };
  },
  compile({ vars }, loc) {
    return {
      kind: "set",
      loc,
      run(vu) {
        const target = vu.scope.vars;
        for (const [name, value] of vars) {
          const result = value.evaluate(vu.scope);
          if (result === null) delete target[name];
          else target[name] = result;
        }
      },
    };
  },
};

/** Warns at the operator of `"${vars.n} + 1"`, which stores the text "0 + 1", and shows the fix. */
function warnArithmeticOutside(value: string, ctx: TemplateContext): void {
  const outside = ARITHMETIC_OUTSIDE.exec(value);
  if (!outside) return;
  const [, inner = "", tail = "", op = "", operand = ""] = outside;
  ctx.warn(
    `"${value}" stores text ("…${tail}"): the operator is outside the \${}`,
    `to compute, write "\${${inner.trim()} ${op} ${operand}}"`,
    value.indexOf(op, inner.length + 3),
  );
}
