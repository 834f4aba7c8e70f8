// Joins module sets into one: the built-ins (src/builtins.ts) with the extra modules a run loads
// (load-modules.ts: `moduleSpecifiers`, each exporting `modules: Partial<Modules>`). Called once
// per worker thread, CLI command or controller plan load; not on any hot path.
import type { MetricDefinition } from "../metrics/types.ts";
import type { Modules } from "./types.ts";

type Registry = Exclude<keyof Modules, "metrics">;
const REGISTRIES: readonly Registry[] = ["steps", "protocols", "executors", "outputs"];
const NAMED = ["protocols", "executors", "outputs"] as const;
const SINGULAR: Record<(typeof NAMED)[number], string> = { protocols: "protocol", executors: "executor", outputs: "output" };

/**
 * `base` with every set of `extras` added, in order. Throws an Error naming both owners when a
 * name is taken twice: a step key (also one module's control step against another's protocol
 * step), a protocol, executor or output name, or a metric declared with two types (a metric
 * declared twice with one type is kept once).
 */
export function mergeModules(base: Modules, ...extras: ReadonlyArray<Partial<Modules>>): Modules {
  const merged: { [K in Registry]: Record<string, Modules[K][string]> } = {
    steps: { ...base.steps },
    protocols: { ...base.protocols },
    executors: { ...base.executors },
    outputs: { ...base.outputs },
  };
  const owners = new Map<string, string>();
  const claim = (what: string, name: string, owner: string) => {
    const id = `${what}\n${name}`;
    const first = owners.get(id);
    if (first !== undefined) throw new Error(`${what} "${name}" is registered twice: by ${first} and by ${owner}`);
    owners.set(id, owner);
  };
  const metrics = new Map<string, { def: MetricDefinition; owner: string }>();
  const note = (modules: Partial<Modules>, owner: string) => {
    for (const registry of NAMED) for (const name of Object.keys(modules[registry] ?? {})) claim(SINGULAR[registry], name, owner);
    // Step keys share one namespace: the control steps and every protocol's steps.
    for (const key of Object.keys(modules.steps ?? {})) claim("step", key, owner);
    for (const [name, protocol] of Object.entries(modules.protocols ?? {})) {
      for (const key of Object.keys(protocol.steps)) claim("step", key, `${owner} (protocol "${name}")`);
    }
    for (const def of modules.metrics ?? []) {
      const seen = metrics.get(def.name);
      if (!seen) metrics.set(def.name, { def, owner });
      else if (seen.def.type !== def.type) {
        throw new Error(`metric "${def.name}" is a ${seen.def.type} in ${seen.owner} but a ${def.type} in ${owner}`);
      }
    }
  };
  note(base, "the base modules");
  extras.forEach((extra, i) => {
    note(extra, extras.length === 1 ? "the extra modules" : `extra module set ${i + 1}`);
    for (const registry of REGISTRIES) Object.assign(merged[registry], extra[registry] ?? {});
  });
  return { ...merged, metrics: [...metrics.values()].map((m) => m.def) };
}
