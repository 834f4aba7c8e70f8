import { expect, test } from "bun:test";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { DeltaAccumulator } from "../../../src/metrics/delta-accumulator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

test("a combined delta merges to the same state as its parts", () => {
  const stores = [new MetricStore(builtinRegistry()), new MetricStore(builtinRegistry())];
  for (let i = 0; i < 1000; i++) {
    const s = stores[i % 2]!;
    s.add("http_req_duration", (i * 7919) % 3000, { scenario: "a" });
    s.add("http_reqs", 1, { scenario: "a" });
    s.add("http_req_failed", i % 10 === 0 ? 1 : 0, {});
    s.add("vus", i, {});
  }
  const deltas = stores.map((s) => s.takeDelta());
  const acc = new DeltaAccumulator();
  const direct = new Aggregator(builtinRegistry());
  for (const d of deltas) {
    acc.add(d);
    direct.merge(d);
  }
  expect(acc.empty).toBe(false);
  const combined = acc.take();
  expect(acc.empty).toBe(true);
  expect(combined.counters).toEqual({ "http_reqs{scenario=a}": 1000 });
  expect(combined.rates).toEqual({ http_req_failed: [100, 900] });
  expect(combined.gauges).toEqual({ vus: 999 });
  const viaAcc = new Aggregator(builtinRegistry());
  viaAcc.merge(combined);
  const a = direct.query("http_req_duration");
  const b = viaAcc.query("http_req_duration");
  if (a?.type !== "trend" || b?.type !== "trend") throw new Error("expected trends");
  expect(b.count).toBe(1000);
  for (const p of [1, 50, 95, 99, 100]) expect(b.percentile(p)).toBe(a.percentile(p));
});
