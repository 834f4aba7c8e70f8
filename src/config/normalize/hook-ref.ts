// The check that a `js:` step or check names a function the plan's hooks module exports, shared
// by both (core/flow/steps/js.ts, core/checks/js.ts). Reports at `path` with the module's place.
import type { Path } from "../issues.ts";
import { didYouMean } from "../suggest.ts";
import type { NormalizeContext } from "./context.ts";

const LIFECYCLE = new Set(["setup", "teardown", "init", "beforeIteration", "afterIteration"]);

export function checkHookRef(ctx: NormalizeContext, path: Path, name: string, what: string): void {
  const hooks = ctx.hooks;
  if (!hooks) {
    ctx.issues.error(path, `a ${what} calls a function of the plan's hooks module, but the plan has no hooks:`, {
      hint: "add at the plan's top level: hooks: ./hooks.ts (a module exporting the function)",
    });
    return;
  }
  if (hooks.exports === undefined || hooks.exports.includes(name)) return;
  const callable = hooks.exports.filter((e) => !LIFECYCLE.has(e));
  ctx.issues.error(path, `the hooks module ${hooks.module} (${hooks.where}:1:1) has no export "${name}"${didYouMean(name, callable)}`, {
    hint: callable.length > 0 ? `its exports: ${callable.join(", ")}` : `export it: export function ${name}(ctx) { … }`,
  });
}
