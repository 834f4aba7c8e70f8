// `extract:` of a request-like step → ExtractSpec[]: the generic dispatch, like checks.ts. Each
// entry is `variable: { kind: … }`; the kind is the map's first key that names a kind the step
// accepts (config/syntax.ts `ExtractSyntax`). Variable names are checked here, for every kind.
import type { Path } from "../issues.ts";
import type { ExtractSpec } from "../plan.ts";
import type { ExtractSyntaxes } from "../syntax.ts";
import { checkVariableName, isRecord, rec, type NormalizeContext } from "./context.ts";

export function normalizeExtractions(raw: unknown, path: Path, ctx: NormalizeContext, own?: ExtractSyntaxes): ExtractSpec[] {
  const kinds = own === undefined ? ctx.syntax.extractions : { ...ctx.syntax.extractions, ...own };
  const extractions: ExtractSpec[] = [];
  for (const [variable, item] of Object.entries(rec(raw))) {
    const at = [...path, variable];
    checkVariableName(ctx, at, variable);
    if (!isRecord(item)) continue;
    const kind = Object.keys(item).find((key) => Object.hasOwn(kinds, key));
    if (kind === undefined) continue;
    const spec = kinds[kind]!.normalize(item, at, ctx);
    if (spec !== undefined) extractions.push({ variable, kind, loc: ctx.issues.locate(at, "key"), spec });
  }
  return extractions;
}
