// What the in-process rungs share: the request budget (an exact count or a deadline), the
// per-request latency store of the bare rungs, and the two drivers: one async loop per connection
// (bare-async), or one callback chain per connection (the loadr rungs, shaped as the engine's VU
// loops are). Everything here runs on the rung child's only thread; nothing blocks.
import type { RungBudget } from "./rungs.ts";

/** Latency slots of the bare rungs' store (a ring: the store costs the same at any run length). */
const SAMPLE_SLOTS = 1 << 20;

/** Hands out request starts: exactly `requests` of them, or as many as start before the deadline. */
export class Budget {
  private left: number;
  private readonly deadline: number;

  constructor(budget: RungBudget) {
    this.left = "requests" in budget ? budget.requests : Number.POSITIVE_INFINITY;
    this.deadline = "durationMs" in budget ? performance.now() + budget.durationMs : Number.POSITIVE_INFINITY;
  }

  /** True when one more request may start; called once per request, before it starts. */
  take(): boolean {
    if (this.left <= 0) return false;
    if (this.deadline !== Number.POSITIVE_INFINITY && performance.now() >= this.deadline) return false;
    this.left--;
    return true;
  }
}

/** The bare loop's "one Float64Array store per request". */
export class Samples {
  private readonly values = new Float64Array(SAMPLE_SLOTS);
  private count = 0;

  push(ms: number): void {
    this.values[this.count++ & (SAMPLE_SLOTS - 1)] = ms;
  }
}

export interface LoopTally {
  requests: number;
  errors: number;
  loadSec: number;
}

/**
 * Runs `connections` concurrent loops until `budget` runs out. Each iteration awaits exactly the
 * one promise `send(vu)` returns (no wrapper of its own, so a rung pays only for the promises of
 * the layer it measures), then `ok(vu, result)` says whether it was answered 200 (and may replace
 * a closed connection). Resolves when every loop has finished its last request.
 */
export async function driveLoops<T>(
  connections: number,
  budget: Budget,
  send: (vu: number) => Promise<T>,
  ok: (vu: number, result: T) => boolean,
): Promise<LoopTally> {
  const tally: LoopTally = { requests: 0, errors: 0, loadSec: 0 };
  const started = performance.now();
  const loop = async (vu: number): Promise<void> => {
    while (budget.take()) {
      const result = await send(vu);
      tally.requests++;
      if (!ok(vu, result)) tally.errors++;
    }
  };
  const loops: Promise<void>[] = [];
  for (let vu = 0; vu < connections; vu++) loops.push(loop(vu));
  await Promise.all(loops);
  tally.loadSec = (performance.now() - started) / 1000;
  return tally;
}

/**
 * Runs `connections` concurrent callback chains until `budget` runs out, as the engine's VU loops
 * do (src/core/executors/vu-slots.ts): `send(vu, done)` calls `done(result)` once, and the next
 * request starts from there, with no promise per request. A result that comes back before `send`
 * returns is taken by the chain's loop, not by a nested call. `ok` is as in `driveLoops`.
 */
export function driveCallbacks<T>(
  connections: number,
  budget: Budget,
  send: (vu: number, done: (result: T) => void) => void,
  ok: (vu: number, result: T) => boolean,
): Promise<LoopTally> {
  const tally: LoopTally = { requests: 0, errors: 0, loadSec: 0 };
  const started = performance.now();
  return new Promise((resolve) => {
    let running = connections;
    const chain = (vu: number): void => {
      let inside = false;
      let early = false;
      const count = (result: T): void => {
        tally.requests++;
        if (!ok(vu, result)) tally.errors++;
      };
      const done = (result: T): void => {
        count(result);
        if (inside) early = true;
        else next();
      };
      const next = (): void => {
        while (budget.take()) {
          inside = true;
          early = false;
          send(vu, done);
          inside = false;
          if (!early) return;
        }
        if (--running === 0) {
          tally.loadSec = (performance.now() - started) / 1000;
          resolve(tally);
        }
      };
      next();
    };
    if (connections <= 0) return resolve(tally);
    for (let vu = 0; vu < connections; vu++) chain(vu);
  });
}
