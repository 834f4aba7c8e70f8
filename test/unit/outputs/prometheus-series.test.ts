// The Prometheus model shared by remote write and the scrape endpoint: names, native-histogram
// buckets (indexes, spans and deltas), run totals, labels, and both exposition formats.
import { describe, expect, test } from "bun:test";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import type { IntervalSnapshot } from "../../../src/metrics/interval.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import type { TrendValue } from "../../../src/metrics/values.ts";
import { metricFamilyType, protobufExposition, textExposition } from "../../../src/outputs/prometheus/exposition.ts";
import { baseName, labelName, trendStatName } from "../../../src/outputs/prometheus/naming.ts";
import { bucketIndex, bucketUpper, NATIVE_RELATIVE_ERROR, NativeHistogramAccumulator, type NativeHistogram } from "../../../src/outputs/prometheus/native-histogram.ts";
import { RunSeries, type PromFamily } from "../../../src/outputs/prometheus/run-series.ts";
import protobuf from "protobufjs";
import { builtinRegistry } from "../../helpers/metrics.ts";

/** index → count, read back from spans and deltas as Prometheus does. */
function decodeBuckets(h: NativeHistogram): Map<number, number> {
  const out = new Map<number, number>();
  let index = 0;
  let count = 0;
  let d = 0;
  h.positiveSpans.forEach((span) => {
    index += span.offset;
    for (let k = 0; k < span.length; k++, index++) {
      count += h.positiveDeltas[d++]!;
      if (count !== 0) out.set(index, count);
    }
  });
  return out;
}

function interval(samples: Array<[string, number, Record<string, string>]>, gauges: Record<string, number> = {}): { aggregator: Aggregator; take: () => IntervalSnapshot; store: MetricStore } {
  const aggregator = new Aggregator(builtinRegistry());
  const store = new MetricStore(builtinRegistry());
  for (const [m, v, tags] of samples) store.add(m, v, tags);
  const take = (): IntervalSnapshot => {
    aggregator.merge(store.takeDelta());
    for (const [g, v] of Object.entries(gauges)) aggregator.setGauge(g, v);
    return aggregator.takeInterval();
  };
  return { aggregator, take, store };
}

const family = (families: PromFamily[], name: string) => families.find((f) => f.name === name);

describe("naming", () => {
  test("prefix, unit suffixes, trend stats and label names", () => {
    expect(baseName("loadr_", "http_req_duration", "time")).toBe("loadr_http_req_duration_seconds");
    expect(baseName("loadr_", "data_sent", "data")).toBe("loadr_data_sent_bytes");
    expect(baseName("k6_", "my-metric.x", "default")).toBe("k6_my_metric_x");
    expect(trendStatName("loadr_x_seconds", "p(95)")).toBe("loadr_x_seconds_p95");
    expect(trendStatName("loadr_x_seconds", "p(99.9)")).toBe("loadr_x_seconds_p99_9");
    expect(trendStatName("loadr_x_seconds", "avg")).toBe("loadr_x_seconds_avg");
    expect(labelName("expected_response")).toBe("expected_response");
    expect(labelName("my-tag.v")).toBe("my_tag_v");
    expect(labelName("1st")).toBe("_1st");
    expect(labelName("__name__")).toBe("tag__name__");
  });
});

