// Cumulative metric state of a run: the process aggregator (merging worker-thread deltas) and the
// controller (merging agent deltas) are this same class fed by the same `merge` (DESIGN.md "One
// delta format, two boundaries").
//
// Contract:
// - Single-threaded; `merge` is called about once a second per producer, `setGauge` by the main
//   thread for process-level gauges (vus, vus_max are not shipped by workers).
// - Memory is constant over time: one cumulative histogram per series plus one interval histogram
//   per trend metric; no raw samples are kept.
// - Queries merge every series whose tags include the filter (sub-metrics). Percentiles are
//   computed only after merging (DESIGN.md style item 9).
// - Metrics unknown to the registry (custom metrics registered on another thread or agent) are
//   registered on first sight with the type of the delta section they arrive in.
import { newHistogram, type Histogram } from "./hdr.ts";
import { mergeEncoded } from "./hdr-codec.ts";
import { MetricRegistry } from "./registry.ts";
import { parseSeriesKey, seriesKey, tagsMatch } from "./series.ts";
import type { MetricDefinition, MetricDelta, MetricType, SeriesKey, Tags } from "./types.ts";
import { counterValue, rateValue, trendValue, type MetricValue } from "./values.ts";

export type { MetricValue } from "./values.ts";

export interface SeriesInfo {
  key: SeriesKey;
  name: string;
  tags: Tags;
}

/** Whole-metric figures over the last interval (since the previous `takeInterval`). */
export interface IntervalSnapshot {
  /** Length of the interval, ms. */
  durationMs: number;
  /** Counters: count in the interval and rate per second over it; rates and trends: the interval's samples only; gauges: current. */
  metrics: Record<string, MetricValue>;
}

export interface AggregatorOptions {
  /** Monotonic clock in ms (default `performance.now`); elapsed time counts from construction or `markStart`. */
  clock?: () => number;
}

interface AggSeries {
  readonly info: SeriesInfo;
  count: number;
  passes: number;
  fails: number;
  gauge: number;
  gaugeMin: number;
  gaugeMax: number;
  /** Order of the last gauge write across all series, so a merged gauge reads the latest. */
  gaugeSeq: number;
  hist: Histogram | undefined;
}

interface SeriesEntry {
  m: AggMetric;
  s: AggSeries;
}

interface AggMetric {
  readonly def: MetricDefinition;
  readonly series: Map<SeriesKey, AggSeries>;
  // Interval state, whole metric, reset by takeInterval.
  iCount: number;
  iPasses: number;
  iFails: number;
  iHist: Histogram | undefined;
}

export class Aggregator {
  readonly registry: MetricRegistry;
  readonly #metrics = new Map<string, AggMetric>();
  readonly #byKey = new Map<SeriesKey, SeriesEntry>();
  readonly #clock: () => number;
  #startedAt: number;
  #intervalAt: number;
  #gaugeSeq = 0;

  constructor(registry: MetricRegistry = new MetricRegistry(), options: AggregatorOptions = {}) {
    this.registry = registry;
    this.#clock = options.clock ?? (() => performance.now());
    this.#startedAt = this.#clock();
    this.#intervalAt = this.#startedAt;
  }

  /** Restarts the elapsed-time clock (call when load starts). */
  markStart(): void {
    this.#startedAt = this.#clock();
    this.#intervalAt = this.#startedAt;
  }

  elapsedMs(): number {
    return this.#clock() - this.#startedAt;
  }

  /** Adds one delta (from a worker thread or an agent) to the cumulative and interval state. */
  merge(delta: MetricDelta): void {
    for (const key in delta.counters) {
      const n = delta.counters[key]!;
      const { m, s } = this.#series(key, "counter");
      s.count += n;
      m.iCount += n;
    }
    for (const key in delta.rates) {
      const [p, f] = delta.rates[key]!;
      const { m, s } = this.#series(key, "rate");
      s.passes += p;
      s.fails += f;
      m.iPasses += p;
      m.iFails += f;
    }
    for (const key in delta.gauges) {
      const { s } = this.#series(key, "gauge");
      this.#setGaugeSeries(s, delta.gauges[key]!);
    }
    for (const key in delta.trends) {
      const { m, s } = this.#series(key, "trend");
      mergeEncoded(delta.trends[key]!, [s.hist!, m.iHist!]);
    }
  }

  /** Sets a process-level gauge (vus, vus_max), which no worker ships. */
  setGauge(name: string, value: number, tags: Tags = {}): void {
    const { s } = this.#series(seriesKey(name, tags), "gauge");
    this.#setGaugeSeries(s, value);
  }

