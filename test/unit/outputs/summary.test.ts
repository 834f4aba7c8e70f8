import { describe, expect, test } from "bun:test";
import type { ThresholdSpec } from "../../../src/config/plan.ts";
import { ThresholdEvaluator } from "../../../src/core/thresholds/evaluator.ts";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";
import { buildSummary, type SummaryMeta } from "../../../src/core/run/summary.ts";
import { summaryToJson } from "../../../src/outputs/summary-json.ts";
import { renderSummaryText } from "../../../src/outputs/summary-text.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";

const loc = { file: "plan.yaml", line: 1, column: 1 };
const th = (key: string, metric: string, expression: string, filter: Record<string, string> = {}, abortOnFail = false): ThresholdSpec => ({
  key,
  metric,
  filter,
  expression,
  abortOnFail,
  delayAbortEval: 0,
  loc,
});

/** Two workers, two scenarios, 10 s: smoke 100 reqs of 1..100 ms, burst 20 reqs of 1000 ms. */
function run() {
  const agg = new Aggregator(builtinRegistry(), { clock: () => 0 });
  const workers = [new MetricStore(builtinRegistry()), new MetricStore(builtinRegistry())];
  for (let i = 1; i <= 100; i++) {
    const w = workers[i % 2]!;
    const tags = { scenario: "smoke", name: "GET /", status: i <= 4 ? "500" : "200" };
    w.add("http_reqs", 1, tags);
    w.add("http_req_duration", i, tags);
    w.add("http_req_failed", i <= 4 ? 1 : 0, tags);
    w.add("data_received", 1500, tags);
    w.add("checks", i <= 4 ? 0 : 1, { check: "status is 200", group: "", scenario: "smoke" });
    w.add("checks", 1, { check: "has token", group: "::login", scenario: "smoke" });
    w.add("checks", i % 10 === 0 ? 0 : 1, { check: "cart ok", group: "::login::cart", scenario: "smoke" });
  }
  for (let i = 0; i < 20; i++) {
    const w = workers[i % 2]!;
    const tags = { scenario: "burst", name: "GET /", status: "200" };
    w.add("http_reqs", 1, tags);
    w.add("http_req_duration", 1000, tags);
    w.add("http_req_failed", 0, tags);
    w.add("checks", 1, { check: "status is 200", group: "", scenario: "burst" });
  }
  workers[0]!.add("dropped_iterations", 7, { scenario: "burst" });
  for (const w of workers) agg.merge(w.takeDelta());
  agg.setGauge("vus", 10);
  agg.setGauge("vus_max", 20);
  const evaluator = new ThresholdEvaluator([
    th("http_req_duration", "http_req_duration", "p(95)<500"),
    th("http_req_duration", "http_req_duration", "p(99.9)<2000"),
    th("http_req_duration{scenario:burst}", "http_req_duration", "p(95)<200", { scenario: "burst" }),
    th("http_req_failed", "http_req_failed", "rate<0.05"),
    th("checks", "checks", "rate>0.99", {}, true),
    th("iteration_duration", "iteration_duration", "p(95)<100"),
    th("dropped_iterations{scenario:smoke}", "dropped_iterations", "count<1", { scenario: "smoke" }),
    th("checks{scenario:none}", "checks", "rate>0.5", { scenario: "none" }),
  ]);
  const results = evaluator.evaluate(agg, 10_000);
  const meta: SummaryMeta = {
    planName: "checkout",
    durationMs: 10_000,
    scenarios: [
      { name: "smoke", executor: "constant-vus", completed: 100, interrupted: 2, dropped: 0, maxVus: 10 },
      { name: "burst", executor: "ramping-arrival-rate", completed: 20, interrupted: 0, dropped: 7, maxVus: 1 },
    ],
    notes: ["The load generator was overloaded for 3 s: event-loop lag reached 250 ms; latencies in that period are inflated."],
    aborted: { threshold: "checks", expression: "rate>0.99", atMs: 8000 },
  };
  return { summary: buildSummary(agg, results, meta), results };
}

