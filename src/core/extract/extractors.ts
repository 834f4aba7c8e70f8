// Extraction: turns a response into VU variables (`extract:` on a request-like step).
// `compileExtractions` binds each extraction to its kind once per (scenario, step); a step calls
// `runExtractors` after a response's checks, on the VU's own task; synchronous, never throws.
// What each kind finds is documented in its own file (core/extract/{json,regex,header,cookie}.ts;
// a protocol's own kinds in its folder).
//
// Contract of a failed extraction (nothing found, body not JSON, no such header/cookie, network
// failure): the variable is *removed* from the VU's vars, so it renders as "" and a value left
// over from an earlier iteration can never masquerade as a fresh one. Nothing is recorded as a
// metric; `onMiss` (the step warns once per extractor) is the only side effect.
import type { ExtractSpec, VarValue } from "../../config/plan.ts";
import type { CookieJar, ResponseView } from "../../protocols/types.ts";
import type { CompiledExtraction, ExtractRuntimes } from "../modules.ts";

/**
 * Each spec bound to its kind in `kinds` (shared and every protocol's, config/registered.ts
 * `extractionsOf`). Throws, naming the location, for a kind with no runtime.
 */
export function compileExtractions(specs: readonly ExtractSpec[], kinds: ExtractRuntimes): CompiledExtraction[] {
  return specs.map((extraction) => {
    const kind = kinds[extraction.kind];
    if (!kind) {
      const { file, line, column } = extraction.loc;
      throw new Error(`${file}:${line}:${column}: no runtime for extraction kind "${extraction.kind}" (the plan was loaded with modules this worker does not have)`);
    }
    const spec = extraction.spec;
    return {
      variable: extraction.variable,
      loc: extraction.loc,
      what: kind.describe(spec),
      extract: (response, jar) => kind.extract(spec, response, jar),
    };
  });
}

/**
 * Runs every extractor of a request in order, writing into `vars` (later extractors see earlier
 * results only through vars, not through templates of this request, which are already rendered).
 * An extracted value is always a string, whatever its JSON type (docs/expressions.md "Types").
 */
export function runExtractors(
  extractions: readonly CompiledExtraction[],
  response: ResponseView,
  vars: Record<string, VarValue>,
  jar: CookieJar,
  onMiss?: (extraction: CompiledExtraction) => void,
): void {
  for (const extraction of extractions) {
    const value = extraction.extract(response, jar);
    if (value === undefined) {
      delete vars[extraction.variable];
      onMiss?.(extraction);
    } else {
      vars[extraction.variable] = value;
    }
  }
}

/** The warning for an extraction that found nothing, naming it by its plan location. */
export function missMessage(extraction: CompiledExtraction): string {
  const { file, line, column } = extraction.loc;
  return `${file}:${line}:${column}: extract "${extraction.variable}" found no ${extraction.what}; the variable is unset (renders as "")`;
}