  /**
   * The metric summed over every series whose tags include `filter` (a sub-metric when non-empty);
   * undefined when no such series has data. Counter rates are per second over `elapsedMs`.
   */
  query(metric: string, filter: Tags = {}, elapsedMs: number = this.elapsedMs()): MetricValue | undefined {
    const m = this.#metrics.get(metric);
    if (m === undefined) return undefined;
    const matching: AggSeries[] = [];
    for (const s of m.series.values()) if (tagsMatch(s.info.tags, filter)) matching.push(s);
    if (matching.length === 0) return undefined;
    const { type, contains } = m.def;
    switch (type) {
      case "counter": {
        let count = 0;
        for (const s of matching) count += s.count;
        return counterValue(count, elapsedMs, contains);
      }
      case "rate": {
        let passes = 0;
        let fails = 0;
        for (const s of matching) {
          passes += s.passes;
          fails += s.fails;
        }
        if (passes + fails === 0) return undefined;
        return rateValue(passes, fails, contains);
      }
      case "gauge": {
        let latest = matching[0]!;
        let min = Infinity;
        let max = -Infinity;
        for (const s of matching) {
          if (s.gaugeSeq > latest.gaugeSeq) latest = s;
          if (s.gaugeMin < min) min = s.gaugeMin;
          if (s.gaugeMax > max) max = s.gaugeMax;
        }
        return { type: "gauge", contains, value: latest.gauge, min, max };
      }
      case "trend": {
        let h: Histogram;
        if (matching.length === 1) h = matching[0]!.hist!;
        else {
          h = newHistogram(true);
          for (const s of matching) if (s.hist!.totalCount > 0) h.add(s.hist!);
        }
        if (h.totalCount === 0) return undefined;
        return trendValue(h, contains);
      }
    }
  }

  /** Every series of `metric`, in no particular order. */
  seriesOf(metric: string): SeriesInfo[] {
    const m = this.#metrics.get(metric);
    return m ? [...m.series.values()].map((s) => s.info) : [];
  }

  /** Names of the metrics that have at least one series, sorted. */
  metricNames(): string[] {
    return [...this.#metrics.keys()].sort();
  }

  /** The definition of a metric seen here (or registered). */
  definition(metric: string): MetricDefinition | undefined {
    return this.#metrics.get(metric)?.def ?? this.registry.get(metric);
  }

  /**
   * Whole-metric figures since the previous call (live req/s, live p95, error rate), then starts
   * a new interval. Called by the live view about once a second; cost is one percentile scan per
   * trend metric.
   */
  takeInterval(): IntervalSnapshot {
    const now = this.#clock();
    const durationMs = now - this.#intervalAt;
    this.#intervalAt = now;
    const metrics: Record<string, MetricValue> = {};
    for (const [name, m] of this.#metrics) {
      const { type, contains } = m.def;
      if (type === "counter") {
        metrics[name] = counterValue(m.iCount, durationMs, contains);
        m.iCount = 0;
      } else if (type === "rate") {
        metrics[name] = rateValue(m.iPasses, m.iFails, contains);
        m.iPasses = 0;
        m.iFails = 0;
      } else if (type === "trend") {
        // Copy before reset: the value's percentile() reads the histogram lazily.
        const h = newHistogram(true);
        if (m.iHist!.totalCount > 0) h.add(m.iHist!);
        metrics[name] = trendValue(h, contains);
        m.iHist!.reset();
      } else {
        const v = this.query(name);
        if (v) metrics[name] = v;
      }
    }
    return { durationMs, metrics };
  }

  #series(key: SeriesKey, sectionType: MetricType): SeriesEntry {
    const known = this.#byKey.get(key);
    if (known !== undefined) {
      if (known.m.def.type !== sectionType) throw typeMismatch(known.m.def, sectionType);
      return known;
    }
    const { name, tags } = parseSeriesKey(key);
    let m = this.#metrics.get(name);
    if (m === undefined) {
      const def = this.registry.get(name) ?? this.registry.register(name, sectionType);
      if (def.type !== sectionType) throw typeMismatch(def, sectionType);
      m = { def, series: new Map(), iCount: 0, iPasses: 0, iFails: 0, iHist: def.type === "trend" ? newHistogram(true) : undefined };
      this.#metrics.set(name, m);
    } else if (m.def.type !== sectionType) {
      throw typeMismatch(m.def, sectionType);
    }
    const s: AggSeries = {
      info: { key, name, tags },
      count: 0,
      passes: 0,
      fails: 0,
      gauge: 0,
      gaugeMin: Infinity,
      gaugeMax: -Infinity,
      gaugeSeq: 0,
      hist: m.def.type === "trend" ? newHistogram(true) : undefined,
    };
    m.series.set(key, s);
    const entry = { m, s };
    this.#byKey.set(key, entry);
    return entry;
  }

  #setGaugeSeries(s: AggSeries, value: number): void {
    s.gauge = value;
    if (value < s.gaugeMin) s.gaugeMin = value;
    if (value > s.gaugeMax) s.gaugeMax = value;
    s.gaugeSeq = ++this.#gaugeSeq;
  }
}

function typeMismatch(def: MetricDefinition, sectionType: MetricType): Error {
  return new Error(`a delta carries "${def.name}" as a ${sectionType}, but it is registered as a ${def.type}`);
}