describe("buildSummary", () => {
  test("is plain JSON and carries metrics, sub-metrics, checks and notes", () => {
    const { summary } = run();
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    const names = summary.metrics.map((m) => m.name);
    // sorted, sub-metric right after its parent
    expect(names.indexOf("http_req_duration{scenario:burst}")).toBe(names.indexOf("http_req_duration") + 1);
    expect(names).toContain("iteration_duration"); // threshold without data still listed
    expect(summary.droppedIterations).toBe(7);
    expect(summary.thresholdsOk).toBe(false);
    expect(summary.notes[0]).toContain("overloaded");
    expect(summary.notes.some((n) => n.includes("7 iterations were dropped"))).toBe(true);
    expect(summary.notes.some((n) => n.includes("stopped early at 8.0s") && n.includes("checks: rate>0.99"))).toBe(true);
    expect(summary.notes.some((n) => n.includes("iteration_duration: p(95)<100 was not evaluated"))).toBe(true);
  });

  test("groups checks by group path and merges scenarios", () => {
    const { summary } = run();
    const root = summary.rootGroup;
    expect(root.checks).toEqual([{ name: "status is 200", path: "::status is 200", passes: 116, fails: 4 }]);
    const login = root.groups[0]!;
    expect(login).toMatchObject({ name: "login", path: "::login" });
    expect(login.checks).toEqual([{ name: "has token", path: "::login::has token", passes: 100, fails: 0 }]);
    expect(login.groups[0]).toMatchObject({ name: "cart", path: "::login::cart", checks: [{ name: "cart ok", passes: 90, fails: 10 }] });
  });
});

describe("summaryToJson (k6 summary export shape)", () => {
  test("metrics, thresholds and root_group follow the contract", () => {
    const { summary } = run();
    const json = summaryToJson(summary);
    const m = json.metrics;
    expect(m.http_reqs).toEqual({ count: 120, rate: 12 });
    expect(m.http_req_failed).toMatchObject({ passes: 4, fails: 116, rate: 4 / 120 });
    expect(m.checks).toMatchObject({ passes: 306, fails: 14 });
    const d = m.http_req_duration!;
    for (const k of ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)", "p(99.9)"]) expect(typeof d[k]).toBe("number");
    expect(d.min as number).toBeCloseTo(1, 2);
    expect(d.max as number).toBeCloseTo(1000, 0);
    expect(d.thresholds).toEqual({ "p(95)<500": { ok: false }, "p(99.9)<2000": { ok: true } });
    expect(m["http_req_duration{scenario:burst}"]).toMatchObject({ count: 20, thresholds: { "p(95)<200": { ok: false } } });
    expect((m["http_req_duration{scenario:burst}"]!.med as number)).toBeCloseTo(1000, 0);
    expect(m.http_req_failed!.thresholds).toEqual({ "rate<0.05": { ok: true } });
    // A trend without samples: not evaluated, and the export says so.
    expect(m.iteration_duration).toEqual({ thresholds: { "p(95)<100": { ok: true, noData: true } } });
    // A counter and a rate without samples: evaluated as k6 reads them (count 0; rate 0, no passes).
    expect(m["dropped_iterations{scenario:smoke}"]).toEqual({ count: 0, rate: 0, thresholds: { "count<1": { ok: true } } });
    expect(m["checks{scenario:none}"]).toEqual({ rate: 0, passes: 0, fails: 0, value: 0, thresholds: { "rate>0.5": { ok: false } } });
    expect(m.vus).toEqual({ value: 10, min: 10, max: 10 });
    expect(m.data_received).toEqual({ count: 150_000, rate: 15_000 });

    expect(json.root_group.name).toBe("");
    expect(json.root_group.path).toBe("");
    expect(json.root_group.checks["status is 200"]).toEqual({ name: "status is 200", path: "::status is 200", passes: 116, fails: 4 });
    expect(json.root_group.groups.login!.groups.cart!.checks["cart ok"]).toMatchObject({ passes: 90, fails: 10 });
    expect(json.state.testRunDurationMs).toBe(10_000);
    expect(json.dropped_iterations).toBe(7);
    expect(json.aborted).toEqual({ threshold: "checks", expression: "rate>0.99", atMs: 8000 });
    expect(json.thresholds.find((t) => t.metric === "iteration_duration")).toMatchObject({ ok: true, observed: null, no_samples: true, no_data: true });
    expect(json.thresholds.find((t) => t.metric === "dropped_iterations{scenario:smoke}")).toMatchObject({ ok: true, observed: 0, no_samples: true, no_data: false });
    expect(json.thresholds.find((t) => t.metric === "http_req_failed")).toMatchObject({ no_samples: false, no_data: false });
    expect(json.scenarios).toEqual([
      { name: "smoke", executor: "constant-vus", iterations_complete: 100, iterations_interrupted: 2, dropped_iterations: 0, vus_max: 10 },
      { name: "burst", executor: "ramping-arrival-rate", iterations_complete: 20, iterations_interrupted: 0, dropped_iterations: 7, vus_max: 1 },
    ]);
    expect(json.thresholds_ok).toBe(false);
  });
});

