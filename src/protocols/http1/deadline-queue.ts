// The request deadlines of one thread, checked by one timer. It does the job of one
// setTimeout/clearTimeout pair per request (what connection.ts used to arm), at a fraction of the
// cost: scheduling and cancelling are a few pointer writes on the connection's own node, and the
// timer is re-armed only when the earliest deadline moves earlier, or when it fires.
//
// Shape: deadlines are kept in lanes, one per timeout length. Deadlines of one length arrive almost
// in time order (start + the same timeout), so a lane is a doubly linked list sorted by deadline
// where an insertion walks back from the tail, nearly always zero steps. The timer is armed for the
// earliest head; a cancelled head leaves the timer armed (it fires early for nothing, then re-arms
// for the new earliest head) — with 64 VUs and a 60 s timeout that is one wake-up a minute.
//
// Semantics kept from setTimeout: a deadline fires no earlier than its time (performance.now()),
// and about 1 ms later at most on an idle loop; `onDeadline` runs from the timer callback, one node
// at a time, each one already removed (it may schedule again). The timer is unref'd: whatever has
// a deadline also holds a socket or a DNS lookup, which keep the process alive on their own.
// One queue per thread (`deadlineQueue` is module state, and each worker thread has its own); not
// safe across threads. Callers: connection.ts (exchange deadlines).

/** What the queue calls when a deadline passes. */
export interface DeadlineOwner {
  onDeadline(): void;
}

/** A connection's place in the queue: allocated once per connection, reused by every exchange. */
export class DeadlineNode {
  /** performance.now() ms at which `owner.onDeadline()` runs; meaningful while scheduled. */
  at = 0;
  prev: DeadlineNode | undefined = undefined;
  next: DeadlineNode | undefined = undefined;
  lane: Lane | undefined = undefined;

  constructor(readonly owner: DeadlineOwner) {}

  get scheduled(): boolean {
    return this.lane !== undefined;
  }
}

interface Lane {
  readonly key: number;
  head: DeadlineNode | undefined;
  tail: DeadlineNode | undefined;
}

/** The timer functions the queue uses (injectable so tests drive time by hand). */
export interface DeadlineTimers {
  now(): number;
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: DeadlineTimers = {
  now: () => performance.now(),
  set(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return timer;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class DeadlineQueue {
  private readonly lanes = new Map<number, Lane>();
  private timer: unknown = undefined;
  /** When the armed timer fires; Infinity when none is armed. */
  private armedAt = Number.POSITIVE_INFINITY;
  private readonly fireBound = () => this.fire();

  constructor(private readonly timers: DeadlineTimers = realTimers) {}

  /**
   * Schedules `node` at `at` in the lane `laneKey` (the timeout length: deadlines of one lane
   * arrive nearly in order). A node already scheduled is moved. Never calls `onDeadline` itself,
   * even for a time in the past: the timer does, on a later turn.
   */
  schedule(node: DeadlineNode, at: number, laneKey: number): void {
    if (node.lane !== undefined) this.cancel(node);
    let lane = this.lanes.get(laneKey);
    if (lane === undefined) {
      lane = { key: laneKey, head: undefined, tail: undefined };
      this.lanes.set(laneKey, lane);
    }
    node.at = at;
    node.lane = lane;
    // Walk back past later deadlines (none, unless deadlines of this lane arrive out of order).
    let after = lane.tail;
    while (after !== undefined && after.at > at) after = after.prev;
    node.prev = after;
    node.next = after === undefined ? lane.head : after.next;
    if (node.next === undefined) lane.tail = node;
    else node.next.prev = node;
    if (after === undefined) lane.head = node;
    else after.next = node;
    if (at < this.armedAt) this.arm(at);
  }

  /** Removes `node` if scheduled; its deadline will not fire. O(1); the timer stays as it is. */
  cancel(node: DeadlineNode): void {
    const lane = node.lane;
    if (lane === undefined) return;
    if (node.prev === undefined) lane.head = node.next;
    else node.prev.next = node.next;
    if (node.next === undefined) lane.tail = node.prev;
    else node.next.prev = node.prev;
    node.prev = node.next = node.lane = undefined;
    if (lane.head === undefined) this.lanes.delete(lane.key);
  }

  /** Deadlines scheduled now (for tests and diagnostics). */
  get size(): number {
    let n = 0;
    for (const lane of this.lanes.values()) for (let node = lane.head; node !== undefined; node = node.next) n++;
    return n;
  }

  private arm(at: number): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.armedAt = at;
    const delay = at - this.timers.now();
    this.timer = this.timers.set(this.fireBound, delay > 0 ? delay : 0);
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = this.timers.now();
    // Bounded: each step removes a node; owners scheduling again land after `now` or fire next time.
    for (const lane of [...this.lanes.values()]) {
      for (let node = lane.head; node !== undefined && node.at <= now; node = lane.head) {
        this.cancel(node);
        node.owner.onDeadline();
        if (node.lane === lane && node.at <= now) break; // rescheduled into the past: next turn
      }
    }
    let earliest = Number.POSITIVE_INFINITY;
    for (const lane of this.lanes.values()) if (lane.head !== undefined && lane.head.at < earliest) earliest = lane.head.at;
    if (earliest !== Number.POSITIVE_INFINITY && earliest < this.armedAt) this.arm(earliest);
  }
}

/** This thread's queue (module state: each worker thread loads its own copy of this module). */
export const deadlineQueue = new DeadlineQueue();
