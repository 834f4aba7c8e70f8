// Per-worker metric storage: the MetricSink every VU of a worker thread writes into, and the
// source of that worker's once-a-second MetricDelta (the same delta an agent ships to the controller).
//
// Contract:
// - `add` is the hot path (tens of thousands of calls per second, synchronous, never blocks): one
//   map lookup per metric name, one cached series-key lookup per tags object, one record.
// - `takeDelta` is called by the same thread about once a second: it encodes every series that
//   changed since the previous call and resets them (histograms are reset and reused), and adds
//   the definition (type, unit) of every metric in the delta from this store's registry, so the
//   receiver knows custom metrics it never registered.
// - Not thread-safe by design: one store per worker thread.
import { newHistogram, toStored, type Histogram } from "./hdr.ts";
import { encodeHistogram } from "./hdr-codec.ts";
import { MetricRegistry } from "./registry.ts";
import { seriesKey } from "./series.ts";
import { emptyDelta, type MetricDefinition, type MetricDelta, type MetricSink, type SeriesKey, type Tags } from "./types.ts";

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

interface StoreSeries {
  readonly key: SeriesKey;
  dirty: boolean;
  /** counter: sum; gauge: last value. */
  value: number;
  passes: number;
  fails: number;
  /** trend only. */
  hist: Histogram | undefined;
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
  readonly #dirty: Array<{ metric: StoreMetric; series: StoreSeries }> = [];
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
    let m = this.#metrics.get(metric);
    if (m === undefined) {
      m = this.#newMetric(metric);
      if (m === undefined) return;
    }
    let s: StoreSeries | undefined;
    if (tags === m.lastTags) {
      // The same frozen tags object as the last sample: its contents, so its key, cannot differ.
      s = m.lastSeries!;
    } else {
      const key = seriesKey(metric, tags);
      if (key === m.lastKey) {
        s = m.lastSeries!;
      } else {
        s = m.series.get(key);
        if (s === undefined) s = this.#newSeries(m, key);
        m.lastKey = key;
        m.lastSeries = s;
      }
      m.lastTags = Object.isFrozen(tags) ? tags : undefined;
    }
    switch (m.def.type) {
      case "counter":
        s.value += value;
        break;
      case "rate":
        if (value !== 0) s.passes++;
        else s.fails++;
        break;
      case "gauge":
        s.value = value;
        break;
      case "trend":
        s.hist!.recordValue(toStored(value));
        break;
    }
    if (!s.dirty) {
      s.dirty = true;
      this.#dirty.push({ metric: m, series: s });
    }
  }

  /** Encodes every series changed since the last call, then resets them. Not the hot path. */
  takeDelta(): MetricDelta {
    const delta = emptyDelta();
    const definitions = delta.definitions!;
    for (const { metric, series: s } of this.#dirty) {
      s.dirty = false;
      const { name, type, contains } = metric.def;
      if (!(name in definitions)) definitions[name] = { type, contains };
      switch (metric.def.type) {
        case "counter":
          delta.counters[s.key] = s.value;
          s.value = 0;
          break;
        case "rate":
          delta.rates[s.key] = [s.passes, s.fails];
          s.passes = 0;
          s.fails = 0;
          break;
        case "gauge":
          delta.gauges[s.key] = s.value;
          break;
        case "trend":
          delta.trends[s.key] = encodeHistogram(s.hist!);
          s.hist!.reset();
          break;
      }
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

  #newSeries(m: StoreMetric, key: SeriesKey): StoreSeries {
    const s: StoreSeries = {
      key,
      dirty: false,
      value: 0,
      passes: 0,
      fails: 0,
      hist: m.def.type === "trend" ? newHistogram() : undefined,
    };
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
