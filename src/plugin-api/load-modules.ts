// Extra modules given as ES module specifiers (absolute file paths or file: URLs, e.g. a plugin or
// a test fixture), each exporting `modules: Partial<Modules>`: imported and merged over a base,
// in order. Called where a run's modules are put together (a worker thread at start, the
// controller's plan loader, a local cluster); async because of the dynamic imports.
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { LoadrError } from "../shared/errors.ts";
import { mergeModules } from "./merge.ts";
import type { Modules } from "./types.ts";

/** `base` with the modules of every specifier merged over it; throws a LoadrError naming the specifier. */
export async function loadModules(base: Modules, specifiers: readonly string[]): Promise<Modules> {
  let merged = base;
  for (const specifier of specifiers) {
    const url = isAbsolute(specifier) ? pathToFileURL(specifier).href : specifier.startsWith("file:") ? specifier : undefined;
    if (url === undefined) {
      throw new LoadrError(`module ${specifier}: not an absolute path or a file: URL`, { hint: "resolve it first, e.g. against the current directory" });
    }
    let exported: unknown;
    try {
      exported = ((await import(url)) as { modules?: unknown }).modules;
    } catch (error) {
      throw new LoadrError(`cannot import module ${specifier}: ${(error as Error)?.message ?? error}`, {
        hint: "check that the file exists and is an ES module (.ts or .js)",
      });
    }
    if (typeof exported !== "object" || exported === null) {
      throw new LoadrError(`module ${specifier} exports no \`modules\` object`, {
        hint: "export const modules: Partial<Modules> = { protocols: { … } } (src/plugin-api/types.ts)",
      });
    }
    try {
      merged = mergeModules(merged, exported as Partial<Modules>);
    } catch (error) {
      throw new LoadrError(`module ${specifier}: ${(error as Error).message}`, { hint: "rename one of the two" });
    }
  }
  return merged;
}
