// The metric definitions a run knows: a plan's `metrics` (core metrics, its protocols' metrics,
// later hook- and plugin-declared ones) plus custom metrics registered by code. Names come from
// code, never from user data, so looking up an unknown name is a bug and `require` throws.
// Not on the hot path: MetricStore resolves a definition once per metric name and caches it.
import { CORE_METRICS } from "./builtin.ts";
import type { MetricContains, MetricDefinition, MetricType } from "./types.ts";

/** k6's rule for metric names. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export function isMetricName(name: string): boolean {
  return NAME.test(name);
}

export class MetricRegistry {
  readonly #defs = new Map<string, MetricDefinition>();

  /** Without definitions it knows only the protocol-independent core metrics. */
  constructor(definitions: readonly MetricDefinition[] = CORE_METRICS) {
    for (const def of definitions) this.register(def);
  }

  /**
   * Adds a definition; registering the same name again with the same type is a no-op that returns
   * the existing definition. A different type for a known name throws.
   */
  register(def: MetricDefinition): MetricDefinition;
  register(name: string, type: MetricType, contains?: MetricContains): MetricDefinition;
  register(defOrName: MetricDefinition | string, type?: MetricType, contains: MetricContains = "default"): MetricDefinition {
    const def: MetricDefinition =
      typeof defOrName === "string" ? { name: defOrName, type: type!, contains } : { ...defOrName };
    if (!isMetricName(def.name)) {
      throw new Error(`invalid metric name "${def.name}": use letters, digits and _ (at most 128), not starting with a digit`);
    }
    const existing = this.#defs.get(def.name);
    if (existing) {
      if (existing.type !== def.type) {
        throw new Error(`metric "${def.name}" is already a ${existing.type}; it cannot be registered as a ${def.type}`);
      }
      return existing;
    }
    const frozen = Object.freeze(def);
    this.#defs.set(def.name, frozen);
    return frozen;
  }

  get(name: string): MetricDefinition | undefined {
    return this.#defs.get(name);
  }

  /** The definition of `name`; throws for an unknown name (a bug in the caller). */
  require(name: string): MetricDefinition {
    const def = this.#defs.get(name);
    if (!def) throw new Error(`unknown metric "${name}": register it in the MetricRegistry before recording samples`);
    return def;
  }

  has(name: string): boolean {
    return this.#defs.has(name);
  }

  all(): MetricDefinition[] {
    return [...this.#defs.values()];
  }
}
