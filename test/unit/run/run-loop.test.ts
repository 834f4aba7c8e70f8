// The run loop with a real aggregator and evaluator, a status source the test controls, and
// consumers that record what they saw.
import { describe, expect, test } from "bun:test";
import { builtinRegistry } from "../../helpers/metrics.ts";
import type { ThresholdSpec } from "../../../src/config/plan.ts";
import { RunLoop, type RunConsumer, type RunLoopStatus, type RunResult, type RunSnapshot } from "../../../src/core/run/run-loop.ts";
import { ThresholdEvaluator } from "../../../src/core/thresholds/evaluator.ts";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { MetricStore } from "../../../src/metrics/store.ts";

const loc = { file: "plan.yaml", line: 1, column: 1 };
const threshold = (metric: string, expression: string, abortOnFail = false, delayAbortEval = 0): ThresholdSpec => ({
  key: metric,
  metric,
  filter: {},
  expression,
  abortOnFail,
  delayAbortEval,
  loc,
});

function recorder(name = "recorder"): RunConsumer & { ticks: RunSnapshot[]; finished: RunResult[] } {
  const ticks: RunSnapshot[] = [];
  const finished: RunResult[] = [];
  return { name, ticks, finished, onTick: (s) => void ticks.push(s), onFinish: (r) => void finished.push(r) };
}

function setup(specs: ThresholdSpec[] = []) {
  const aggregator = new Aggregator(builtinRegistry());
  const store = new MetricStore(builtinRegistry());
  const status: RunLoopStatus = { elapsedMs: 0, activeVus: 0, maxVus: 0, reporting: false };
  const aborts: unknown[] = [];
  const errors: Array<[string, string]> = [];
  const a = recorder("a");
  const b = recorder("b");
  const loop = new RunLoop({
    aggregator,
    thresholds: new ThresholdEvaluator(specs),
    status: () => ({ ...status }),
    consumers: [a, b],
    onAbort: (d) => void aborts.push(d),
    onConsumerError: (name, error) => void errors.push([name, (error as Error).message]),
    now: () => 1_700_000_000_000 + status.elapsedMs,
  });
  /** One second of requests, merged as a worker would ship them. */
  const second = (requests: number, ms: number) => {
    for (let i = 0; i < requests; i++) {
      store.add("http_reqs", 1, { name: "home" });
      store.add("http_req_duration", ms, { name: "home" });
    }
    aggregator.merge(store.takeDelta());
    status.elapsedMs += 1000;
  };
  return { aggregator, status, loop, a, b, aborts, errors, second };
}

