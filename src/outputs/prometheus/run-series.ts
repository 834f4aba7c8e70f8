// The run's metrics as Prometheus series, cumulative from the run's start: what the scrape
// endpoint (outputs/prometheus/) serves and what remote write (outputs/prometheus-rw/) sends each
// tick. Fed the run loop's snapshots (core/run/run-loop.ts), which carry each interval's values;
// Prometheus wants totals, so this sums them per series. Names: outputs/prometheus/naming.ts.
//
// Contract:
// - Single-threaded; `add` once per snapshot with its points (outputs/series-view.ts; cost: the
//   interval's changed series and their populated HDR buckets), `families` whenever a view is
//   wanted (cost: every series; unchanged native histograms are reused).
// - Counters are totals over the run; rates become their two totals plus their ratio over the
//   run; gauges are the last value; trends are native histograms (outputs/prometheus/
//   native-histogram.ts) and/or trendStats gauges over the run, exact (a cumulative HDR per
//   series, kept only when stats are wanted).
// - Labels: the series' tags (renamed by `labelName`) plus the output's own labels (run_id, …),
//   which win over a tag of the same name; sorted by name, `__name__` included. Series whose
//   labels come out the same (tags differing only in characters a label name cannot hold, a tag
//   the output's labels replace) are one Prometheus series: their counts add up.
// - Memory: per series its labels and its cumulative state; series are never forgotten (a run's
//   series set is bounded by its tags; metrics/store.ts warns about cardinality).
import { newHistogram, toStored, type Histogram } from "../../metrics/hdr.ts";
import { seriesKey } from "../../metrics/series.ts";
import { percentileOf } from "../../metrics/trend-stats.ts";
import type { MetricContains } from "../../metrics/types.ts";
import { trendValue, type MetricValue } from "../../metrics/values.ts";
import type { OutputPoint } from "../series-view.ts";
import { baseName, labelName, trendStatName, unitScale } from "./naming.ts";
import { NativeHistogramAccumulator, type NativeHistogram } from "./native-histogram.ts";

export interface Label {
  readonly name: string;
  readonly value: string;
}

export type PromType = "counter" | "gauge" | "histogram";

export type PromSample = { readonly labels: readonly Label[]; readonly value: number } | { readonly labels: readonly Label[]; readonly histogram: NativeHistogram };

/** One metric family: samples share a name (the `__name__` in their labels) and a type. */
export interface PromFamily {
  readonly name: string;
  readonly type: PromType;
  readonly help: string;
  readonly samples: PromSample[];
}

export interface RunSeriesOptions {
  /** Metric name prefix (default `loadr_`, outputs/prometheus/naming.ts). */
  readonly prefix: string;
  /** Labels added to every series (`run_id`, the user's `labels`). Names must be valid. */
  readonly labels: Readonly<Record<string, string>>;
  /** Keep a cumulative HDR per trend series for trendStats gauges. */
  readonly stats: boolean;
}

/** What `families` should contain for trends. */
export interface FamilyView {
  native: boolean;
  /** k6 trend stats (`avg`, `p(95)`, `count` …); empty for none. */
  trendStats: readonly string[];
}

interface State {
  readonly metric: string;
  readonly type: MetricValue["type"];
  readonly contains: MetricContains;
  /** Tags and output labels, without `__name__`, sorted. */
  readonly labels: readonly Label[];
  total: number;
  passes: number;
  fails: number;
  value: number;
  native: NativeHistogramAccumulator | undefined;
  hdr: Histogram | undefined;
  /** The native histogram as of the last `families`, until the next trend samples. */
  histogram: NativeHistogram | undefined;
  /** Labels with `__name__`, per family name (built once). */
  readonly named: Map<string, Label[]>;
}

export class RunSeries {
  readonly #options: RunSeriesOptions;
  /** By series key (the lookup of `add`). */
  readonly #series = new Map<string, State>();
  /** By metric and label set: series whose tags become the same labels share one state. */
  readonly #byLabels = new Map<string, State>();

  constructor(options: RunSeriesOptions) {
    this.#options = options;
  }

