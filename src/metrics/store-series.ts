// The series of a MetricStore (store.ts), one class per metric type. Each is its own SeriesHandle:
// `add` records a sample and, on the first sample since the last delta, puts the series on the
// store's dirty list; `flushInto` writes what it holds into a delta and resets it. One class per
// type keeps every `add` call site monomorphic (a producer's handle for `http_req_duration` is
// always a TrendSeries) and needs no switch on the type per sample.
import { newHistogram, recordStored, toStored, type Histogram } from "./hdr.ts";
import { encodeHistogram } from "./hdr-codec.ts";
import type { MetricDefinition, MetricDelta, SeriesHandle, SeriesKey } from "./types.ts";

export abstract class StoreSeries implements SeriesHandle {
  /** On the store's dirty list (a sample arrived since the last delta). */
  dirty = false;

  constructor(
    readonly key: SeriesKey,
    readonly def: MetricDefinition,
    /** The store's dirty list, shared by all its series. */
    private readonly dirtyList: StoreSeries[],
  ) {}

  abstract add(value: number): void;

  /** Writes the samples since the last call into `delta` and resets (the series stays dirty-free). */
  abstract flushInto(delta: MetricDelta): void;

  protected touched(): void {
    if (this.dirty) return;
    this.dirty = true;
    this.dirtyList.push(this);
  }
}

class CounterSeries extends StoreSeries {
  private sum = 0;
  add(value: number): void {
    this.sum += value;
    this.touched();
  }
  flushInto(delta: MetricDelta): void {
    delta.counters[this.key] = this.sum;
    this.sum = 0;
  }
}

/** value non-zero: a pass; zero: a fail. */
class RateSeries extends StoreSeries {
  private passes = 0;
  private fails = 0;
  add(value: number): void {
    if (value !== 0) this.passes++;
    else this.fails++;
    this.touched();
  }
  flushInto(delta: MetricDelta): void {
    delta.rates[this.key] = [this.passes, this.fails];
    this.passes = 0;
    this.fails = 0;
  }
}

/** The last value wins, and is kept across deltas. */
class GaugeSeries extends StoreSeries {
  private value = 0;
  add(value: number): void {
    this.value = value;
    this.touched();
  }
  flushInto(delta: MetricDelta): void {
    delta.gauges[this.key] = this.value;
  }
}

/** Values in an HDR histogram (hdr.ts: stored as integer milli-units), reset and reused per delta. */
class TrendSeries extends StoreSeries {
  private readonly hist: Histogram = newHistogram();
  add(value: number): void {
    recordStored(this.hist, toStored(value));
    this.touched();
  }
  flushInto(delta: MetricDelta): void {
    delta.trends[this.key] = encodeHistogram(this.hist);
    this.hist.reset();
  }
}

const SERIES_CLASS = { counter: CounterSeries, rate: RateSeries, gauge: GaugeSeries, trend: TrendSeries } as const;

export function newStoreSeries(key: SeriesKey, def: MetricDefinition, dirtyList: StoreSeries[]): StoreSeries {
  return new SERIES_CLASS[def.type](key, def, dirtyList);
}

/** The handle of a metric that is not recorded (unknown, with `strict: false`): drops samples. */
export const DROPPED_SERIES: SeriesHandle = Object.freeze({ add(): void {} });
