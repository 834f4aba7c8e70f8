// Metric definitions travel with deltas: a custom metric keeps its type and unit from a worker's
// store through the process's accumulator and the JSON of the agent stream to the controller's
// aggregator; a delta that contradicts what is known is rejected whole.
import { describe, expect, test } from "bun:test";
import { builtinRegistry } from "../../helpers/metrics.ts";
import { Aggregator, RejectedDeltaError } from "../../../src/metrics/aggregator.ts";
import { DeltaAccumulator } from "../../../src/metrics/delta-accumulator.ts";
import { MetricRegistry } from "../../../src/metrics/registry.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import type { MetricDelta } from "../../../src/metrics/types.ts";
import { buildSummary } from "../../../src/core/run/summary.ts";
import { renderSummaryText } from "../../../src/outputs/summary-text.ts";
import { summaryToJson } from "../../../src/outputs/summary-json.ts";

/** As a delta crosses postMessage / the agent stream: plain JSON. */
const overTheWire = (delta: MetricDelta): MetricDelta => JSON.parse(JSON.stringify(delta));

/** The registry of a plan whose module declares two custom metrics. */
function moduleRegistry(): MetricRegistry {
  return new MetricRegistry([
    ...builtinRegistry().all(),
    { name: "checkout_time", type: "trend", contains: "time" },
    { name: "payload_bytes", type: "counter", contains: "data" },
  ]);
}

function workerDelta(registry: MetricRegistry, offset: number): MetricDelta {
  const store = new MetricStore(registry);
  for (let i = 1; i <= 50; i++) {
    store.add("checkout_time", 200 + offset + i, { name: "pay" });
    store.add("payload_bytes", 1000, { name: "pay" });
    store.add("http_reqs", 1, { name: "pay" });
  }
  return store.takeDelta();
}

const empty = (x: Partial<MetricDelta>): MetricDelta => ({ counters: {}, rates: {}, gauges: {}, trends: {}, ...x });

