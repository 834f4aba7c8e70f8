// A scenario's `flow:` → Step[]: the generic dispatch. A step is a map whose kind is its first
// key that names a registered step kind (`syntax.steps` and every protocol's steps); that kind's
// normalizer makes its spec. A map with no such key was reported by the schema and is skipped.
// A step map's `tags:` (allowed by the kinds whose schema lists it) becomes `Step.tags`, whatever
// the kind: core/flow/program.ts merges it into the tags of everything the step records.
import type { Path } from "../issues.ts";
import type { Step } from "../plan.ts";
import { stepsOf } from "../registered.ts";
import type { StepNormalizeContext } from "../syntax.ts";
import { normalizeChecks } from "./checks.ts";
import { arr, isRecord, type Env, type NormalizeContext } from "./context.ts";
import { normalizeExtractions } from "./extract.ts";
import { normalizeTags } from "./tags.ts";
import type { RequestDefaults } from "./request-defaults.ts";

/** The context the steps of one scenario are normalized in (nested lists share it). */
export function flowContext(ctx: NormalizeContext, env: Env, defaults: RequestDefaults): StepNormalizeContext {
  const nc: StepNormalizeContext = {
    ctx,
    env,
    defaults,
    normalizeFlow: (raw, path) => normalizeFlow(raw, path, nc),
    normalizeChecks: (raw, path, own) => normalizeChecks(raw, path, ctx, env, own),
    normalizeExtractions: (raw, path, own) => normalizeExtractions(raw, path, ctx, own),
  };
  return nc;
}

export function normalizeFlow(raw: unknown, path: Path, nc: StepNormalizeContext): Step[] {
  const kinds = stepsOf(nc.ctx.syntax);
  const steps: Step[] = [];
  arr(raw).forEach((item, i) => {
    if (!isRecord(item)) return;
    const kind = Object.keys(item).find((key) => Object.hasOwn(kinds, key));
    if (kind === undefined) return;
    const at = [...path, i];
    const spec = kinds[kind]!.normalize(item, at, nc);
    const tags = item.tags === undefined ? undefined : normalizeTags(item.tags, [...at, "tags"], nc.ctx, nc.env);
    if (spec !== undefined) steps.push({ kind, loc: nc.ctx.issues.locate(at), spec, ...(tags ? { tags } : {}) });
  });
  return steps;
}
