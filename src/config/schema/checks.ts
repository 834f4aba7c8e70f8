// Schemas of what a request-like step may carry: `checks:` (assertions on the response) and
// `extract:` (response → VU variables), built from the registered kinds (config/syntax.ts
// `CheckSyntax`, `ExtractSyntax`): a check or extraction is a map whose kind is its first
// registered key (`byKey`), so an unknown one gets "did you mean" over the kinds the step accepts.
// Shapes only; each kind's normalizer compiles the values. Also the building blocks kinds share.
import * as v from "valibot";
import type { CheckSyntaxes, ExtractSyntaxes } from "../syntax.ts";
import { byKey, list, map, optional, SCHEMA_INFO, str, strict, type Schema } from "./helpers.ts";

/** A JSON path (core/extract/jsonpath.ts), as checks and extractions take it. */
export const jsonPath: Schema = v.pipe(
  v.string("expected a JSON path like $.user.name"),
  v.check((p) => p.startsWith("$"), (issue) => `JSON path "${String(issue.input)}" must start with "$", e.g. "$.user.name"`),
) as Schema;

/** The strict map of a check kind: its own `entries` plus the `name` every check may carry. */
export function checkMap(entries: v.ObjectEntries, what: string): Schema {
  return strict({ ...entries, name: optional(str()) }, what);
}

type Kinds = Readonly<Record<string, { readonly schema: Schema }>>;

/** Memo per (shared, own) kinds maps; registries never change. */
class KindSchemas {
  private readonly byShared = new WeakMap<Kinds, { alone?: Schema; withOwn: WeakMap<Kinds, Schema> }>();
  constructor(private readonly build: (shared: Kinds, own: Kinds | undefined) => Schema) {}

  get(shared: Kinds, own: Kinds | undefined): Schema {
    let entry = this.byShared.get(shared);
    if (!entry) this.byShared.set(shared, (entry = { withOwn: new WeakMap() }));
    if (own === undefined || Object.keys(own).length === 0) return (entry.alone ??= this.build(shared, undefined));
    let schema = entry.withOwn.get(own);
    if (!schema) entry.withOwn.set(own, (schema = this.build(shared, own)));
    return schema;
  }
}

/**
 * One item of the given kinds. The shared kinds alone are the named definition `name` of the JSON
 * Schema export; with `own` kinds the export offers that definition plus the own kinds.
 */
function itemSchema(what: string, name: string, shared: Kinds, own: Kinds | undefined, sharedItem: () => Schema): Schema {
  const schemas = Object.fromEntries(Object.entries({ ...shared, ...own }).map(([key, kind]) => [key, kind.schema]));
  if (own === undefined) return byKey(what, () => schemas, name);
  const item = byKey(what, () => schemas);
  SCHEMA_INFO.set(item, { kind: "dispatch", options: () => [sharedItem(), ...Object.values(own).map((kind) => kind.schema)] });
  return item;
}

const checkItems: KindSchemas = new KindSchemas((shared, own) => itemSchema("check", "check", shared, own, () => checkItems.get(shared, undefined)));
const checkLists = new KindSchemas((shared, own) => list(checkItems.get(shared, own), "checks"));

/** `checks:` of a step that accepts the `shared` kinds and its protocol's `own` (memoized). */
export function checkListSchema(shared: CheckSyntaxes, own?: CheckSyntaxes): Schema {
  return checkLists.get(shared, own);
}

const extractionItems: KindSchemas = new KindSchemas((shared, own) =>
  itemSchema("extraction", "extraction", shared, own, () => extractionItems.get(shared, undefined)),
);
const extractionMaps = new KindSchemas((shared, own) =>
  map(extractionItems.get(shared, own), `extractions (variable: { ${Object.keys({ ...shared, ...own }).join(" | ")} })`),
);

/** `extract:` of a step that accepts the `shared` extraction kinds and its protocol's `own` (memoized). */
export function extractionMapSchema(shared: ExtractSyntaxes, own?: ExtractSyntaxes): Schema {
  return extractionMaps.get(shared, own);
}