describe("definitions travel with deltas", () => {
  test("worker → process → controller: a custom time trend stays in ms, a data counter in bytes, in the summary text and JSON", () => {
    const registry = moduleRegistry();
    // Two worker threads of one agent process, folded into the one delta the agent ships.
    const process = new DeltaAccumulator();
    process.add(overTheWire(workerDelta(registry, 0)));
    process.add(overTheWire(workerDelta(registry, 50)));
    const shipped = overTheWire(process.take());
    expect(shipped.definitions).toEqual({
      checkout_time: { type: "trend", contains: "time" },
      payload_bytes: { type: "counter", contains: "data" },
      http_reqs: { type: "counter", contains: "default" },
    });

    // The controller only knows the built-ins.
    const controller = new Aggregator(builtinRegistry(), { clock: () => 0 });
    controller.merge(shipped);
    expect(controller.definition("checkout_time")).toEqual({ name: "checkout_time", type: "trend", contains: "time" });
    expect(controller.definition("payload_bytes")?.contains).toBe("data");

    const summary = buildSummary(controller, [], { planName: "custom", durationMs: 10_000, scenarios: [], notes: [] });
    const text = renderSummaryText(summary, { color: false });
    const line = (name: string) => text.split("\n").find((l) => l.includes(`${name}.`)) ?? "";
    expect(line("checkout_time")).toMatch(/avg=\d+(\.\d+)?ms .*max=3\d\d(\.\d+)?ms/);
    expect(line("payload_bytes")).toContain("100 kB");
    const json = summaryToJson(summary);
    const checkout = json.metrics.checkout_time as Record<string, number>;
    expect(checkout.count).toBe(100);
    expect(checkout.min).toBeCloseTo(201, 0);
    expect(checkout.max).toBeCloseTo(300, 0);
    expect(checkout["p(95)"]).toBeGreaterThan(280);
  });

  test("a producer without definitions (older version) still merges: type from the section, unit unknown", () => {
    const agg = new Aggregator(builtinRegistry());
    const old = workerDelta(moduleRegistry(), 0);
    delete old.definitions;
    agg.merge(old);
    expect(agg.definition("checkout_time")).toEqual({ name: "checkout_time", type: "trend", contains: "default" });
    expect(agg.query("checkout_time")).toMatchObject({ count: 50 });
    // The first producer that declares it gives the unit (the stored values are unit-free)…
    agg.merge(workerDelta(moduleRegistry(), 0));
    expect(agg.definition("checkout_time")).toEqual({ name: "checkout_time", type: "trend", contains: "time" });
    expect(agg.query("checkout_time")).toMatchObject({ count: 100, contains: "time" });
    // … after which it is known: another type or unit contradicts it.
    expect(() => agg.merge(empty({ definitions: { checkout_time: { type: "trend", contains: "data" } } }))).toThrow(RejectedDeltaError);
    expect(() => agg.merge(empty({ counters: { checkout_time: 1 } }))).toThrow(/carries "checkout_time" as a counter, but it is registered as a trend/);
    // A guessed type is not a guess: a declared metric of another type contradicts it.
    const other = new Aggregator(builtinRegistry());
    other.merge(empty({ counters: { carts: 1 } }));
    expect(() => other.merge(empty({ definitions: { carts: { type: "gauge", contains: "default" } } }))).toThrow(/defines "carts" as a gauge, but it is known as a counter/);
  });

  test("a contradicting definition rejects the whole delta: nothing of it is merged", () => {
    const agg = new Aggregator(builtinRegistry(), { clock: () => 1000 });
    agg.merge(empty({ definitions: { orders: { type: "counter", contains: "default" } }, counters: { orders: 2, http_reqs: 5 } }));
    const before = JSON.stringify([agg.query("orders"), agg.query("http_reqs"), agg.metricNames()]);
    const attempts: MetricDelta[] = [
      // the unit of a known custom metric changes
      empty({ definitions: { orders: { type: "counter", contains: "data" } }, counters: { orders: 1, http_reqs: 1 } }),
      // a built-in redefined
      empty({ definitions: { http_req_duration: { type: "trend", contains: "default" } }, counters: { http_reqs: 1 } }),
      // the section contradicts the delta's own definition (the metric is unknown so far)
      empty({ definitions: { carts: { type: "trend", contains: "time" } }, counters: { carts: 1, http_reqs: 1 } }),
      // the section contradicts a registered metric
      empty({ counters: { http_reqs: 1 }, rates: { orders: [1, 0] } }),
      // a definition that is not one
      empty({ definitions: { carts: { type: "histogram", contains: "default" } } as never, counters: { http_reqs: 1 } }),
      // a histogram that does not decode, after good counters
      empty({ counters: { http_reqs: 1, "orders{x=1}": 1 }, trends: { http_req_duration: "bm90IGEgaGlzdG9ncmFt" } }),
      // a value that is not a number
      empty({ counters: { http_reqs: 1, orders: "3" as never } }),
      // the same series in two sections
      empty({ counters: { carts: 1 }, gauges: { carts: 1 } }),
    ];
    for (const delta of attempts) {
      let error: unknown;
      try {
        agg.merge(overTheWire(delta));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RejectedDeltaError);
      expect((error as Error).message).toMatch(/^a metrics delta was rejected \(nothing of it was merged\): /);
      expect(JSON.stringify([agg.query("orders"), agg.query("http_reqs"), agg.metricNames()])).toBe(before);
    }
    expect(agg.definition("carts")).toBeUndefined();
    expect(agg.takeInterval().series.map((s) => [s.key, s.value.type === "counter" ? s.value.count : -1])).toEqual([
      ["http_reqs", 5],
      ["orders", 2],
    ]);
  });

  test("merge order does not matter: the same deltas in any order give the same figures and definitions", () => {
    const registry = moduleRegistry();
    const deltas = [0, 30, 60, 90].map((o) => overTheWire(workerDelta(registry, o)));
    const legacy = overTheWire(workerDelta(registry, 120));
    delete legacy.definitions;
    const orders = [
      [...deltas, legacy],
      [legacy, ...[...deltas].reverse()],
      [deltas[2]!, legacy, deltas[0]!, deltas[3]!, deltas[1]!],
    ];
    const results = orders.map((order) => {
      const agg = new Aggregator(builtinRegistry(), { clock: () => 1000 });
      for (const d of order) agg.merge(d);
      const t = agg.query("checkout_time");
      if (t?.type !== "trend") throw new Error("expected a trend");
      return {
        def: agg.definition("checkout_time"),
        count: t.count,
        percentiles: [1, 50, 95, 99, 100].map((p) => t.percentile(p)),
        bytes: agg.query("payload_bytes"),
      };
    });
    // Whether the legacy delta (no definitions) arrives first, last or in between, the declared
    // unit wins and every sample counts.
    expect(results[1]).toEqual(results[0]!);
    expect(results[2]).toEqual(results[0]!);
    expect(results[0]!.def?.contains).toBe("time");
    expect(results[0]!.count).toBe(250);
  });

  test("an accumulator rejects a delta whose definitions contradict the ones it holds, whole", () => {
    const acc = new DeltaAccumulator();
    acc.add(empty({ definitions: { orders: { type: "counter", contains: "default" } }, counters: { orders: 1 } }));
    expect(() => acc.add(empty({ definitions: { orders: { type: "gauge", contains: "default" } }, counters: { http_reqs: 9 } }))).toThrow(RejectedDeltaError);
    expect(acc.take()).toEqual({ definitions: { orders: { type: "counter", contains: "default" } }, counters: { orders: 1 }, rates: {}, gauges: {}, trends: {} });
  });
});
