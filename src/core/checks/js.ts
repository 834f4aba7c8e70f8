// `checks: [{ js: isValidOrder }]`: a function of the plan's hooks module judges the response
// (docs/hooks.md). It receives the VU's ctx and a view of the response (status, headers, body,
// json() parsed on demand, timings) and returns true (pass), false, or a string: the reason it
// failed. It must be synchronous (a check cannot wait); the VU's script (core/script.ts) bounds it
// by the hook timeout and reports a reason, a throw or a timeout once per distinct message.
import { str } from "../../config/schema/helpers.ts";
import { checkMap } from "../../config/schema/checks.ts";
import { str as text } from "../../config/normalize/context.ts";
import { checkHookRef } from "../../config/normalize/hook-ref.ts";
import type { CheckKind } from "../../plugin-api/types.ts";

export interface JsCheck {
  name: string;
}

export const jsCheck: CheckKind<JsCheck> = {
  key: "js",
  schema: checkMap({ js: str("the name of a function the hooks module exports") }, "js check"),
  normalize(raw, path, ctx) {
    const name = text(raw.js) ?? "";
    checkHookRef(ctx, [...path, "js"], name, "js check");
    return { spec: { name }, name: `js ${name}` };
  },
  evaluate(spec, response, scope) {
    const script = scope.script;
    return script !== undefined && script.check(spec.name, response) === true;
  },
};
