// Pause/resume shared by the scheduler and its executors. While paused no iteration starts and
// scenario timelines stand still (durations, stages and startTime delays resume where they were);
// running iterations go on. Single-threaded; pause()/resume() are idempotent.
import type { Clock } from "../clock.ts";

/** Longest single sleep of a timeline wait: it re-reads the pause state at least this often. */
export const MAX_SLEEP_SLICE_MS = 1000;

export class PauseControl {
  private pausedAt: number | null = null;
  private totalMs = 0;
  private waiters: Array<() => void> = [];

  constructor(private readonly clock: Clock) {}

  get paused(): boolean {
    return this.pausedAt !== null;
  }

  pause(): void {
    if (this.pausedAt === null) this.pausedAt = this.clock.now();
  }

  resume(): void {
    if (this.pausedAt === null) return;
    this.totalMs += this.clock.now() - this.pausedAt;
    this.pausedAt = null;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Milliseconds spent paused so far, including a pause in progress. */
  pausedMs(): number {
    return this.totalMs + (this.pausedAt === null ? 0 : this.clock.now() - this.pausedAt);
  }

  /** Resolves when not paused (at once if not paused now), or when `signal` aborts. */
  resumed(signal?: AbortSignal): Promise<void> {
    if (this.pausedAt === null || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener("abort", done);
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve();
      };
      this.waiters.push(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }
}

/**
 * A scenario's own time: milliseconds since `start`, minus the time spent paused since then.
 * Created when the timeline starts.
 */
export class Timeline {
  private readonly startedAt: number;
  private readonly pausedBefore: number;

  constructor(
    private readonly clock: Clock,
    private readonly pause: PauseControl,
  ) {
    this.startedAt = clock.now();
    this.pausedBefore = pause.pausedMs();
  }

  elapsed(): number {
    return this.clock.now() - this.startedAt - (this.pause.pausedMs() - this.pausedBefore);
  }

  /**
   * Waits until the timeline reaches `atMs` (pauses stretch the wait) or `signal` aborts.
   * Wakes at least every `maxSliceMs` to re-read the pause state.
   */
  async waitUntil(atMs: number, signal: AbortSignal, maxSliceMs = MAX_SLEEP_SLICE_MS): Promise<void> {
    while (!signal.aborted) {
      if (this.pause.paused) {
        await this.pause.resumed(signal);
        continue;
      }
      const remaining = atMs - this.elapsed();
      if (remaining <= 0) return;
      if (remaining === Infinity) {
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
        return;
      }
      await this.clock.sleep(Math.min(remaining, maxSliceMs), signal);
    }
  }
}
