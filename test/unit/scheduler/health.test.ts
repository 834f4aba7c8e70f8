import { describe, expect, test } from "bun:test";
import { judgeHealth, startHealthSampler, worstSample, type HealthSample } from "../../../src/core/health.ts";

const ok: HealthSample = { eventLoopLagMs: 3, cpuPercent: 40 };
const laggy: HealthSample = { eventLoopLagMs: 180, cpuPercent: 99 };
const hot: HealthSample = { eventLoopLagMs: 10, cpuPercent: 97 };

describe("judgeHealth", () => {
  test("healthy, empty and short histories are not overloaded", () => {
    expect(judgeHealth([])).toEqual({ eventLoopLagMs: 0, cpuPercent: 0, overloaded: false });
    expect(judgeHealth([ok, ok, ok, ok]).overloaded).toBe(false);
    expect(judgeHealth([laggy, laggy]).overloaded).toBe(false); // not yet sustained
  });
  test("a single spike is not sustained", () => {
    expect(judgeHealth([ok, laggy, ok, ok, laggy, ok]).overloaded).toBe(false);
  });
  test("lag sustained over 3 seconds (median > 50 ms) is overloaded, with a plain-words reason", () => {
    const verdict = judgeHealth([ok, laggy, laggy, ok, ok]);
    expect(verdict.overloaded).toBe(true);
    expect(verdict.reason).toBe(
      "the load generator was saturated (event-loop lag 180 ms, CPU 99%) for 2 s: its latency figures are inflated; use more workers or agents, or fewer VUs",
    );
    expect(verdict.eventLoopLagMs).toBe(3); // the latest second's figures
  });
  test("CPU >= 95% in 3 consecutive seconds is overloaded even with low lag", () => {
    expect(judgeHealth([hot, hot, ok]).overloaded).toBe(false);
    const verdict = judgeHealth([ok, hot, hot, hot]);
    expect(verdict.overloaded).toBe(true);
    expect(verdict.reason).toContain("CPU 97%");
  });
  test("worstSample takes the max of each figure", () => {
    expect(worstSample([ok, hot, { eventLoopLagMs: 60, cpuPercent: 1 }])).toEqual({ eventLoopLagMs: 60, cpuPercent: 97 });
  });
});

describe("startHealthSampler", () => {
  test("sees a blocked event loop and this thread's CPU share", async () => {
    const threadCpu = (process as unknown as { threadCpuUsage: () => { user: number; system: number } }).threadCpuUsage;
    const cpuMs = () => {
      const u = threadCpu();
      return (u.user + u.system) / 1000;
    };
    const sampler = startHealthSampler();
    sampler.sample();
    const wall0 = performance.now();
    const cpu0 = cpuMs();
    await Bun.sleep(30);
    // Block the loop for at least 120 ms of wall time and 60 ms of this thread's CPU: on a
    // loaded machine the thread may get less than a core, and the sample must say how much.
    const spinUntil = performance.now() + 120;
    while (performance.now() < spinUntil || cpuMs() - cpu0 < 60) {
      // block the loop
    }
    const s = sampler.sample();
    const expected = ((cpuMs() - cpu0) / (performance.now() - wall0)) * 100;
    sampler.stop();
    expect(sampler.perThread).toBe(true); // Bun 1.4.5 has process.threadCpuUsage
    expect(s.eventLoopLagMs).toBeGreaterThan(60);
    // The sampler's window starts at its previous sample, a moment before wall0: same share ± noise.
    expect(s.cpuPercent).toBeGreaterThan(0);
    expect(Math.abs(s.cpuPercent - expected)).toBeLessThan(15);
  });
});
