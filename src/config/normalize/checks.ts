// `checks:` of a request-like step → CheckSpec[]: the generic dispatch. A check is a map whose
// kind is its first key that names a kind the step accepts (the shared kinds and its protocol's
// own, config/syntax.ts `CheckSyntax`); that kind's normalizer makes its spec and default name,
// and an explicit `name:` replaces the name. A map with no such key was reported by the schema.
import type { Path } from "../issues.ts";
import type { CheckSpec } from "../plan.ts";
import type { CheckSyntaxes } from "../syntax.ts";
import { arr, isRecord, str, type Env, type NormalizeContext } from "./context.ts";

export function normalizeChecks(raw: unknown, path: Path, ctx: NormalizeContext, env: Env, own?: CheckSyntaxes): CheckSpec[] {
  const kinds = own === undefined ? ctx.syntax.checks : { ...ctx.syntax.checks, ...own };
  const checks: CheckSpec[] = [];
  arr(raw).forEach((item, i) => {
    if (!isRecord(item)) return;
    const kind = Object.keys(item).find((key) => Object.hasOwn(kinds, key));
    if (kind === undefined) return;
    const at = [...path, i];
    const made = kinds[kind]!.normalize(item, at, ctx, env);
    if (made !== undefined) checks.push({ kind, name: str(item.name) ?? made.name, loc: ctx.issues.locate(at), spec: made.spec });
  });
  return checks;
}
