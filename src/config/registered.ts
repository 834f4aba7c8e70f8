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
 * The metrics a plan knows: the core metrics, then each protocol's (memoized per modules value).
 * Throws like `collectMetrics` on a name declared with two types.
 */
export function metricsOf(modules: WithMetrics): readonly MetricDefinition[] {
  const cached = metricCache.get(modules);
  if (cached) return cached;
  const list = collectMetrics([
    ["the core metrics", modules.metrics],
    ...Object.entries(modules.protocols).map(([name, protocol]) => [`protocol "${name}"`, protocol.metrics] as const),
  ]);
  metricCache.set(modules, list);
  return list;
}

/**
 * Metric definitions from several owners, in order: a name declared twice with one type is kept
 * once; with two types it throws naming both owners (a wiring bug in a module).
 */
export function collectMetrics(sources: ReadonlyArray<readonly [owner: string, defs: readonly MetricDefinition[]]>): readonly MetricDefinition[] {
  const byName = new Map<string, { def: MetricDefinition; owner: string }>();
  for (const [owner, defs] of sources) {
    for (const def of defs) {
      const seen = byName.get(def.name);
      if (!seen) byName.set(def.name, { def, owner });
      else if (seen.def.type !== def.type) {
        throw new Error(`metric "${def.name}" is a ${seen.def.type} in ${seen.owner} but a ${def.type} in ${owner}`);
      }
    }
  }
  return Object.freeze([...byName.values()].map((entry) => entry.def));
}
