// The two adapters onto the live screen: the local run loop's consumer (live-view.ts) and the
// controller's event stream (remote-view.ts). Neither draws made-up zeros before the load
// generators report; the remote one skips (and says once) a progress event it cannot read.
import { describe, expect, test } from "bun:test";
import type { ProcessIO } from "../../../src/cli/io.ts";
import { LiveView, type LocalLoopStatus } from "../../../src/cli/run/live-view.ts";
import { RemoteView } from "../../../src/cli/run/remote-view.ts";
import type { ProgressEvent } from "../../../src/cluster/api-types.ts";
import type { RunSnapshot } from "../../../src/core/run/run-loop.ts";
import type { ScenarioStatus } from "../../../src/core/scheduler.ts";
import { Aggregator } from "../../../src/metrics/aggregator.ts";
import { builtinRegistry } from "../../helpers/metrics.ts";
import { Screen } from "../../helpers/terminal.ts";

function terminal() {
  const screen = new Screen();
  const io: ProcessIO = { stdout: { write: () => {}, isTTY: true }, stderr: { write: (t) => screen.write(t), isTTY: true, columns: 200 }, env: {}, cwd: "/", now: () => 0 };
  return { io, screen };
}

const scenario: ScenarioStatus = {
  name: "browse", executor: "constant-vus", state: "running", activeVus: 5, maxVus: 5, iterations: 40, completed: 38, interrupted: 0, dropped: 0,
  startTime: 0, elapsedMs: 2_000, durationMs: 10_000, plannedIterations: null,
};

describe("the local live view", () => {
  const interval = new Aggregator(builtinRegistry()).takeInterval();
  const snapshot = (status: Partial<LocalLoopStatus>, final = false): RunSnapshot<LocalLoopStatus> => ({
    tick: 1, interval, thresholds: [], final,
    status: {
      state: "running", elapsedMs: 2_100, activeVus: 5, maxVus: 5, reporting: true, scenarios: [scenario],
      health: { eventLoopLagMs: 0, cpuPercent: 10, overloaded: false }, ...status,
    },
  });

  test("draws nothing until every worker reported, then the VUs that run", () => {
    const { io, screen } = terminal();
    const view = new LiveView(io, { quiet: false, color: false });
    view.onTick(snapshot({ reporting: false, activeVus: 0, maxVus: 0, scenarios: [] }));
    expect(screen.lines()).toEqual([]);
    view.onTick(snapshot({}));
    expect(screen.lines()).toEqual([
      "browse  constant-vus  [====>               ] 2s/10s  vus 5/5  38 complete, 0 interrupted",
      "running 2s/10s  vus 5/5  - req/s  p95 -  err -",
    ]);
  });

  test("an overloaded generator is told once, above the block, even when quiet", () => {
    const { io, screen } = terminal();
    const view = new LiveView(io, { quiet: true, color: false });
    const health = { eventLoopLagMs: 300, cpuPercent: 100, overloaded: true, reason: "the load generator is overloaded" };
    view.onTick(snapshot({ health }));
    view.onTick(snapshot({ health }));
    expect(screen.lines()).toEqual(["loadr: the load generator is overloaded"]);
  });
});

describe("the remote live view", () => {
  const event = (over: Partial<ProgressEvent> = {}): ProgressEvent => ({
    type: "progress", runId: "r1", elapsedMs: 2_100, reporting: true, final: false, activeVus: 5, maxVus: 5,
    fleet: { agents: 2, healthy: 2, done: 0, failed: 0, lost: 0 }, scenarios: [scenario],
    metrics: { http_reqs: { count: 120, rate: 120 }, http_req_duration: { count: 120, avg: 3, min: 1, med: 2, max: 9, "p(90)": 5, "p(95)": 6.5, "p(99)": 8 } },
    detail: { names: [], checks: [], thresholds: [], namesLeftOut: 0 }, agentRates: [], atUnixMs: 0, ...over,
  });

  test("the fleet line, the scenarios and the run's figures from a progress event; nothing before the fleet reports", () => {
    const { io, screen } = terminal();
    const view = new RemoteView(io, false);
    view.event(event({ reporting: false, activeVus: 0 }));
    expect(screen.lines()).toEqual([]);
    view.event(event());
    view.event({ type: "agent", runId: "r1", agentId: "x", name: "local-2", state: "lost", message: "went silent", atUnixMs: 0 });
    expect(screen.lines()).toEqual([
      "loadr: agent local-2 lost: went silent",
      "agents 2/2 healthy, 0 lost",
      "browse  constant-vus  [====>               ] 2s/10s  vus 5/5  38 complete, 0 interrupted",
      "running 2s/10s  vus 5/5  120 req/s  p95 6.5ms  err -",
    ]);
  });

  test("a malformed progress event is skipped, and said once", () => {
    const { io, screen } = terminal();
    const view = new RemoteView(io, false);
    view.event(event({ activeVus: -1 }));
    view.event(event({ scenarios: [{ ...scenario, completed: "many" as unknown as number }] }));
    view.event({ ...event(), fleet: undefined } as unknown as ProgressEvent);
    expect(view.skipped).toBe(3);
    expect(screen.lines()).toEqual(["loadr: the controller sent a progress event loadr cannot read (a different loadr version?); the live view skips such events"]);
  });
});
