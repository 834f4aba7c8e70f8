// Closed-model VU loops for the VU-based executors: slot k (0-based, VU id offset + k + 1) loops
// iterations while k < target. Lowering the target lets a slot finish its current iteration;
// with a ramp-down grace, an iteration still running after it is aborted (k6 gracefulRampDown).
// Raising it again reuses the slot (never more than `max` VUs). Single-threaded.
import type { VirtualUser } from "../vu.ts";
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

  private async loop(k: number, slot: Slot): Promise<void> {
    const { ctx, stopStarting } = this.run;
    ctx.stats.activeVus++;
    try {
      const guard = new StarvationGuard(ctx.clock);
      while (k < this.target && !stopStarting.signal.aborted) {
        if (ctx.pause.paused) {
          await ctx.pause.resumed(stopStarting.signal);
          continue;
        }
        if (this.options.claim && !this.options.claim(k)) break;
        // A ramp-down abort that hit the previous iteration must not hit this one.
        if (slot.controller.signal.aborted && !this.run.hard.signal.aborted) slot.controller = new AbortController();
        // ExecutorRun.iterate, inlined: the hot path awaits runIteration's own promise only.
        const signal = slot.controller.signal;
        this.run.iterationStarted();
        try {
          await slot.vu.runIteration(signal);
        } catch {
          // runIteration never rejects by contract; a bug there must not end the loop.
        }
        this.run.iterationEnded(signal);
        const yielding = guard.after();
        if (yielding !== undefined) await yielding;
      }
    } finally {
      ctx.stats.activeVus--;
    }
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
