// What a set of modules registers, flattened: every step kind by its YAML key and every metric a
// plan knows. Works on both halves of a registry entry (the syntax of config/syntax.ts, the
// runtime of core/modules.ts), so the loader and the engine agree on one list. Results are
// memoized per modules object (registries are built once and never mutated).
import type { MetricDefinition } from "../metrics/types.ts";

interface WithSteps<T> {
  readonly steps: Readonly<Record<string, T>>;
  readonly protocols: Readonly<Record<string, { readonly steps: Readonly<Record<string, T>> }>>;
}

interface WithMetrics {
  readonly metrics: readonly MetricDefinition[];
  readonly protocols: Readonly<Record<string, { readonly metrics: readonly MetricDefinition[] }>>;
}

const stepCache = new WeakMap<object, Readonly<Record<string, unknown>>>();
const metricCache = new WeakMap<object, readonly MetricDefinition[]>();

/**
 * Every step kind: the protocol-independent ones, then each protocol's, by key. Throws when two
 * of them claim one key, or an entry's `key` is not the key it is registered under (a wiring bug
 * in a module, not a plan problem).
 */
export function stepsOf<T extends { readonly key: string }>(modules: WithSteps<T>): Readonly<Record<string, T>> {
  const cached = stepCache.get(modules);
  if (cached) return cached as Readonly<Record<string, T>>;
  const all: Record<string, T> = {};
  const owner: Record<string, string> = {};
  const add = (steps: Readonly<Record<string, T>>, from: string) => {
    for (const [key, step] of Object.entries(steps)) {
      if (step.key !== key) throw new Error(`${from}: step "${step.key}" is registered under the key "${key}"; use one name for both`);
      if (Object.hasOwn(all, key)) throw new Error(`step "${key}" is registered twice: by ${owner[key]} and by ${from}`);
      all[key] = step;
      owner[key] = from;
    }
  };
  add(modules.steps, "the control steps");
  for (const [name, protocol] of Object.entries(modules.protocols)) add(protocol.steps, `protocol "${name}"`);
  const frozen = Object.freeze(all);
  stepCache.set(modules, frozen);
  return frozen;
}

/**
 * The metrics a plan knows: the core metrics, then each protocol's. A name declared twice with
 * one type is kept once; with two types it throws (a wiring bug in a module).
 */
export function metricsOf(modules: WithMetrics): readonly MetricDefinition[] {
  const cached = metricCache.get(modules);
  if (cached) return cached;
  const byName = new Map<string, { def: MetricDefinition; from: string }>();
  const add = (defs: readonly MetricDefinition[], from: string) => {
    for (const def of defs) {
      const seen = byName.get(def.name);
      if (!seen) byName.set(def.name, { def, from });
      else if (seen.def.type !== def.type) {
        throw new Error(`metric "${def.name}" is a ${seen.def.type} in ${seen.from} but a ${def.type} in ${from}`);
      }
    }
  };
  add(modules.metrics, "the core metrics");
  for (const [name, protocol] of Object.entries(modules.protocols)) add(protocol.metrics, `protocol "${name}"`);
  const list = Object.freeze([...byName.values()].map((entry) => entry.def));
  metricCache.set(modules, list);
  return list;
}
