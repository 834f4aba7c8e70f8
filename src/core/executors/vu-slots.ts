// Closed-model VU loops for the VU-based executors: slot k (0-based, VU id offset + k + 1) loops
// iterations while k < target. Lowering the target lets a slot finish its current iteration;
// with a ramp-down grace, an iteration still running after it is aborted (k6 gracefulRampDown).
// Raising it again reuses the slot (never more than `max` VUs). Single-threaded.
import { runIterationThen, type VirtualUser } from "../vu.ts";
import type { PlanVus } from "./types.ts";
import type { ExecutorRun } from "./lifecycle.ts";
import { StarvationGuard } from "./lifecycle.ts";

interface Slot {
  vu: VirtualUser;
  /** Aborts this slot's iteration (ramp-down grace over, or hard stop). */
  controller: AbortController;
  loop: Promise<void> | null;
  /** Cancels a pending ramp-down abort. */
  rampDown: AbortController | null;
}

export interface VuSlotsOptions {
  /** ms a slot ramped down may keep running its iteration; null: until it ends (or the hard stop). */
  rampDownMs: number | null;
  /** Asked before each iteration of slot k; false ends the slot's loop (iteration budgets). */
  claim?: (k: number) => boolean;
}

export class VuSlots {
  private target = 0;
  private readonly slots: Slot[] = [];
  private readonly loops = new Set<Promise<void>>();

  constructor(
    private readonly run: ExecutorRun,
    private readonly vus: PlanVus,
    private readonly options: VuSlotsOptions,
  ) {
    for (let k = 0; k < vus.initial; k++) this.slot(k);
  }

  /** Sets how many slots loop (clamped to [0, max]). */
  setTarget(count: number): void {
    const next = Math.max(0, Math.min(this.vus.max, Math.floor(count)));
    const previous = this.target;
    this.target = next;
    for (let k = 0; k < next; k++) {
      const slot = this.slot(k);
      this.cancelRampDown(slot);
      if (!slot.loop && !this.run.stopStarting.signal.aborted) this.startLoop(k, slot);
    }
    if (this.options.rampDownMs === null) return;
    for (let k = next; k < previous; k++) {
      const slot = this.slots[k];
      if (slot?.loop && !slot.rampDown) this.scheduleRampDown(slot, this.options.rampDownMs);
    }
  }

  /** Resolves when every loop has ended (after the stop, or when every claim said no). */
  async ended(): Promise<void> {
    while (this.loops.size > 0) await Promise.all([...this.loops]);
  }

  private slot(k: number): Slot {
    let slot = this.slots[k];
    if (!slot) {
      const created: Slot = { vu: this.run.createVu(this.vus, k), controller: new AbortController(), loop: null, rampDown: null };
      this.run.hard.signal.addEventListener("abort", () => created.controller.abort(), { once: true });
      if (this.run.hard.signal.aborted) created.controller.abort();
      this.slots[k] = slot = created;
    }
    return slot;
  }

  private startLoop(k: number, slot: Slot): void {
    const loop = this.loop(k, slot);
    slot.loop = loop;
    this.loops.add(loop);
    void loop.then(() => {
      this.loops.delete(loop);
      slot.loop = null;
      this.cancelRampDown(slot);
      // Raised again while this loop was on its way out.
      if (k < this.target && !this.run.stopStarting.signal.aborted && !this.options.claim) this.startLoop(k, slot);
    });
  }

  /**
   * Slot k's loop: iterations while k < target and the run starts iterations; resolves when it
   * ends. Driven by callbacks (`runIterationThen`), not awaits: an iteration's end starts the next
   * one in the same turn, with no promise per iteration. An iteration that ends before
   * `runIterationThen` returns is picked up by the `next` loop, not by a nested call, so the
   * stack stays flat; every YIELD_EVERY_ITERATIONS instant iterations the loop yields a turn.
   */
  private loop(k: number, slot: Slot): Promise<void> {
    return new Promise((resolve) => {
      const { ctx } = this.run;
      const stop = this.run.stopStarting.signal;
      const hard = this.run.hard.signal;
      const claim = this.options.claim;
      const guard = new StarvationGuard(ctx.clock);
      let signal = slot.controller.signal;
      let inside = false;
      let endedInside = false;
      /** Counts the iteration that ended; false when the loop yields a turn before the next one. */
      const counted = (): boolean => {
        this.run.iterationEnded(signal);
        const yielding = guard.after();
        if (yielding === undefined) return true;
        void yielding.then(next);
        return false;
      };
      const ended = (): void => {
        if (inside) endedInside = true;
        else if (counted()) next();
      };
      const next = (): void => {
        while (k < this.target && !stop.aborted) {
          if (ctx.pause.paused) return void ctx.pause.resumed(stop).then(next);
          if (claim && !claim(k)) break;
          // A ramp-down abort that hit the previous iteration must not hit this one.
          if (signal.aborted && !hard.aborted) {
            slot.controller = new AbortController();
            signal = slot.controller.signal;
          }
          this.run.iterationStarted();
          inside = true;
          endedInside = false;
          runIterationThen(slot.vu, signal, ended);
          inside = false;
          if (!endedInside || !counted()) return;
        }
        ctx.stats.activeVus--;
        resolve();
      };
      ctx.stats.activeVus++;
      next();
    });
  }

  private scheduleRampDown(slot: Slot, ms: number): void {
    const cancel = new AbortController();
    slot.rampDown = cancel;
    const controller = slot.controller;
    void this.run.ctx.clock.sleep(ms, cancel.signal).then(() => {
      if (cancel.signal.aborted) return;
      slot.rampDown = null;
      controller.abort();
    });
  }

  private cancelRampDown(slot: Slot): void {
    slot.rampDown?.abort();
    slot.rampDown = null;
  }
}
