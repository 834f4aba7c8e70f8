// Cumulative and per-interval metric state of a run: the process aggregator (merging
// worker-thread deltas) and the controller (merging agent deltas) are this same class fed by the
// same `merge`.
//
// Contract:
// - Single-threaded; `merge` is called about once a second per producer, `setGauge` by the run
//   loop for the process-level gauges (vus, vus_max are not shipped by workers).
// - `merge` checks the whole delta before it changes anything: a metric whose carried
//   definition (or delta section) contradicts what is known, a malformed key, value or histogram
//   rejects it with a RejectedDeltaError (metrics/delta-definitions.ts) and nothing of it is
//   merged. A metric not known yet is registered from the definition the delta carries. From an
//   older producer without definitions its type is taken from the section and its unit guessed
//   (`contains: "default"`); the first carried definition of the same type replaces a guess (the
//   stored values do not depend on the unit), so the order in which producers report does not
//   change the outcome.
// - `takeInterval` has one caller, the run loop (core/run/run-loop.ts), once per tick: it returns
//   the interval since the previous call (whole metrics and every changed series) and starts the
//   next one.
// - Memory is constant over time: one cumulative histogram per series plus, per trend series
//   with samples in the current interval, one interval histogram (handed to the snapshot when the
//   interval is taken); no raw samples are kept.
// - Queries merge every series whose tags include the filter (sub-metrics). Percentiles are
//   computed only after merging.
import { newHistogram, type Histogram } from "./hdr.ts";
import { addDecoded } from "./hdr-codec.ts";
import { MetricRegistry } from "./registry.ts";
import { seriesKey, tagsMatch } from "./series.ts";
import { checkSection } from "./delta-definitions.ts";
import { checkDelta } from "./delta-check.ts";
import type { IntervalEnd, IntervalSnapshot, SeriesValue } from "./interval.ts";
import type { MetricDefinition, MetricDelta, SeriesKey, Tags } from "./types.ts";
import { counterValue, rateValue, trendValue, type MetricValue } from "./values.ts";

export type { MetricValue } from "./values.ts";
export type { IntervalSnapshot, SeriesValue } from "./interval.ts";
export { RejectedDeltaError } from "./delta-definitions.ts";

export interface SeriesInfo {
  key: SeriesKey;
  name: string;
  tags: Tags;
}

export interface AggregatorOptions {
  /** Monotonic clock in ms (default `performance.now`); elapsed time counts from construction. */
  clock?: () => number;
  /** Wall clock in ms (default `Date.now`), for intervals whose caller gives no unix time. */
  wallClock?: () => number;
}

interface AggSeries {
  readonly info: SeriesInfo;
  readonly metric: AggMetric;
  count: number;
  passes: number;
  fails: number;
  gauge: number;
  gaugeMin: number;
  gaugeMax: number;
  /** Order of the last gauge write across all series, so a merged gauge reads the latest. */
  gaugeSeq: number;
  hist: Histogram | undefined;
  // Interval state, reset by takeInterval.
  changed: boolean;
  iCount: number;
  iPasses: number;
  iFails: number;
  iHist: Histogram | undefined;
}

interface AggMetric {
  def: MetricDefinition;
  /** The definition was guessed from a delta section (an older producer); not in the registry. */
  guessed: boolean;
  readonly series: Map<SeriesKey, AggSeries>;
  // Interval state, whole metric, reset by takeInterval.
  iCount: number;
  iPasses: number;
  iFails: number;
  iHist: Histogram | undefined;
}

/** Read by interval values of trend metrics without samples; never recorded into. */
const EMPTY = newHistogram();

export class Aggregator {
  readonly registry: MetricRegistry;
  readonly #metrics = new Map<string, AggMetric>();
  readonly #byKey = new Map<SeriesKey, AggSeries>();
  readonly #changed: AggSeries[] = [];
  readonly #clock: () => number;
  readonly #wallClock: () => number;
  #startedAt: number;
  #intervalStartMs = 0;
  #intervalStartUnixMs: number;
  #gaugeSeq = 0;

  constructor(registry: MetricRegistry = new MetricRegistry(), options: AggregatorOptions = {}) {
    this.registry = registry;
    this.#clock = options.clock ?? (() => performance.now());
    this.#wallClock = options.wallClock ?? Date.now;
    this.#startedAt = this.#clock();
    this.#intervalStartUnixMs = this.#wallClock();
  }

  elapsedMs(): number {
    return this.#clock() - this.#startedAt;
  }

