// Per-worker metric storage: the MetricSink every VU of a worker thread writes into, and the
// source of that worker's once-a-second MetricDelta (the same delta an agent ships to the controller).
//
// Contract:
// - `add` is the hot path (tens of thousands of calls per second, synchronous, never blocks): one
//   map lookup per metric name, one cached series-key lookup per tags object, one record.
//   `series` resolves that once for a producer that records the same series again and again
//   (the HTTP metrics of one request step): its handle records with no lookup at all.
// - `takeDelta` is called by the same thread about once a second: it encodes every series that
//   changed since the previous call and resets them (histograms are reset and reused), and adds
//   the definition (type, unit) of every metric in the delta from this store's registry, so the
//   receiver knows custom metrics it never registered.
// - Not thread-safe by design: one store per worker thread.
import { MetricRegistry } from "./registry.ts";
import { seriesKey } from "./series.ts";
import { DROPPED_SERIES, newStoreSeries, type StoreSeries } from "./store-series.ts";
import { emptyDelta, type MetricDefinition, type MetricDelta, type MetricSink, type SeriesHandle, type SeriesKey, type Tags } from "./types.ts";

/** Series per metric past which `onWarning` is told once (tag cardinality). */
export const DEFAULT_SERIES_LIMIT = 1000;

export interface MetricStoreOptions {
  /** Series of one metric past which a warning is emitted once. Default 1000. */
  seriesLimit?: number;
  /** Receives plain-words warnings (cardinality, dropped unknown metrics). Called at most once per metric and cause. */
  onWarning?: (message: string) => void;
  /**
   * Unknown metric names are bugs (names come from code): by default `add` throws. With
   * `strict: false` the sample is dropped and `onWarning` is told once.
   */
  strict?: boolean;
}

interface StoreMetric {
  readonly def: MetricDefinition;
  readonly series: Map<SeriesKey, StoreSeries>;
  /** The last series written: consecutive samples mostly hit the same one. */
  lastSeries: StoreSeries | undefined;
  lastKey: SeriesKey | undefined;
  /** The tags object of the last sample when it is frozen (a mutable one is keyed every time). */
  lastTags: Tags | undefined;
  warned: boolean;
}

export class MetricStore implements MetricSink {
  readonly #registry: MetricRegistry;
  readonly #metrics = new Map<string, StoreMetric>();
  readonly #dirty: StoreSeries[] = [];
  readonly #limit: number;
  readonly #warn: (message: string) => void;
  readonly #strict: boolean;
  readonly #unknownWarned = new Set<string>();

  /** `registry` defaults to the built-in metrics; pass a shared one when code registers custom metrics. */
  constructor(registry: MetricRegistry = new MetricRegistry(), options: MetricStoreOptions = {}) {
    this.#registry = registry;
    this.#limit = options.seriesLimit ?? DEFAULT_SERIES_LIMIT;
    this.#warn = options.onWarning ?? (() => {});
    this.#strict = options.strict ?? true;
  }

  /** Records one sample. Hot path; see MetricSink for the meaning of `value` per metric type. */
  add(metric: string, value: number, tags: Tags): void {
    this.#resolve(metric, tags)?.add(value);
  }

  /** The series of (metric, tags), resolved once (MetricSink.series); unknown metrics as `add` treats them. */
  series(metric: string, tags: Tags): SeriesHandle {
    return this.#resolve(metric, tags) ?? DROPPED_SERIES;
  }

  /** Encodes every series changed since the last call, then resets them. Not the hot path. */
  takeDelta(): MetricDelta {
    const delta = emptyDelta();
    const definitions = delta.definitions!;
    for (const s of this.#dirty) {
      s.dirty = false;
      const { name, type, contains } = s.def;
      if (!(name in definitions)) definitions[name] = { type, contains };
      s.flushInto(delta);
    }
    this.#dirty.length = 0;
    return delta;
  }

  /** Whether any sample arrived since the last `takeDelta`. */
  get pending(): boolean {
    return this.#dirty.length > 0;
  }

  /** Number of series of `metric` seen so far (for tests and diagnostics). */
  seriesCount(metric: string): number {
    return this.#metrics.get(metric)?.series.size ?? 0;
  }

  #newMetric(name: string): StoreMetric | undefined {
    const def = this.#registry.get(name);
    if (def === undefined) {
      if (this.#strict) return void this.#registry.require(name); // throws with a clear message
      if (!this.#unknownWarned.has(name)) {
        this.#unknownWarned.add(name);
        this.#warn(`samples of the unknown metric "${name}" were dropped (it was never registered)`);
      }
      return undefined;
    }
    const m: StoreMetric = { def, series: new Map(), lastSeries: undefined, lastKey: undefined, lastTags: undefined, warned: false };
    this.#metrics.set(name, m);
    return m;
  }

  /** The series a sample of (metric, tags) goes to; undefined for a dropped unknown metric. */
  #resolve(metric: string, tags: Tags): StoreSeries | undefined {
    let m = this.#metrics.get(metric);
    if (m === undefined) {
      m = this.#newMetric(metric);
      if (m === undefined) return undefined;
    }
    // The same frozen tags object as the last sample: its contents, so its key, cannot differ.
    if (tags === m.lastTags) return m.lastSeries!;
    const key = seriesKey(metric, tags);
    let s: StoreSeries;
    if (key === m.lastKey) {
      s = m.lastSeries!;
    } else {
      s = m.series.get(key) ?? this.#newSeries(m, key);
      m.lastKey = key;
      m.lastSeries = s;
    }
    m.lastTags = Object.isFrozen(tags) ? tags : undefined;
    return s;
  }

  #newSeries(m: StoreMetric, key: SeriesKey): StoreSeries {
    const s = newStoreSeries(key, m.def, this.#dirty);
    m.series.set(key, s);
    if (!m.warned && m.series.size > this.#limit) {
      m.warned = true;
      this.#warn(
        `metric "${m.def.name}" has more than ${this.#limit} series (distinct tag combinations); ` +
          `tag requests by a name or URL template instead of the full URL, or memory will keep growing`,
      );
    }
    return s;
  }
}
