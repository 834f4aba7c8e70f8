// The per-thread deadline queue with hand-driven time: deadlines fire at their time and not before,
// cancelled ones never, and the one timer is re-armed only when the earliest deadline moves earlier
// or when it fires — not per deadline (the point of replacing one setTimeout per request).
import { describe, expect, test } from "bun:test";
import { DeadlineNode, DeadlineQueue, type DeadlineTimers } from "../../../src/protocols/http1/deadline-queue.ts";

/** Fake timers: one pending callback at most (the queue keeps one timer), fired by `advance`. */
function fakeTimers() {
  let now = 1000;
  let pending: { at: number; callback: () => void } | undefined;
  let armed = 0;
  const timers: DeadlineTimers = {
    now: () => now,
    set(callback, delayMs) {
      armed++;
      pending = { at: now + delayMs, callback };
      return pending;
    },
    clear(handle) {
      if (pending === handle) pending = undefined;
    },
  };
  return {
    timers,
    get armed() {
      return armed;
    },
    get pendingAt() {
      return pending?.at;
    },
    /** Moves time to `to`, firing the timer whenever it is due (possibly several times). */
    advance(to: number) {
      for (let guard = 0; guard < 1000 && pending !== undefined && pending.at <= to; guard++) {
        const p: { at: number; callback: () => void } = pending;
        now = Math.max(now, p.at);
        pending = undefined;
        p.callback();
      }
      now = to;
    },
  };
}

function owner(log: string[], name: string) {
  return { onDeadline: () => log.push(name) };
}

describe("DeadlineQueue", () => {
  test("a deadline fires at its time, not before", () => {
    const t = fakeTimers();
    const queue = new DeadlineQueue(t.timers);
    const log: string[] = [];
    const node = new DeadlineNode(owner(log, "a"));
    queue.schedule(node, 1150, 150);
    t.advance(1149);
    expect(log).toEqual([]);
    t.advance(1150);
    expect(log).toEqual(["a"]);
    expect(node.scheduled).toBe(false);
    expect(queue.size).toBe(0);
  });

  test("a cancelled deadline never fires; the timer stays armed and fires for nothing", () => {
    const t = fakeTimers();
    const queue = new DeadlineQueue(t.timers);
    const log: string[] = [];
    const node = new DeadlineNode(owner(log, "a"));
    queue.schedule(node, 1100, 100);
    queue.cancel(node);
    expect(t.pendingAt).toBe(1100);
    t.advance(5000);
    expect(log).toEqual([]);
    expect(t.pendingAt).toBeUndefined();
  });

  test("many requests of one timeout arm the timer once per timeout period, not per request", () => {
    const t = fakeTimers();
    const queue = new DeadlineQueue(t.timers);
    const log: string[] = [];
    const nodes = Array.from({ length: 64 }, (_, i) => new DeadlineNode(owner(log, `vu${i}`)));
    // 64 VUs, 10,000 requests of 1 ms each over 10 s, timeout 60 s: every deadline is cancelled.
    let now = 1000;
    for (let i = 0; i < 10_000; i++) {
      const node = nodes[i % 64]!;
      queue.schedule(node, now + 60_000, 60_000);
      if (i % 64 === 63) {
        now += 1;
        t.advance(now);
      }
      queue.cancel(node);
    }
    expect(t.armed).toBe(1);
    expect(log).toEqual([]);
  });

  test("after a cancelled head fires, the timer re-arms for the earliest live deadline", () => {
    const t = fakeTimers();
    const queue = new DeadlineQueue(t.timers);
    const log: string[] = [];
    const first = new DeadlineNode(owner(log, "first"));
    const second = new DeadlineNode(owner(log, "second"));
    queue.schedule(first, 1100, 100);
    queue.schedule(second, 1150, 100);
    queue.cancel(first);
    t.advance(1100);
    expect(log).toEqual([]);
    expect(t.pendingAt).toBe(1150);
    t.advance(1150);
    expect(log).toEqual(["second"]);
  });

  test("an earlier deadline in another lane re-arms the timer; lanes keep deadline order", () => {
    const t = fakeTimers();
    const queue = new DeadlineQueue(t.timers);
    const log: string[] = [];
    const slow = new DeadlineNode(owner(log, "slow"));
    const fast = new DeadlineNode(owner(log, "fast"));
    queue.schedule(slow, 61_000, 60_000);
    expect(t.pendingAt).toBe(61_000);
    queue.schedule(fast, 1200, 200);
    expect(t.pendingAt).toBe(1200);
    t.advance(61_000);
    expect(log).toEqual(["fast", "slow"]);
  });

  test("a deadline earlier than the lane's tail (a redirect hop) is placed in order", () => {
    const t = fakeTimers();
    const queue = new DeadlineQueue(t.timers);
    const log: string[] = [];
    const names = ["c", "a", "d", "b"];
    const at: Record<string, number> = { a: 1100, b: 1200, c: 1300, d: 1400 };
    for (const name of names) queue.schedule(new DeadlineNode(owner(log, name)), at[name]!, 500);
    t.advance(1250);
    expect(log).toEqual(["a", "b"]);
    t.advance(2000);
    expect(log).toEqual(["a", "b", "c", "d"]);
  });

  test("equal deadlines fire in the order they were scheduled; rescheduling moves a node", () => {
    const t = fakeTimers();
    const queue = new DeadlineQueue(t.timers);
    const log: string[] = [];
    const a = new DeadlineNode(owner(log, "a"));
    const b = new DeadlineNode(owner(log, "b"));
    queue.schedule(a, 1100, 100);
    queue.schedule(b, 1100, 100);
    queue.schedule(a, 1300, 100);
    expect(queue.size).toBe(2);
    t.advance(1200);
    expect(log).toEqual(["b"]);
    t.advance(1300);
    expect(log).toEqual(["b", "a"]);
  });

  test("an owner may schedule again from onDeadline", () => {
    const t = fakeTimers();
    const queue = new DeadlineQueue(t.timers);
    let fired = 0;
    const node: DeadlineNode = new DeadlineNode({
      onDeadline() {
        fired++;
        if (fired < 3) queue.schedule(node, t.timers.now() + 100, 100);
      },
    });
    queue.schedule(node, 1100, 100);
    t.advance(2000);
    expect(fired).toBe(3);
    expect(queue.size).toBe(0);
  });
});
