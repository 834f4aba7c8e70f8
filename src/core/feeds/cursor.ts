// The shared position of `sequential` data feeds: every iteration of every VU that shares a
// cursor takes the next row, wrapping at the end. One cursor per VU factory by default (all VUs
// of a worker thread); `createSharedFeedCursor` spans worker threads through a SharedArrayBuffer.
// Across agents there is no shared cursor: each process walks the rows on its own.

export interface FeedCursor {
  /** The next row index of `feed` in [0, rowCount); called once per iteration per feed. */
  next(feed: string, rowCount: number): number;
}

/** A cursor local to this thread. */
export function createFeedCursor(): FeedCursor {
  const positions = new Map<string, number>();
  return {
    next(feed, rowCount) {
      if (rowCount <= 0) return 0;
      const at = positions.get(feed) ?? 0;
      positions.set(feed, at + 1);
      return at % rowCount;
    },
  };
}

/** Bytes a shared cursor needs for `feedCount` feeds. */
export function sharedFeedCursorBytes(feedCount: number): number {
  return Math.max(1, feedCount) * Int32Array.BYTES_PER_ELEMENT;
}

/**
 * A cursor over a SharedArrayBuffer (of `sharedFeedCursorBytes(feedNames.length)` bytes, zeroed),
 * so the worker threads of one process walk one sequence. Every thread must pass the same
 * `feedNames` in the same order. Lock-free: `Atomics.add` per call.
 */
export function createSharedFeedCursor(buffer: SharedArrayBuffer, feedNames: readonly string[]): FeedCursor {
  const counters = new Int32Array(buffer);
  const slots = new Map(feedNames.map((name, i) => [name, i]));
  const fallback = createFeedCursor();
  return {
    next(feed, rowCount) {
      if (rowCount <= 0) return 0;
      const slot = slots.get(feed);
      if (slot === undefined || slot >= counters.length) return fallback.next(feed, rowCount);
      // The counter wraps at 2^31; `>>> 0` keeps the index non-negative across the wrap.
      return (Atomics.add(counters, slot, 1) >>> 0) % rowCount;
    },
  };
}