  /**
   * Adds one delta (from a worker thread or an agent) to the cumulative and interval state, or
   * throws a RejectedDeltaError and changes nothing (see the contract above).
   */
  merge(delta: MetricDelta): void {
    const { fresh, trends, confirmed } = checkDelta(delta, {
      seriesDef: (key) => this.#byKey.get(key)?.metric.def,
      metric: (name) => this.#metrics.get(name),
      registered: (name) => this.registry.get(name),
    });
    for (const def of confirmed) {
      const m = this.#metrics.get(def.name)!;
      m.def = this.registry.register(def);
      m.guessed = false;
    }
    for (const [key, { name, tags, def, guessed }] of fresh) this.#newSeries(key, name, tags, def, guessed);
    for (const key in delta.counters) {
      const n = delta.counters[key]!;
      const s = this.#byKey.get(key)!;
      s.count += n;
      s.iCount += n;
      s.metric.iCount += n;
      this.#touch(s);
    }
    for (const key in delta.rates) {
      const [p, f] = delta.rates[key]!;
      const s = this.#byKey.get(key)!;
      s.passes += p;
      s.fails += f;
      s.iPasses += p;
      s.iFails += f;
      s.metric.iPasses += p;
      s.metric.iFails += f;
      this.#touch(s);
    }
    for (const key in delta.gauges) this.#setGaugeSeries(this.#byKey.get(key)!, delta.gauges[key]!);
    for (const [key, decoded] of trends) {
      const s = this.#byKey.get(key)!;
      const m = s.metric;
      s.iHist ??= newHistogram();
      m.iHist ??= newHistogram(true);
      addDecoded(decoded, [s.hist!, s.iHist, m.iHist]);
      this.#touch(s);
    }
  }

  /** Sets a process-level gauge (vus, vus_max), which no worker ships. */
  setGauge(name: string, value: number, tags: Tags = {}): void {
    const key = seriesKey(name, tags);
    let s = this.#byKey.get(key);
    if (s === undefined) {
      const def = this.#metrics.get(name)?.def ?? this.registry.get(name) ?? this.registry.register(name, "gauge");
      checkSection(def, "gauge");
      s = this.#newSeries(key, name, { ...tags }, def, false);
    } else checkSection(s.metric.def, "gauge");
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
   * The interval since the previous call (or construction), ending at `end` (the caller's clocks;
   * this aggregator's own by default), then starts the next one. One caller: the run loop, once
   * per tick. Cost: one pass over the buckets per trend metric and per changed trend series; the
   * changed series' interval histograms move into the snapshot (no copy).
   */
  takeInterval(end: IntervalEnd = {}): IntervalSnapshot {
    const endMs = end.elapsedMs ?? this.elapsedMs();
    const endUnixMs = end.unixMs ?? this.#wallClock();
    const durationMs = Math.max(0, endMs - this.#intervalStartMs);
    const metrics: Record<string, MetricValue> = {};
    const series: SeriesValue[] = [];
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
        metrics[name] = trendValue(m.iHist ?? EMPTY, contains);
        m.iHist = undefined;
      } else {
        const v = this.query(name);
        if (v) metrics[name] = v;
        for (const s of m.series.values()) series.push(seriesValue(s, gaugeValueOf(s, contains)));
      }
    }
    for (const s of this.#changed) {
      const { type, contains } = s.metric.def;
      let value: MetricValue;
      if (type === "counter") value = counterValue(s.iCount, durationMs, contains);
      else if (type === "rate") value = rateValue(s.iPasses, s.iFails, contains);
      else value = trendValue(s.iHist ?? EMPTY, contains);
      series.push(seriesValue(s, value));
      s.changed = false;
      s.iCount = 0;
      s.iPasses = 0;
      s.iFails = 0;
      s.iHist = undefined;
    }
    this.#changed.length = 0;
    series.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const snapshot: IntervalSnapshot = {
      startMs: this.#intervalStartMs,
      endMs,
      startUnixMs: this.#intervalStartUnixMs,
      endUnixMs,
      durationMs,
      metrics: Object.freeze(metrics),
      series: Object.freeze(series),
    };
    this.#intervalStartMs = endMs;
    this.#intervalStartUnixMs = endUnixMs;
    return Object.freeze(snapshot);
  }

  #newSeries(key: SeriesKey, name: string, tags: Tags, def: MetricDefinition, guessed: boolean): AggSeries {
    let m = this.#metrics.get(name);
    if (m === undefined) {
      m = { def: guessed ? Object.freeze(def) : this.registry.register(def), guessed, series: new Map(), iCount: 0, iPasses: 0, iFails: 0, iHist: undefined };
      this.#metrics.set(name, m);
    }
    const s: AggSeries = {
      info: { key, name, tags: Object.freeze(tags) },
      metric: m,
      count: 0,
      passes: 0,
      fails: 0,
      gauge: 0,
      gaugeMin: Infinity,
      gaugeMax: -Infinity,
      gaugeSeq: 0,
      hist: m.def.type === "trend" ? newHistogram(true) : undefined,
      changed: false,
      iCount: 0,
      iPasses: 0,
      iFails: 0,
      iHist: undefined,
    };
    m.series.set(key, s);
    this.#byKey.set(key, s);
    return s;
  }

  #touch(s: AggSeries): void {
    if (s.changed) return;
    s.changed = true;
    this.#changed.push(s);
  }

  #setGaugeSeries(s: AggSeries, value: number): void {
    s.gauge = value;
    if (value < s.gaugeMin) s.gaugeMin = value;
    if (value > s.gaugeMax) s.gaugeMax = value;
    s.gaugeSeq = ++this.#gaugeSeq;
  }
}

function gaugeValueOf(s: AggSeries, contains: MetricDefinition["contains"]): MetricValue {
  return { type: "gauge", contains, value: s.gauge, min: s.gaugeMin, max: s.gaugeMax };
}

function seriesValue(s: AggSeries, value: MetricValue): SeriesValue {
  return Object.freeze({ key: s.info.key, name: s.info.name, tags: s.info.tags, value: Object.freeze(value) });
}