describe("native histogram buckets", () => {
  test("bucket k of schema 8 is (2^((k-1)/256), 2^(k/256)], boundaries included above", () => {
    expect(bucketIndex(1)).toBe(0);
    expect(bucketIndex(1.000001)).toBe(1);
    expect(bucketIndex(bucketUpper(1))).toBe(1);
    expect(bucketIndex(bucketUpper(1) * 1.0000001)).toBe(2);
    expect(bucketIndex(0.5)).toBe(-256);
    expect(bucketIndex(2)).toBe(256);
    for (const x of [1e-6, 0.000123, 0.0421, 0.5, 3.3, 1234.5]) {
      const k = bucketIndex(x);
      expect(x).toBeLessThanOrEqual(bucketUpper(k));
      expect(x).toBeGreaterThan(bucketUpper(k - 1));
    }
    expect(NATIVE_RELATIVE_ERROR).toBeCloseTo(0.002711, 5);
  });

  test("spans and deltas carry every count; short gaps stay inside a span, long ones start a new one", () => {
    const acc = new NativeHistogramAccumulator(1);
    const at = (k: number) => bucketUpper(k);
    // buckets 10, 11, 13 (gap 1), 20 (gap 6), and two zeros
    acc.add(
      [
        { lowest: 0, highest: 0, count: 2 },
        { lowest: at(10), highest: at(10), count: 5 },
        { lowest: at(11), highest: at(11), count: 3 },
        { lowest: at(13), highest: at(13), count: 7 },
        { lowest: at(20), highest: at(20), count: 1 },
      ],
      100,
    );
    acc.add([{ lowest: at(11), highest: at(11), count: 4 }], 5);
    const h = acc.histogram();
    expect(h.count).toBe(22);
    expect(h.zeroCount).toBe(2);
    expect(h.sum).toBe(105);
    expect(h.positiveSpans).toEqual([
      { offset: 10, length: 4 },
      { offset: 6, length: 1 },
    ]);
    expect([...decodeBuckets(h)]).toEqual([
      [10, 5],
      [11, 7],
      [13, 7],
      [20, 1],
    ]);
  });
});

describe("run series", () => {
  test("counters and rates add up over intervals, gauges keep the last value, labels are sorted with __name__", () => {
    const tags = { name: "home", status: "200", "my-tag": "x" };
    const { take, store } = interval([
      ["http_reqs", 1, tags],
      ["http_reqs", 1, tags],
      ["http_req_failed", 0, tags],
      ["data_received", 100, tags],
    ], { vus: 3 });
    const series = new RunSeries({ prefix: "loadr_", labels: { run_id: "r1", name: "from-output" }, stats: false });
    series.add(take().series);
    store.add("http_reqs", 1, tags);
    store.add("http_req_failed", 1, tags);
    series.add(take().series);
    const families = series.families({ native: true, trendStats: [] });
    const reqs = family(families, "loadr_http_reqs_total")!;
    expect(reqs.type).toBe("counter");
    expect(reqs.samples).toEqual([
      {
        labels: [
          { name: "__name__", value: "loadr_http_reqs_total" },
          { name: "my_tag", value: "x" },
          { name: "name", value: "from-output" },
          { name: "run_id", value: "r1" },
          { name: "status", value: "200" },
        ],
        value: 3,
      },
    ]);
    expect((family(families, "loadr_http_req_failed_passes_total")!.samples[0] as { value: number }).value).toBe(1);
    expect((family(families, "loadr_http_req_failed_fails_total")!.samples[0] as { value: number }).value).toBe(1);
    expect((family(families, "loadr_http_req_failed_rate")!.samples[0] as { value: number }).value).toBe(0.5);
    expect((family(families, "loadr_data_received_bytes_total")!.samples[0] as { value: number }).value).toBe(100);
    expect((family(families, "loadr_vus")!.samples[0] as { value: number }).value).toBe(3);
    expect(families.map((f) => f.name)).toEqual([...families.map((f) => f.name)].sort());
  });

  test("trends: the native histogram's count and the trendStats gauges (seconds) equal the aggregator's figures", () => {
    const samples: Array<[string, number, Record<string, string>]> = [];
    for (let i = 0; i < 2000; i++) samples.push(["http_req_duration", 0.05 + i * 0.731, { name: "a" }]);
    const { aggregator, take } = interval(samples);
    const series = new RunSeries({ prefix: "loadr_", labels: {}, stats: true });
    series.add(take().series);
    const families = series.families({ native: true, trendStats: ["p(95)", "count", "max"] });
    const h = (family(families, "loadr_http_req_duration_seconds")!.samples[0] as { histogram: NativeHistogram }).histogram;
    const whole = aggregator.query("http_req_duration") as TrendValue;
    expect(h.count).toBe(2000);
    expect(h.sum).toBeCloseTo((whole.avg * 2000) / 1000, 6);
    expect((family(families, "loadr_http_req_duration_seconds_p95")!.samples[0] as { value: number }).value).toBeCloseTo(whole.p95 / 1000, 12);
    expect((family(families, "loadr_http_req_duration_seconds_max")!.samples[0] as { value: number }).value).toBeCloseTo(whole.max / 1000, 12);
    expect((family(families, "loadr_http_req_duration_seconds_count")!.samples[0] as { value: number }).value).toBe(2000);
    // Without native histograms only the gauges remain.
    expect(family(series.families({ native: false, trendStats: ["p(95)"] }), "loadr_http_req_duration_seconds")).toBeUndefined();
  });
});

