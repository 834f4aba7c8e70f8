// Checking a whole delta before the aggregator (metrics/aggregator.ts) changes anything: every
// series resolved to a definition (known, carried by the delta, or guessed from its section for
// an older producer), every value and histogram read. Throws a RejectedDeltaError
// (metrics/delta-definitions.ts) at the first problem, so a delta is merged whole or not at all.
// Pure apart from reading `known`; costs one map lookup per known series, one key parse per new
// one, one histogram decode per trend series (which the merge then reuses).
//
// Bounds (a delta may come from an agent on the network): counters and rate counts are finite,
// non-negative and exact (at most 2^53 - 1; rate counts whole); gauges finite; series keys at most
// MAX_SERIES_KEY_LENGTH; a histogram's values at most MAX_TREND_STORED (the largest integer a
// double holds exactly: beyond it buckets lose their meaning) and each bucket's count at most
// MAX_BUCKET_COUNT (a per-second delta never comes near; the interval histograms count in 32 bits).
import { decodeDelta, MAX_TREND_STORED, trendIndexOf, type DecodedDelta } from "./hdr-codec.ts";
import { parseSeriesKey } from "./series.ts";
import { carriedDefinition, checkAgainst, checkSection, RejectedDeltaError } from "./delta-definitions.ts";
import type { MetricDefinition, MetricDelta, MetricType, SeriesKey, Tags } from "./types.ts";

export const MAX_SERIES_KEY_LENGTH = 4_096;
export const MAX_BUCKET_COUNT = 2 ** 31 - 1;
/** Bucket indexes past this hold values above MAX_TREND_STORED. */
const MAX_TREND_INDEX = trendIndexOf(MAX_TREND_STORED);

/** What the receiver knows already. */
export interface KnownMetrics {
  /** The definition of a series merged before, by key. */
  seriesDef(key: SeriesKey): MetricDefinition | undefined;
  /** A metric merged before; `guessed` when its definition came from a section, not a declaration. */
  metric(name: string): { readonly def: MetricDefinition; readonly guessed: boolean } | undefined;
  /** The registry's definition. */
  registered(name: string): MetricDefinition | undefined;
}

/** A delta's new series, resolved while checking it, for the receiver to create. */
export type NewSeries = Map<SeriesKey, { name: string; tags: Tags; def: MetricDefinition; guessed: boolean }>;

export interface CheckedDelta {
  fresh: NewSeries;
  /** Every trend series' histogram, decoded. */
  trends: Map<SeriesKey, DecodedDelta>;
  /** Declared definitions that replace guessed ones (same type). */
  confirmed: MetricDefinition[];
}

/** Checks every part of `delta` against `known`; throws a RejectedDeltaError, or returns what to apply. */
export function checkDelta(delta: MetricDelta, known: KnownMetrics): CheckedDelta {
  const fresh: NewSeries = new Map();
  const carried = new Map<string, MetricDefinition>();
  const guessed = new Set<string>();
  const confirmed: MetricDefinition[] = [];
  for (const name in delta.definitions ?? {}) {
    const def = carriedDefinition(name, delta.definitions![name]);
    const m = known.metric(name);
    if (m?.guessed) {
      checkAgainst({ ...m.def, contains: def.contains }, def); // the type must agree; the unit was a guess
      confirmed.push(def);
    } else {
      const registered = m?.def ?? known.registered(name);
      if (registered) checkAgainst(registered, def);
    }
    carried.set(name, def);
  }
  const resolve = (key: SeriesKey, sectionType: MetricType): void => {
    const existing = known.seriesDef(key);
    if (existing !== undefined) return checkSection(existing, sectionType);
    if (fresh.has(key)) throw new RejectedDeltaError(fresh.get(key)!.name, `it carries the series ${key} in two sections`);
    if (key.length > MAX_SERIES_KEY_LENGTH) throw new RejectedDeltaError(key.slice(0, 64), `a series key is ${key.length} characters long (at most ${MAX_SERIES_KEY_LENGTH})`);
    let parsed: { name: string; tags: Tags };
    try {
      parsed = parseSeriesKey(key);
    } catch {
      throw new RejectedDeltaError(key, `"${key}" is not a series key`);
    }
    const { name } = parsed;
    let def = known.metric(name)?.def ?? known.registered(name) ?? carried.get(name);
    if (def === undefined) {
      // An older producer without definitions: the section says the type, the unit is a guess.
      def = carriedDefinition(name, { type: sectionType, contains: "default" });
      carried.set(name, def);
      guessed.add(name);
    }
    checkSection(def, sectionType);
    fresh.set(key, { ...parsed, def, guessed: guessed.has(name) || known.metric(name)?.guessed === true });
  };
  const number = (key: SeriesKey, n: unknown): void => {
    if (typeof n !== "number" || !Number.isFinite(n)) throw new RejectedDeltaError(key, `the value of ${key} is not a number: ${JSON.stringify(n)?.slice(0, 64)}`);
  };
  const amount = (key: SeriesKey, n: unknown, whole: boolean): void => {
    number(key, n);
    const v = n as number;
    if (v < 0 || v > Number.MAX_SAFE_INTEGER || (whole && !Number.isInteger(v))) {
      throw new RejectedDeltaError(key, `the value of ${key} is ${v}: counts are ${whole ? "whole numbers" : "numbers"} from 0 to 2^53 - 1`);
    }
  };
  for (const key in delta.counters) {
    resolve(key, "counter");
    amount(key, delta.counters[key], false);
  }
  for (const key in delta.rates) {
    resolve(key, "rate");
    const pair = delta.rates[key] as unknown;
    if (!Array.isArray(pair) || pair.length !== 2) throw new RejectedDeltaError(key, `the value of ${key} is not [passes, fails]`);
    amount(key, pair[0], true);
    amount(key, pair[1], true);
  }
  for (const key in delta.gauges) {
    resolve(key, "gauge");
    number(key, delta.gauges[key]);
  }
  const trends = new Map<SeriesKey, DecodedDelta>();
  for (const key in delta.trends) {
    resolve(key, "trend");
    const encoded = delta.trends[key] as unknown;
    let decoded: DecodedDelta;
    try {
      if (typeof encoded !== "string") throw new Error("not a string");
      decoded = decodeDelta(encoded);
    } catch {
      throw new RejectedDeltaError(key, `the histogram of ${key} cannot be decoded`);
    }
    const problem = histogramProblem(decoded);
    if (problem) throw new RejectedDeltaError(key, `the histogram of ${key} is out of bounds: ${problem}`);
    trends.set(key, decoded);
  }
  return { fresh, trends, confirmed };
}

function histogramProblem(decoded: DecodedDelta): string | undefined {
  if ("histogram" in decoded) {
    const h = decoded.histogram;
    if (!(h.maxValue <= MAX_TREND_STORED)) return `its largest value is ${h.maxValue} (at most ${MAX_TREND_STORED})`;
    if (!Number.isSafeInteger(h.totalCount) || h.totalCount < 0) return `its count is ${h.totalCount}`;
    return undefined;
  }
  const { indexes, counts } = decoded.sparse;
  if (indexes.length > 0 && indexes[indexes.length - 1]! > MAX_TREND_INDEX) return `it has values above ${MAX_TREND_STORED}`;
  for (const c of counts) if (c > MAX_BUCKET_COUNT) return `a bucket counts ${c} samples (at most ${MAX_BUCKET_COUNT})`;
  return undefined;
}