describe("renderSummaryText", () => {
  test("contains notes, thresholds with observed values, checks by group and metric lines", () => {
    const { summary } = run();
    const text = renderSummaryText(summary, { color: false });
    const lines = text.split("\n");
    const has = (re: RegExp) => expect(lines.some((l) => re.test(l)) ? re : `${re} not in:\n${text}`).toBe(re);
    expect(text).not.toContain("\x1b[");
    expect(text.indexOf("NOTES")).toBeLessThan(text.indexOf("METRICS"));
    has(/plan "checkout".*ran 10s.*smoke \(constant-vus\), burst \(ramping-arrival-rate\)/);
    has(/! The load generator was overloaded/);
    has(/^\s+✗ p\(95\)<500\s+p\(95\)=1s$/);
    has(/^\s+✗ rate>0\.99\s+rate=95\.63%$/);
    has(/^\s+✗ p\(95\)<200\s+p\(95\)=1s$/);
    has(/^\s+✓ rate<0\.05\s+rate=3\.33%$/);
    has(/^\s+✓ p\(95\)<100\s+no data \(not evaluated\)$/);
    has(/^\s+✓ count<1\s+count=0 \(no samples\)$/);
    has(/^\s+✗ rate>0\.5\s+rate=0\.00% \(no samples\)$/);
    has(/^\s+smoke  constant-vus          max 10 VUs  100 complete and 2 interrupted iterations$/);
    has(/^\s+burst  ramping-arrival-rate  max 1 VU    20 complete and 0 interrupted iterations, 7 dropped$/);
    expect(text.indexOf("SCENARIOS")).toBeLessThan(text.indexOf("THRESHOLDS"));
    has(/^\s+✗ status is 200\s+· 116 passed, 4 failed \(96\.67% ok\)$/);
    has(/^\s+█ login$/);
    has(/^\s+✓ has token\s+· 100 passed$/);
    has(/^\s+█ cart$/);
    has(/^\s+✗ http_req_duration\.+: avg=\S+ms min=1ms med=\S+ms max=1s p\(90\)=\S+ p\(95\)=\S+ p\(99\)=\S+ p\(99\.9\)=\S+$/);
    has(/^\s+✗\s+\{ scenario:burst \}\.+: avg=1s min=1s med=1s max=1s/);
    has(/^\s+http_reqs\.+: 120\s+12\/s$/);
    has(/^\s+✗ checks\.+: 95\.63%\s+✓ 306\s+✗ 14$/);
    has(/^\s+data_received\.+: 150 kB\s+15 kB\/s$/);
    has(/^\s+vus\.+: 10\s+min=10 max=10$/);
  });

  test("colors only when asked", () => {
    const { summary } = run();
    const text = renderSummaryText(summary, { color: true });
    expect(text).toContain("\x1b[32m✓\x1b[0m");
    expect(text).toContain("\x1b[31m✗\x1b[0m");
  });
});