describe("exposition", () => {
  const families: PromFamily[] = [
    { name: "loadr_http_reqs_total", type: "counter", help: "loadr metric http_reqs", samples: [{ labels: [{ name: "__name__", value: "loadr_http_reqs_total" }, { name: "url", value: 'a"b\\c\nd' }], value: 12 }] },
    { name: "loadr_vus", type: "gauge", help: "loadr metric vus", samples: [{ labels: [{ name: "__name__", value: "loadr_vus" }], value: 2 }] },
    {
      name: "loadr_http_req_duration_seconds",
      type: "histogram",
      help: "loadr metric http_req_duration",
      samples: [{ labels: [{ name: "__name__", value: "loadr_http_req_duration_seconds" }], histogram: { count: 3, sum: 0.3, schema: 8, zeroThreshold: 2 ** -128, zeroCount: 0, positiveSpans: [{ offset: -300, length: 2 }], positiveDeltas: [1, 1] } }],
    },
  ];

  test("text 0.0.4: HELP, TYPE, escaped label values; histograms left out", () => {
    expect(textExposition(families)).toBe(
      [
        "# HELP loadr_http_reqs_total loadr metric http_reqs",
        "# TYPE loadr_http_reqs_total counter",
        'loadr_http_reqs_total{url="a\\"b\\\\c\\nd"} 12',
        "# HELP loadr_vus loadr metric vus",
        "# TYPE loadr_vus gauge",
        "loadr_vus 2",
        "",
      ].join("\n"),
    );
  });

  test("protobuf: delimited MetricFamily messages, the native histogram's fields intact", () => {
    const bytes = protobufExposition(families);
    const reader = protobuf.Reader.create(bytes);
    const type = metricFamilyType();
    const decoded: Array<Record<string, any>> = [];
    while (reader.pos < reader.len) decoded.push(type.toObject(type.decodeDelimited(reader), { longs: Number, enums: String }));
    expect(decoded.map((f) => [f.name, f.type])).toEqual([
      ["loadr_http_reqs_total", "COUNTER"],
      ["loadr_vus", "GAUGE"],
      ["loadr_http_req_duration_seconds", "HISTOGRAM"],
    ]);
    expect(decoded[0]!.metric[0]).toEqual({ label: [{ name: "url", value: 'a"b\\c\nd' }], counter: { value: 12 } });
    expect(decoded[2]!.metric[0].histogram).toMatchObject({ sampleCount: 3, schema: 8, positiveSpan: [{ offset: -300, length: 2 }], positiveDelta: [1, 1] });
  });
});

describe("series whose labels come out the same", () => {
  test("are one series: tags differing only in characters a label cannot hold, or replaced by the output's labels", () => {
    const { take } = interval([
      ["http_reqs", 1, { "a-b": "x" }],
      ["http_reqs", 2, { "a.b": "x" }],
      ["http_reqs", 4, { team: "blue" }],
      ["http_reqs", 8, { team: "red" }],
    ]);
    const series = new RunSeries({ prefix: "loadr_", labels: { team: "checkout" }, stats: false });
    series.add(take().series);
    const samples = family(series.families({ native: true, trendStats: [] }), "loadr_http_reqs_total")!.samples as Array<{ labels: Array<{ name: string; value: string }>; value: number }>;
    expect(samples.map((s) => [s.labels.map((l) => `${l.name}=${l.value}`).join(","), s.value])).toEqual([
      ["__name__=loadr_http_reqs_total,a_b=x,team=checkout", 3],
      ["__name__=loadr_http_reqs_total,team=checkout", 12],
    ]);
  });
});
