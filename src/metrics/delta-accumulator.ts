// Combines several MetricDeltas into one (e.g. an agent folding its workers' deltas into the one
// it ships to the controller each second). Same semantics as the aggregator's merge: counters and
// rates add, gauges keep the last value, trend histograms add, carried metric definitions pass
// through (a delta whose definition contradicts an earlier one is rejected whole with a
// RejectedDeltaError, as the aggregator does). Single-threaded; `add` is called per incoming
// delta, `take` once per shipping interval.
import { newHistogram, type Histogram } from "./hdr.ts";
import { encodeHistogram, mergeEncoded } from "./hdr-codec.ts";
import { carriedDefinition, checkAgainst } from "./delta-definitions.ts";
import { emptyDelta, type MetricDefinition, type MetricDelta, type SeriesKey } from "./types.ts";

export class DeltaAccumulator {
  #definitions = new Map<string, MetricDefinition>();
  #counters = new Map<SeriesKey, number>();
  #rates = new Map<SeriesKey, [number, number]>();
  #gauges = new Map<SeriesKey, number>();
  #trends = new Map<SeriesKey, Histogram>();

  add(delta: MetricDelta): void {
    const carried: MetricDefinition[] = [];
    for (const name in delta.definitions ?? {}) {
      const def = carriedDefinition(name, delta.definitions![name]);
      const known = this.#definitions.get(name);
      if (known) checkAgainst(known, def);
      else carried.push(def);
    }
    for (const def of carried) this.#definitions.set(def.name, def);
    for (const key in delta.counters) this.#counters.set(key, (this.#counters.get(key) ?? 0) + delta.counters[key]!);
    for (const key in delta.rates) {
      const [p, f] = delta.rates[key]!;
      const r = this.#rates.get(key);
      if (r) {
        r[0] += p;
        r[1] += f;
      } else this.#rates.set(key, [p, f]);
    }
    for (const key in delta.gauges) this.#gauges.set(key, delta.gauges[key]!);
    for (const key in delta.trends) {
      let h = this.#trends.get(key);
      if (!h) {
        h = newHistogram(true);
        this.#trends.set(key, h);
      }
      mergeEncoded(delta.trends[key]!, [h]);
    }
  }

  get empty(): boolean {
    return this.#counters.size + this.#rates.size + this.#gauges.size + this.#trends.size === 0;
  }

  /** The combined delta since the last take; resets. */
  take(): MetricDelta {
    const out = emptyDelta();
    for (const [name, { type, contains }] of this.#definitions) out.definitions![name] = { type, contains };
    for (const [k, v] of this.#counters) out.counters[k] = v;
    for (const [k, v] of this.#rates) out.rates[k] = v;
    for (const [k, v] of this.#gauges) out.gauges[k] = v;
    for (const [k, h] of this.#trends) out.trends[k] = encodeHistogram(h);
    this.#definitions = new Map();
    this.#counters = new Map();
    this.#rates = new Map();
    this.#gauges = new Map();
    this.#trends = new Map();
    return out;
  }
}
