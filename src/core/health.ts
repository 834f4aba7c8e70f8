// The load generator's own health (DESIGN "The generator's own health"). A worker thread runs
// `startHealthSampler()` and calls `sample()` about once a second; the main thread collects the
// busiest worker's samples and `judgeHealth` (pure) says whether loadr itself was the bottleneck.
//
// Measured on Bun 1.4.5: `process.cpuUsage()` is PROCESS-wide, also inside a Worker (an idle main
// thread read 67% while one worker burned a core); `process.threadCpuUsage()` is per thread (idle
// main 0.4%, busy worker 100%). So CPU is read per thread when threadCpuUsage exists, else
// process-wide (then `perThread: false`, and 100% means one core's worth of the whole process).
import type { GeneratorHealth } from "./run/types.ts";

/** The lag probe's period: lag is how late each tick fires. */
export const LAG_PROBE_INTERVAL_MS = 20;
/** Sustained means this many consecutive samples (seconds) in a row. */
export const SUSTAINED_SAMPLES = 3;
/** Median lag over a sustained window above this: overloaded. */
export const LAG_LIMIT_MS = 50;
/** CPU at or above this in every sample of a sustained window: overloaded. */
export const CPU_LIMIT_PERCENT = 95;

export interface HealthSample {
  /** Worst event-loop lag over the sampled window, ms. */
  eventLoopLagMs: number;
  /** CPU time over wall time of the window, percent of one core. */
  cpuPercent: number;
}

export interface HealthSampler {
  /** The window since the previous sample (or the start); resets the window. */
  sample(): HealthSample;
  /** Stops the probe timer. */
  stop(): void;
  /** Whether CPU is this thread's own (process.threadCpuUsage) rather than the whole process's. */
  readonly perThread: boolean;
}

interface CpuReading {
  user: number;
  system: number;
}

export function startHealthSampler(): HealthSampler {
  const threadCpu = (process as { threadCpuUsage?: (previous?: CpuReading) => CpuReading }).threadCpuUsage;
  const perThread = typeof threadCpu === "function";
  const readCpu = (): CpuReading => (perThread ? threadCpu!.call(process) : process.cpuUsage());

  let maxLag = 0;
  let expected = performance.now() + LAG_PROBE_INTERVAL_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    maxLag = Math.max(maxLag, now - expected);
    expected = now + LAG_PROBE_INTERVAL_MS;
  }, LAG_PROBE_INTERVAL_MS);
  (timer as { unref?: () => void }).unref?.();

  let windowStart = performance.now();
  let cpuStart = readCpu();
  return {
    perThread,
    sample() {
      const now = performance.now();
      // A probe tick overdue right now counts too (a blocked loop has not fired it yet).
      const lag = Math.max(maxLag, now - expected, 0);
      const cpu = readCpu();
      const wallUs = (now - windowStart) * 1000;
      const usedUs = cpu.user - cpuStart.user + (cpu.system - cpuStart.system);
      maxLag = 0;
      windowStart = now;
      cpuStart = cpu;
      return { eventLoopLagMs: round1(lag), cpuPercent: wallUs > 0 ? round1((usedUs / wallUs) * 100) : 0 };
    },
    stop() {
      clearInterval(timer);
    },
  };
}

/** The worst of several workers' samples of the same second (max lag, max CPU). */
export function worstSample(samples: readonly HealthSample[]): HealthSample {
  let eventLoopLagMs = 0;
  let cpuPercent = 0;
  for (const s of samples) {
    eventLoopLagMs = Math.max(eventLoopLagMs, s.eventLoopLagMs);
    cpuPercent = Math.max(cpuPercent, s.cpuPercent);
  }
  return { eventLoopLagMs, cpuPercent };
}

/**
 * PURE. `samples` are one per second, oldest first (the busiest worker's). Overloaded when some
 * SUSTAINED_SAMPLES consecutive samples have a median lag > LAG_LIMIT_MS, or all have CPU >=
 * CPU_LIMIT_PERCENT. The figures are the latest sample's; the reason quotes the worst window.
 * Pass the last few samples for a live verdict, the whole run's for the summary.
 */
export function judgeHealth(samples: readonly HealthSample[]): GeneratorHealth {
  const latest = samples[samples.length - 1] ?? { eventLoopLagMs: 0, cpuPercent: 0 };
  let worst: HealthSample | undefined;
  // Seconds that were bad themselves and belong to a sustained window.
  const badSeconds = new Set<number>();
  const bad = (s: HealthSample) => s.eventLoopLagMs > LAG_LIMIT_MS || s.cpuPercent >= CPU_LIMIT_PERCENT;
  for (let end = SUSTAINED_SAMPLES; end <= samples.length; end++) {
    const window = samples.slice(end - SUSTAINED_SAMPLES, end);
    const lag = median(window.map((s) => s.eventLoopLagMs));
    const cpu = median(window.map((s) => s.cpuPercent));
    const saturated = lag > LAG_LIMIT_MS || window.every((s) => s.cpuPercent >= CPU_LIMIT_PERCENT);
    if (!saturated) continue;
    window.forEach((s, i) => bad(s) && badSeconds.add(end - SUSTAINED_SAMPLES + i));
    if (!worst || lag > worst.eventLoopLagMs || (lag === worst.eventLoopLagMs && cpu > worst.cpuPercent)) {
      worst = { eventLoopLagMs: lag, cpuPercent: cpu };
    }
  }
  const verdict: GeneratorHealth = { eventLoopLagMs: latest.eventLoopLagMs, cpuPercent: latest.cpuPercent, overloaded: !!worst };
  if (worst) {
    verdict.reason =
      `the load generator was saturated (event-loop lag ${Math.round(worst.eventLoopLagMs)} ms, ` +
      `CPU ${Math.round(worst.cpuPercent)}%) for ${badSeconds.size} s: its latency figures are inflated; ` +
      `use more workers or agents, or fewer VUs`;
  }
  return verdict;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
