// Time for executors and the scheduler: a monotonic millisecond clock plus an abortable sleep.
// `realClock` uses performance.now() and setTimeout; `FakeClock` lets tests drive time by hand
// (no real sleeping): `await clock.advance(ms)` fires due sleeps in time order and lets the
// promises they resolve settle before moving on.

export interface Clock {
  /** Monotonic milliseconds (any origin); never goes backwards. */
  now(): number;
  /**
   * Resolves after `ms` (<= 0: on a later turn), or as soon as `signal` aborts. Never rejects;
   * the caller checks `signal.aborted` if it cares which happened. Frees its timer on abort.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener("abort", done, { once: true });
    });
  },
};

/** Waits for queued microtasks and one macrotask turn (no time passes). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface FakeTimer {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Test clock: time moves only through `advance`/`advanceTo`. Not for concurrent drivers. */
export class FakeClock implements Clock {
  private time: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer: FakeTimer = { at: this.time + Math.max(0, ms), seq: this.seq++, resolve: () => {} };
      const done = () => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      timer.resolve = done;
      this.timers.push(timer);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /** Pending sleeps (for assertions that nothing leaks). */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every sleep due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.time + ms);
  }

  async advanceTo(target: number): Promise<void> {
    await nextTurn();
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.time = Math.max(this.time, next.at);
      next.resolve();
      await nextTurn();
    }
    this.time = Math.max(this.time, target);
    await nextTurn();
  }

  /** Advances in steps of `stepMs` until `promise` settles (or `limitMs` of fake time passed). */
  async runUntil<T>(promise: Promise<T>, limitMs = 24 * 3600_000, stepMs = 1000): Promise<T> {
    let settled = false;
    void promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    const end = this.time + limitMs;
    await nextTurn();
    while (!settled && this.time < end) await this.advance(Math.min(stepMs, end - this.time));
    if (!settled) throw new Error(`FakeClock.runUntil: not settled after ${limitMs} ms of fake time`);
    return promise;
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }
}
