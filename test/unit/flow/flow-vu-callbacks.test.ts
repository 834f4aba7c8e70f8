// FlowVu.runIterationThen (src/core/flow/flow-vu.ts), the VU loops' path, with the real HTTP/1.1
// session: steps that end before their `runThen` returns (a request whose URL cannot be used
// fails at once, unsent) are continued by the step loop, not by nested calls, so an iteration of
// any length runs on a flat stack; each is still recorded, and the iteration ends exactly once.
import { describe, expect, test } from "bun:test";
import { createVuFactory } from "../../../src/core/vu-factory.ts";
import { http1Handler } from "../../../src/protocols/http1/index.ts";
import { FakeHandler, modulesWith, never, RecordingSink, req, scenario, set, TestJar, tpl } from "./fakes.ts";

const REQUESTS = 30_000;

function setup() {
  const metrics = new RecordingSink();
  const warnings: string[] = [];
  const factory = createVuFactory({
    baseUrl: "http://127.0.0.1:9",
    data: {},
    modules: modulesWith(http1Handler),
    metrics,
    createCookieJar: () => new TestJar(),
    warn: (m) => warnings.push(m),
  });
  return { metrics, warnings, factory };
}

describe("runIterationThen", () => {
  test(`${REQUESTS} requests that fail before their runThen returns: all recorded, one end, no stack overflow`, () => {
    const { metrics, warnings, factory } = setup();
    // A host with a space in it passes the plan's checks as a template and fails at send time.
    const flow = [set(["host", tpl("bad host")]), ...Array.from({ length: REQUESTS }, () => req({ url: tpl("http://${vars.host}/x") }))];
    const vu = factory(scenario(flow), 1);
    let ends = 0;
    vu.runIterationThen!(never(), () => ends++);
    // Everything ended synchronously: the callback has run once already.
    expect(ends).toBe(1);
    expect(warnings).toEqual([]);
    expect(metrics.sum("http_reqs")).toBe(REQUESTS);
    expect(metrics.sum("http_req_failed")).toBe(REQUESTS);
    expect(metrics.sum("iterations")).toBe(1);
    vu.close();
  });

  test("an aborted signal runs no step and still counts the iteration", () => {
    const { metrics, factory } = setup();
    const vu = factory(scenario([req({ url: "/x" })]), 1);
    const controller = new AbortController();
    controller.abort();
    let ends = 0;
    vu.runIterationThen!(controller.signal, () => ends++);
    expect(ends).toBe(1);
    expect(metrics.sum("http_reqs")).toBe(0);
    expect(metrics.sum("iterations")).toBe(1);
  });

  // One clock read serves an iteration's end and the start of the one its callback starts (the
  // VU loops' case); an iteration started later must not carry the gap in its duration.
  test("iteration_duration: back to back from the callback, the iterations tile the time; a later start carries no gap", async () => {
    const metrics = new RecordingSink();
    const handler = new FakeHandler();
    handler.delayMs = 30;
    const factory = createVuFactory({ baseUrl: "http://api.test/", data: {}, modules: modulesWith(handler), metrics, createCookieJar: () => new TestJar(), warn: () => {} });
    const vu = factory(scenario([req({ url: "/x" })]), 1);
    const durations = () => metrics.of("iteration_duration").map((s) => s.value);
    const began = performance.now();
    let ended = 0;
    await new Promise<void>((resolve) => vu.runIterationThen!(never(), () => vu.runIterationThen!(never(), () => ((ended = performance.now()), resolve()))));
    const [first, second] = durations();
    expect(first).toBeGreaterThanOrEqual(29);
    expect(second).toBeGreaterThanOrEqual(29);
    // Both iterations together span the time from the first start to the second end (bar the test's own bookkeeping).
    expect(ended - began - (first! + second!)).toBeGreaterThanOrEqual(0);
    expect(ended - began - (first! + second!)).toBeLessThan(5);

    vu.close();
  });

  test("iteration_duration: after a loop callback that threw, the next iteration still starts at its own start", async () => {
    const { metrics, factory } = setup();
    // Ends before runIterationThen returns: its request fails unsent.
    const vu = factory(scenario([set(["host", tpl("bad host")]), req({ url: tpl("http://${vars.host}/x") })]), 1);
    expect(() => vu.runIterationThen!(never(), () => {
      throw new Error("the loop failed");
    })).toThrow("the loop failed");
    await Bun.sleep(200);
    vu.runIterationThen!(never(), () => {});
    const durations = metrics.of("iteration_duration").map((s) => s.value);
    expect(durations).toHaveLength(2);
    expect(durations[1]).toBeLessThan(150);
    vu.close();
  });
});
