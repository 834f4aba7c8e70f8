// `- js: fnName` or `- { js: fnName, args: [...] }`: calls a function the plan's hooks module
// exports (docs/hooks.md) with the VU's ctx and the args (templates rendered over the VU's scope,
// like a JSON body's strings); the plain object it returns (or resolves to) is merged into the
// VU's variables, as `set:` would store it (null or undefined unsets one). Synchronous when the
// function is. A hook's failure was reported by the VU's script (core/script.ts) and ends the
// iteration.
import * as v from "valibot";
import type { JsonTemplate } from "../../../config/plan.ts";
import { list, optional, str, strict } from "../../../config/schema/helpers.ts";
import { arr, str as text, template } from "../../../config/normalize/context.ts";
import { checkHookRef } from "../../../config/normalize/hook-ref.ts";
import { compileJson, renderJson } from "../../../config/templates.ts";
import type { StepKind } from "../../../plugin-api/types.ts";
import type { VuRuntime } from "../interpreter.ts";
import type { ReturnedVars } from "../../script.ts";

export interface JsStepSpec {
  name: string;
  args: JsonTemplate[];
}

export const jsStep: StepKind<JsStepSpec> = {
  key: "js",
  schema: () => strict({ js: str("the name of a function the hooks module exports"), args: optional(list(v.unknown() as never, "arguments")) }, "js step"),
  normalize(raw, path, { ctx, env }) {
    const name = text(raw.js) ?? "";
    checkHookRef(ctx, [...path, "js"], name, "js step");
    const args = arr(raw.args).map((value, i) => compileJson(value, (s, p) => template(ctx, s, p, env), [...path, "args", i]));
    return { name, args };
  },
  compile({ name, args }, loc) {
    const noArgs: unknown[] = [];
    return {
      kind: "js",
      loc,
      run(vu, signal) {
        const script = vu.script;
        if (!script) throw new Error(`js step "${name}": no hooks module is loaded on this worker`);
        const rendered = args.length === 0 ? noArgs : args.map((a) => renderJson(a, vu.scope));
        const result = script.call(name, rendered, signal);
        if (result instanceof Promise) return result.then((vars) => merge(vu, vars));
        merge(vu, result);
      },
    };
  },
};

function merge(vu: VuRuntime, vars: ReturnedVars | undefined): void {
  if (!vars) return;
  const target = vu.scope.vars;
  for (const key of Object.keys(vars)) {
    const value = vars[key]!;
    if (value === null) delete target[key];
    else target[key] = value;
  }
}