describe("RunLoop", () => {
  test("each tick: one interval, the same frozen snapshot for every consumer, gauges only once workers report", () => {
    const { aggregator, status, loop, a, b, second } = setup();
    second(10, 5);
    const first = loop.tick()!;
    expect(aggregator.query("vus")).toBeUndefined(); // not reporting yet: no made-up zero
    status.reporting = true;
    status.activeVus = 4;
    status.maxVus = 6;
    second(20, 5);
    const next = loop.tick()!;
    expect(a.ticks).toEqual([first, next]);
    expect(b.ticks[0]).toBe(a.ticks[0]!);
    expect(b.ticks[1]).toBe(a.ticks[1]!);
    expect(Object.isFrozen(next)).toBe(true);
    expect(first).toMatchObject({ tick: 1, final: false, interval: { startMs: 0, endMs: 1000, startUnixMs: expect.any(Number), endUnixMs: 1_700_000_001_000 } });
    expect(next).toMatchObject({ tick: 2, interval: { startMs: 1000, endMs: 2000 }, status: { activeVus: 4 } });
    expect(first.interval.metrics.http_reqs).toMatchObject({ count: 10 });
    expect(next.interval.metrics.http_reqs).toMatchObject({ count: 20 });
    expect(next.interval.series.find((s) => s.key === "vus")?.value).toMatchObject({ value: 4 });
    expect(aggregator.query("vus_max")).toMatchObject({ value: 6 });
  });

  test("a run shorter than one tick still has vus_max: finish takes it from the final status", async () => {
    const { aggregator, status, loop, second } = setup();
    second(3, 5);
    status.reporting = true;
    status.maxVus = 6;
    const result = await loop.finish({ summary: { planName: "short", scenarios: [], notes: [] } });
    expect(aggregator.query("vus_max")).toMatchObject({ value: 6 });
    expect(result.summary.metrics.find((m) => m.name === "vus_max")?.values.value).toBe(6);
    expect(aggregator.query("vus")).toBeUndefined(); // vus stays as last set while running: never
  });

  test("abortOnFail: decided once after its delay, onAbort called once, every later snapshot carries it", () => {
    const { loop, aborts, second } = setup([threshold("http_req_duration", "p(95)<100", true, 2000), threshold("http_reqs", "count>0")]);
    second(5, 500);
    expect(loop.tick()!.abort).toBeUndefined(); // failing, but within delayAbortEval
    second(5, 500);
    const decided = loop.tick()!;
    expect(decided.abort).toMatchObject({ key: "http_req_duration", expression: "p(95)<100", atMs: 2000 });
    expect(decided.thresholds.map((t) => [t.expression, t.ok])).toEqual([
      ["p(95)<100", false],
      ["count>0", true],
    ]);
    second(5, 500);
    expect(loop.tick()!.abort).toBe(decided.abort!);
    expect(aborts).toEqual([decided.abort]);
  });

  test("finish: the final partial interval is fanned out, the summary and the exit code follow from what happened", async () => {
    const { loop, a, second, status } = setup([threshold("http_req_duration", "p(95)<100", true)]);
    second(5, 500);
    loop.tick();
    second(3, 500); // after the last tick: only the final snapshot has these
    status.elapsedMs -= 400;
    const result = await loop.finish({ summary: { planName: "p", scenarios: [{ name: "s", executor: "constant-vus" }], notes: ["a note"] } });
    const last = a.ticks.at(-1)!;
    expect(last).toMatchObject({ final: true, tick: 2, interval: { startMs: 1000, endMs: 1600 } });
    expect(last.interval.metrics.http_reqs).toMatchObject({ count: 3 });
    expect(a.ticks.reduce((n, t) => n + (t.interval.metrics.http_reqs as { count: number }).count, 0)).toBe(8);
    expect(result.summary.metrics.find((m) => m.name === "http_reqs")?.values.count).toBe(8);
    expect(result.summary.durationMs).toBe(1600);
    expect(result.summary.aborted).toEqual({ threshold: "http_req_duration", expression: "p(95)<100", atMs: 1000 });
    expect(result.summary.notes[0]).toBe("a note");
    expect(result.outcome).toEqual({ kind: "aborted-by-threshold", reason: "http_req_duration: p(95)<100" });
    expect(result.exitCode).toBe(99);
    expect(result.thresholds).toBe(last.thresholds);
    expect(a.finished).toEqual([result]);
    // Once finished: the same result again, no more ticks.
    expect(await loop.finish({ summary: { planName: "other", scenarios: [], notes: [] } })).toBe(result);
    expect(loop.tick()).toBeUndefined();
    expect(a.ticks).toHaveLength(2);
  });

  test("interrupt: no abort decision after it, exit 105 even with failed thresholds, a note in the summary", async () => {
    const { loop, aborts, second } = setup([threshold("http_req_duration", "p(95)<100", true)]);
    second(5, 500);
    loop.interrupt("Ctrl-C");
    loop.interrupt("SIGTERM"); // only the first counts
    expect(loop.tick()!).toMatchObject({ interrupted: "Ctrl-C" });
    const result = await loop.finish({ summary: { planName: "p", scenarios: [], notes: [] } });
    expect(aborts).toEqual([]);
    expect(result.summary.thresholdsOk).toBe(false);
    expect(result.outcome).toEqual({ kind: "interrupted", reason: "Ctrl-C" });
    expect(result.exitCode).toBe(105);
    expect(result.summary.notes[0]).toBe("the run was interrupted (Ctrl-C) before the plan's end");
  });

  test("a failed run exits 1; a clean one 0", async () => {
    const failed = setup();
    failed.second(1, 5);
    expect((await failed.loop.finish({ summary: { planName: "p", scenarios: [], notes: [] }, failed: "worker 1 crashed" })).exitCode).toBe(1);
    const clean = setup([threshold("http_reqs", "count>0")]);
    clean.second(1, 5);
    const result = await clean.loop.finish({ summary: { planName: "p", scenarios: [], notes: [] } });
    expect([result.outcome.kind, result.exitCode]).toEqual(["finished", 0]);
  });

  test("a throwing consumer is isolated and reported once; the others and the loop go on", async () => {
    const { loop, a, errors, second } = setup();
    let calls = 0;
    loop.addConsumer({
      name: "broken",
      onTick: () => {
        calls++;
        throw new Error("boom");
      },
      onFinish: () => Promise.reject(new Error("flush failed")),
    });
    loop.addConsumer({ name: "async", onTick: (() => Promise.reject(new Error("late"))) as () => void });
    for (let i = 0; i < 3; i++) {
      second(1, 5);
      loop.tick();
    }
    const result = await loop.finish({ summary: { planName: "p", scenarios: [], notes: [] } });
    expect(calls).toBe(4);
    expect(a.ticks).toHaveLength(4);
    expect(a.finished).toEqual([result]);
    expect(errors).toEqual([
      ["broken", "boom"],
      ["async", "late"],
    ]);
  });

  test("start() ticks on its own timer until finish()", async () => {
    const aggregator = new Aggregator(builtinRegistry());
    const ticks: RunSnapshot[] = [];
    let elapsedMs = 0;
    const loop = new RunLoop({
      aggregator,
      thresholds: new ThresholdEvaluator([]),
      status: () => ({ elapsedMs: (elapsedMs += 10), activeVus: 1, maxVus: 1, reporting: true }),
      consumers: [{ name: "t", onTick: (s) => void ticks.push(s) }],
      tickMs: 10,
    });
    loop.start();
    const deadline = Date.now() + 5000;
    while (ticks.length < 3 && Date.now() < deadline) await Bun.sleep(5);
    await loop.finish({ summary: { planName: "p", scenarios: [], notes: [] } });
    const count = ticks.length;
    expect(count).toBeGreaterThanOrEqual(4); // three timer ticks and the final one
    expect(ticks.at(-1)!.final).toBe(true);
    await Bun.sleep(40);
    expect(ticks.length).toBe(count);
  });
});
