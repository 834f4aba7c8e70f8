// `expect: {contains, matches}` of the raw-socket steps (tcp, and udp through this file) as one
// shared `body` check (core/checks/body.ts) on the reply, named like k6's checks
// (`expect contains "PING 1"`): the check runtime is the shared one, not a copy.
import type { Path } from "../../../config/issues.ts";
import type { CheckSpec } from "../../../config/plan.ts";
import { regexOf, str, template, type Env, type NormalizeContext } from "../../../config/normalize/context.ts";
import { bodyCheck, type BodyCheck } from "../../../core/checks/body.ts";

export function expectChecks(expect: Record<string, unknown>, path: Path, ctx: NormalizeContext, env: Env): CheckSpec[] {
  const spec: BodyCheck = {};
  const parts: string[] = [];
  if (expect.contains !== undefined) {
    spec.contains = template(ctx, expect.contains, [...path, "contains"], env);
    parts.push(`contains ${JSON.stringify(spec.contains.source)}`);
  }
  const matches = str(expect.matches);
  if (matches !== undefined) {
    spec.matches = regexOf(matches);
    parts.push(`matches /${matches}/`);
  }
  if (parts.length === 0) return [];
  return [{ kind: bodyCheck.key, name: `expect ${parts.join(" and ")}`, loc: ctx.issues.locate(path), spec }];
}
