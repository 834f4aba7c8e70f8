// Joins module sets into one: the built-ins (src/builtins.ts) with the extra modules a run loads
// (load-modules.ts: `moduleSpecifiers`, each exporting `modules: Partial<Modules>`). Called once
// per worker thread, CLI command or controller plan load; not on any hot path.
import { checksOf, collectMetrics, extractionsOf, metricsOf, stepsOf } from "../config/registered.ts";
import type { Modules } from "./types.ts";
import type { TemplateFunction } from "../config/expression/functions.ts";

const REGISTRIES = ["steps", "protocols", "executors", "outputs", "checks", "extractions", "functions"] as const;
const SINGULAR = { steps: "step", protocols: "protocol", executors: "executor", outputs: "output", checks: "check", extractions: "extraction", functions: "template function" } as const;

/** A set of extra modules; `owner` names it in messages (a plugin: `plugin "redis" (plugins/redis.ts)`). */
export type ModuleSet = Partial<Modules> & { readonly owner?: string };

/**
 * `base` with every set of `extras` added, in order. Throws an Error naming both owners when a
 * name is taken twice: a step, check or extraction key, a protocol, executor, output or template
 * function name, a
 * metric declared with two types; and, checked on the result as the loader reads it
 * (config/registered.ts), a step key shared by the control steps and a protocol or by two
 * protocols, and a check or extraction key shared by the shared kinds and a protocol's own or by
 * two protocols.
 */
export function mergeModules(base: Modules, ...extras: ReadonlyArray<ModuleSet>): Modules {
  const merged = {
    steps: { ...base.steps },
    protocols: { ...base.protocols },
    executors: { ...base.executors },
    outputs: { ...base.outputs },
    checks: { ...base.checks },
    extractions: { ...base.extractions },
    functions: Object.assign(Object.create(null) as Record<string, TemplateFunction>, base.functions),
  };
  const ownerOf = (i: number) => extras[i]?.owner ?? (extras.length === 1 ? "the extra modules" : `extra module set ${i + 1}`);
  const owners = new Map<string, string>();
  extras.forEach((extra, i) => {
    for (const registry of REGISTRIES) {
      const target: Record<string, unknown> = merged[registry];
      for (const [name, entry] of Object.entries(extra[registry] ?? {})) {
        const id = `${registry}\n${name}`;
        if (Object.hasOwn(target, name)) {
          throw new Error(`${SINGULAR[registry]} "${name}" is registered twice: by ${owners.get(id) ?? "the base modules"} and by ${ownerOf(i)}`);
        }
        target[name] = entry;
        owners.set(id, ownerOf(i));
      }
    }
  });
  const metrics = collectMetrics([["the base modules", base.metrics], ...extras.map((extra, i) => [ownerOf(i), extra.metrics ?? []] as const)]);
  const result: Modules = { ...merged, metrics, shortcuts: base.shortcuts };
  stepsOf(result);
  checksOf(result);
  extractionsOf(result);
  metricsOf(result);
  return result;
}
