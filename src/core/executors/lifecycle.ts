// The parts every executor's run shares: its stop signals, counting iterations, creating and
// closing VUs, and the drain at the end (stop starting → gracefulStop → hard stop). Single-threaded.
import { runIterationThen, type VirtualUser } from "../vu.ts";
import type { ExecutorContext, ExecutorOutcome, PlanVus } from "./types.ts";
import { Timeline } from "./pause.ts";
import { nextTurn } from "../clock.ts";

/** A VU loop yields to the event loop after this many back-to-back instant iterations (they must not starve timers). */
export const YIELD_EVERY_ITERATIONS = 16;
/** An iteration shorter than this counts as instant. */
export const INSTANT_ITERATION_MS = 1;

/** The controls of one executor run. Create with `startRun(ctx)`; call `finish()` once at the end. */
export class ExecutorRun {
  /** Aborted: start no more iterations (end of duration, graceful stop, or hard stop). */
  readonly stopStarting = new AbortController();
  /** Aborted: running iterations must end now (after gracefulStop, or stop "now"). */
  readonly hard = new AbortController();
  readonly timeline: Timeline;
  private inflight = 0;
  private idleWaiters: Array<() => void> = [];
  private readonly vus: VirtualUser[] = [];
  private readonly unlink: () => void;

  constructor(readonly ctx: ExecutorContext) {
    this.timeline = new Timeline(ctx.clock, ctx.pause);
    const onGraceful = () => this.stopStarting.abort();
    const onHard = () => {
      this.stopStarting.abort();
      this.hard.abort();
    };
    if (ctx.hardStop.aborted) onHard();
    if (ctx.gracefulStop.aborted) onGraceful();
    ctx.gracefulStop.addEventListener("abort", onGraceful, { once: true });
    ctx.hardStop.addEventListener("abort", onHard, { once: true });
    this.unlink = () => {
      ctx.gracefulStop.removeEventListener("abort", onGraceful);
      ctx.hardStop.removeEventListener("abort", onHard);
    };
  }

  get running(): number {
    return this.inflight;
  }

  /** Creates VU number `index` (0-based) of this segment: id = offset + index + 1. */
  createVu(vus: PlanVus, index: number): VirtualUser {
    const vu = this.ctx.createVu(vus.offset + index + 1);
    this.vus.push(vu);
    this.ctx.stats.createdVus++;
    return vu;
  }

  /** Runs one iteration and counts it (started, then completed or interrupted). Never rejects. */
  iterate(vu: VirtualUser, signal: AbortSignal = this.hard.signal): Promise<void> {
    return new Promise((resolve) => this.iterateThen(vu, resolve, signal));
  }

  /** `iterate` with a callback: `done` once the iteration has ended, possibly before `iterateThen` returns. Never throws. */
  iterateThen(vu: VirtualUser, done: () => void, signal: AbortSignal = this.hard.signal): void {
    this.iterationStarted();
    runIterationThen(vu, signal, () => {
      this.iterationEnded(signal);
      done();
    });
  }

  /**
   * The two halves of `iterate`, for a VU loop that runs `runIterationThen` itself: call
   * `iterationStarted` right before it and `iterationEnded` (with the same signal) once it has ended.
   */
  iterationStarted(): void {
    this.ctx.stats.started++;
    this.inflight++;
  }

  iterationEnded(signal: AbortSignal): void {
    this.inflight--;
    if (signal.aborted) this.ctx.stats.interrupted++;
    else this.ctx.stats.completed++;
    if (this.inflight === 0) this.wakeIdle();
  }

  /**
   * Waits until the timeline reaches `atMs` (Infinity: forever), `until` settles, or the run stops
   * starting iterations. Leaves no timer behind.
   */
  async runUntil(atMs: number, until?: Promise<unknown>): Promise<void> {
    const local = new AbortController();
    const stop = () => local.abort();
    const signal = this.stopStarting.signal;
    if (signal.aborted) return;
    signal.addEventListener("abort", stop, { once: true });
    void until?.then(stop, stop);
    await this.timeline.waitUntil(atMs, local.signal);
    local.abort();
    signal.removeEventListener("abort", stop);
  }

  /** Resolves when no iteration is running. */
  idle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * The end of every run: stop starting, give running iterations `gracefulStop` ms, then abort
   * them and wait until they have returned. Closes every VU. Returns the final counters.
   */
  async finish(settled: Promise<unknown> = Promise.resolve()): Promise<ExecutorOutcome> {
    this.stopStarting.abort();
    if (this.inflight > 0 && !this.hard.signal.aborted) {
      const grace = new AbortController();
      const onHard = () => grace.abort();
      this.hard.signal.addEventListener("abort", onHard, { once: true });
      await Promise.race([this.idle(), this.ctx.clock.sleep(this.ctx.scenario.gracefulStop, grace.signal)]);
      grace.abort();
      this.hard.signal.removeEventListener("abort", onHard);
    }
    if (this.inflight > 0) this.hard.abort();
    await this.idle();
    await settled;
    this.unlink();
    for (const vu of this.vus) {
      try {
        vu.close();
      } catch {
        // closing is best effort
      }
    }
    this.ctx.stats.activeVus = 0;
    return { ...this.ctx.stats };
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * Guards a VU loop against starving the event loop: after YIELD_EVERY_ITERATIONS back-to-back
 * iterations that together took under YIELD_EVERY_ITERATIONS × INSTANT_ITERATION_MS (a flow with
 * no I/O), yields one turn. Iterations that take time never yield (so fake-clock runs stay exact).
 * The clock is read once per YIELD_EVERY_ITERATIONS iterations, not per iteration (hot path).
 * `after` is synchronous unless it yields: awaiting nothing would cost a turn per iteration.
 */
export class StarvationGuard {
  private count = 0;
  private windowStart: number;
  constructor(private readonly clock: { now(): number }) {
    this.windowStart = clock.now();
  }

  /** Call after each iteration. A promise only when it yields (then await it); otherwise undefined, costing no turn. */
  after(): Promise<void> | undefined {
    if (++this.count < YIELD_EVERY_ITERATIONS) return undefined;
    this.count = 0;
    const now = this.clock.now();
    const instant = now - this.windowStart < YIELD_EVERY_ITERATIONS * INSTANT_ITERATION_MS;
    this.windowStart = now;
    return instant ? nextTurn() : undefined;
  }
}