  /** Adds one interval's points (outputs/series-view.ts: the snapshot's series, tag filter applied). */
  add(points: readonly OutputPoint[]): void {
    for (const s of points) {
      // A snapshot's own series carry their key; merged or re-tagged points are keyed here.
      const key = "key" in s && typeof s.key === "string" ? s.key : seriesKey(s.name, s.tags);
      const state = this.#series.get(key) ?? this.#create(key, s);
      const v = s.value;
      switch (v.type) {
        case "counter":
          state.total += v.count;
          break;
        case "rate":
          state.passes += v.passes;
          state.fails += v.fails;
          break;
        case "gauge":
          state.value = v.value;
          break;
        case "trend": {
          if (v.count === 0) break;
          const buckets = v.buckets();
          state.native!.add(buckets, v.avg * v.count);
          state.histogram = undefined;
          if (state.hdr) for (const b of buckets) state.hdr.recordValueWithCount(toStored(b.highest), b.count);
          break;
        }
      }
    }
  }

  /** Every series so far as metric families, sorted by name; samples in series-key order. */
  families(view: FamilyView): PromFamily[] {
    const byName = new Map<string, PromFamily>();
    const sample = (name: string, type: PromType, s: State, value: { value: number } | { histogram: NativeHistogram }): void => {
      let family = byName.get(name);
      if (!family) {
        family = { name, type, help: `loadr metric ${s.metric}`, samples: [] };
        byName.set(name, family);
      }
      let labels = s.named.get(name);
      if (!labels) {
        labels = withName(name, s.labels);
        s.named.set(name, labels);
      }
      family.samples.push({ labels, ...value });
    };
    const { prefix } = this.#options;
    for (const s of this.#byLabels.values()) {
      const base = baseName(prefix, s.metric, s.contains);
      const scale = unitScale(s.contains);
      switch (s.type) {
        case "counter":
          sample(`${base}_total`, "counter", s, { value: s.total * scale });
          break;
        case "gauge":
          sample(base, "gauge", s, { value: s.value * scale });
          break;
        case "rate": {
          const all = s.passes + s.fails;
          sample(`${base}_rate`, "gauge", s, { value: all > 0 ? s.passes / all : 0 });
          sample(`${base}_passes_total`, "counter", s, { value: s.passes });
          sample(`${base}_fails_total`, "counter", s, { value: s.fails });
          break;
        }
        case "trend": {
          if (s.native!.count === 0) break;
          if (view.native) sample(base, "histogram", s, { histogram: (s.histogram ??= s.native!.histogram()) });
          if (view.trendStats.length > 0 && s.hdr) {
            const t = trendValue(s.hdr, s.contains);
            for (const stat of view.trendStats) {
              const p = percentileOf(stat);
              const figure = stat === "count" ? t.count : p !== undefined ? t.percentile(p) * scale : (t[stat as "avg" | "min" | "med" | "max"] ?? 0) * scale;
              sample(trendStatName(base, stat), "gauge", s, { value: figure });
            }
          }
          break;
        }
      }
    }
    return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  #create(key: string, s: OutputPoint): State {
    const labels = new Map<string, string>();
    for (const [tag, value] of Object.entries(s.tags)) labels.set(labelName(tag), value);
    for (const [name, value] of Object.entries(this.#options.labels)) labels.set(name, value);
    const sorted = [...labels].map(([name, value]) => ({ name, value })).sort(byName);
    const labelKey = JSON.stringify([s.name, sorted]);
    const known = this.#byLabels.get(labelKey);
    if (known) {
      this.#series.set(key, known);
      return known;
    }
    const { type, contains } = s.value;
    const state: State = {
      metric: s.name,
      type,
      contains,
      labels: sorted,
      total: 0,
      passes: 0,
      fails: 0,
      value: 0,
      native: type === "trend" ? new NativeHistogramAccumulator(unitScale(contains)) : undefined,
      hdr: type === "trend" && this.#options.stats ? newHistogram(true) : undefined,
      histogram: undefined,
      named: new Map(),
    };
    this.#series.set(key, state);
    this.#byLabels.set(labelKey, state);
    return state;
  }
}

function byName(a: Label, b: Label): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The labels with `__name__` added, sorted by name (remote write requires it). */
function withName(name: string, labels: readonly Label[]): Label[] {
  return [...labels, { name: "__name__", value: name }].sort(byName);
}
