// What a set of modules registers, flattened: every step, check and extraction kind by its YAML
// key and every metric a plan knows. Works on both halves of a registry entry (the syntax of
// config/syntax.ts, the runtime of core/modules.ts), so the loader and the engine agree on one
// list. Results are memoized per modules object (registries are built once and never mutated).
import type { MetricDefinition } from "../metrics/types.ts";

type KindMap<T> = Readonly<Record<string, T>>;

interface WithSteps<T> {
  readonly steps: KindMap<T>;
  readonly protocols: Readonly<Record<string, { readonly steps: KindMap<T> }>>;
}

interface WithChecks<T> {
  readonly checks: KindMap<T>;
  readonly protocols: Readonly<Record<string, { readonly checks?: KindMap<T> }>>;
}

interface WithExtractions<T> {
  readonly extractions: KindMap<T>;
  readonly protocols: Readonly<Record<string, { readonly extractions?: KindMap<T> }>>;
}

interface WithMetrics {
  readonly metrics: readonly MetricDefinition[];
  readonly protocols: Readonly<Record<string, { readonly metrics: readonly MetricDefinition[] }>>;
}

const stepCache = new WeakMap<object, KindMap<unknown>>();
const checkCache = new WeakMap<object, KindMap<unknown>>();
const extractionCache = new WeakMap<object, KindMap<unknown>>();
const metricCache = new WeakMap<object, readonly MetricDefinition[]>();

/**
 * Every step kind: the protocol-independent ones, then each protocol's, by key. Throws when two
 * of them claim one key, or an entry's `key` is not the key it is registered under (a wiring bug
 * in a module, not a plan problem).
 */
export function stepsOf<T extends { readonly key: string }>(modules: WithSteps<T>): KindMap<T> {
  return flatten(stepCache, modules, "step", [["the control steps", modules.steps], ...ofProtocols(modules.protocols, (p) => p.steps)]);
}

/** Every check kind: the shared ones, then each protocol's own, by key; throws like `stepsOf`. */
export function checksOf<T extends { readonly key: string }>(modules: WithChecks<T>): KindMap<T> {
  return flatten(checkCache, modules, "check", [["the shared checks", modules.checks], ...ofProtocols(modules.protocols, (p) => p.checks)]);
}

/** Every extraction kind: the shared ones, then each protocol's own, by key; throws like `stepsOf`. */
export function extractionsOf<T extends { readonly key: string }>(modules: WithExtractions<T>): KindMap<T> {
  return flatten(extractionCache, modules, "extraction", [
    ["the shared extractions", modules.extractions],
    ...ofProtocols(modules.protocols, (p) => p.extractions),
  ]);
}

function ofProtocols<P, T>(protocols: Readonly<Record<string, P>>, pick: (protocol: P) => KindMap<T> | undefined) {
  return Object.entries(protocols).map(([name, protocol]) => [`protocol "${name}"`, pick(protocol) ?? {}] as const);
}

function flatten<T extends { readonly key: string }>(
  cache: WeakMap<object, KindMap<unknown>>,
  modules: object,
  what: string,
  sources: ReadonlyArray<readonly [owner: string, kinds: KindMap<T>]>,
): KindMap<T> {
  const cached = cache.get(modules);
  if (cached) return cached as KindMap<T>;
  const all: Record<string, T> = {};
  const owner: Record<string, string> = {};
  for (const [from, kinds] of sources) {
    for (const [key, kind] of Object.entries(kinds)) {
      if (kind.key !== key) throw new Error(`${from}: ${what} "${kind.key}" is registered under the key "${key}"; use one name for both`);
      if (Object.hasOwn(all, key)) throw new Error(`${what} "${key}" is registered twice: by ${owner[key]} and by ${from}`);
      all[key] = kind;
      owner[key] = from;
    }
  }
  const frozen = Object.freeze(all);
  cache.set(modules, frozen);
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
