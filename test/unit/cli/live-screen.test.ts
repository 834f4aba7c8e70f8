// The live screen: on a terminal the block is rewritten in place (what a user sees is checked on a
// modelled screen), messages go above it; off a terminal log lines at the first drawing, every
// PLAIN_EVERY_MS of run time, and at the end.
import { describe, expect, test } from "bun:test";
import type { ProcessIO } from "../../../src/cli/io.ts";
import { LiveScreen, PLAIN_EVERY_MS } from "../../../src/cli/run/live-screen.ts";
import type { ScenarioStatus } from "../../../src/core/scheduler.ts";
import type { LiveFrame } from "../../../src/outputs/progress.ts";
import { Screen } from "../../helpers/terminal.ts";

function io(isTTY: boolean, columns?: number) {
  const screen = new Screen();
  let raw = "";
  const value: ProcessIO = {
    stdout: { write: () => {}, isTTY },
    stderr: { write: (t) => ((raw += t), screen.write(t)), isTTY, columns },
    env: {},
    cwd: "/",
    now: () => 0,
  };
  return { io: value, screen, raw: () => raw };
}

const scenario = (name: string, completed: number): ScenarioStatus => ({
  name, executor: "constant-vus", state: "running", activeVus: 3, maxVus: 3, iterations: completed, completed, interrupted: 0, dropped: 0,
  startTime: 0, elapsedMs: completed * 100, durationMs: 10_000, plannedIterations: null,
});
const frame = (elapsedMs: number, completed: number): LiveFrame => ({
  elapsedMs, vus: 6, maxVus: 6, reqPerSec: 10, p95Ms: 5, errorRate: 0, scenarios: [scenario("a", completed), scenario("b", completed * 2)],
});

describe("on a terminal", () => {
  test("each drawing replaces the previous block; messages stay above it", () => {
    const t = io(true, 120);
    const screen = new LiveScreen(t.io, false);
    t.io.stderr.write("loadr: running plan\n");
    screen.draw(frame(1_000, 10));
    expect(t.screen.lines()).toHaveLength(4);
    expect(t.screen.lines()[1]).toContain("10 complete");
    screen.draw(frame(2_000, 20));
    screen.message("threshold crossed");
    screen.draw(frame(3_000, 30), true);
    expect(t.screen.lines()).toEqual([
      "loadr: running plan",
      "loadr: threshold crossed",
      "a  constant-vus  [======>             ] 3s/10s  vus 3/3  30 complete, 0 interrupted",
      "b  constant-vus  [============>       ] 6s/10s  vus 3/3  60 complete, 0 interrupted",
      "running 3s/10s  vus 6/6  10.0 req/s  p95 5ms  err 0.00%",
    ]);
  });

  test("lines fit the terminal's width (80 when it does not say), so the rewrite never wraps", () => {
    for (const columns of [30, undefined, 0]) {
      const t = io(true, columns);
      new LiveScreen(t.io, false).draw(frame(1_000, 10));
      const width = columns || 80;
      expect(t.screen.lines().every((l) => l.length < width)).toBe(true);
    }
  });

  test("quiet draws nothing", () => {
    const t = io(true, 120);
    new LiveScreen(t.io, true).draw(frame(1_000, 10), true);
    expect(t.raw()).toBe("");
  });
});

describe("off a terminal", () => {
  test("log lines at the first drawing, then every few seconds of run time, and at the end; no escape sequences", () => {
    const t = io(false);
    const screen = new LiveScreen(t.io, false);
    const drawnAt: number[] = [];
    for (let ms = 1_000; ms <= 12_000; ms += 1_000) {
      const before = t.raw().length;
      screen.draw(frame(ms, ms / 100), ms === 12_000);
      if (t.raw().length > before) drawnAt.push(ms);
    }
    expect(drawnAt).toEqual([1_000, 1_000 + PLAIN_EVERY_MS, 1_000 + 2 * PLAIN_EVERY_MS, 12_000]);
    expect(t.raw()).not.toContain("\x1b");
    expect(t.raw().split("\n").slice(0, 3)).toEqual([
      "loadr: t=1s/10s vus=6/6 req/s=10.0 p95=5ms errors=0.00%",
      "loadr:   a constant-vus vus=3/3 time=1s/10s complete=10 interrupted=0 dropped=0",
      "loadr:   b constant-vus vus=3/3 time=2s/10s complete=20 interrupted=0 dropped=0",
    ]);
  });

  test("a run shorter than the period still gets its line at the end", () => {
    const t = io(false);
    new LiveScreen(t.io, false).draw(frame(600, 6), true);
    expect(t.raw()).toStartWith("loadr: t=0s/10s vus=6/6");
  });
});
