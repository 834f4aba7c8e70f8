// Row selection of data feeds for template scopes (`${data.<feed>.<column>}`).
// `createFeedRows` runs once per VU factory. Rows stay in the feed's compact table
// (config/csv.ts): an iteration builds the record of the one row it uses, and a unique row is
// built once per VU. Per VU, `forVu` gives a selector the VU calls at the
// start of each iteration (on its own task, never concurrently for one VU):
// - sequential: the next row of the shared `FeedCursor`, wrapping;
// - random:     a uniformly random row (`random()` in [0, 1));
// - unique:     row (vuId − 1) mod rows, fixed for the VU's life. When VUs outnumber rows they
//               share rows, and `warn` is called once per feed to say so.
// A feed with no rows yields a row of "" for each column.
import type { DataFeed } from "../../config/plan.ts";
import type { FeedCursor } from "./cursor.ts";

export type Row = Readonly<Record<string, string>>;

export interface FeedRowsOptions {
  cursor: FeedCursor;
  random: () => number;
  warn: (message: string) => void;
}

export interface FeedRows {
  /** A selector for VU `vuId` (1-based). */
  forVu(vuId: number): VuRowSelector;
}

export interface VuRowSelector {
  /** Fills `data[feed]` with this iteration's row of every feed (mutates `data` in place). */
  select(data: Record<string, Record<string, string>>): void;
}

interface PreparedFeed {
  name: string;
  mode: DataFeed["mode"];
  /** Rows available (at least 1: an empty feed yields one row of ""). */
  count: number;
  record(index: number): Row;
  warnedUnique: boolean;
}

function prepare(name: string, feed: DataFeed): PreparedFeed {
  if (feed.rows.length === 0) {
    const empty: Row = Object.freeze(Object.fromEntries(feed.columns.map((column) => [column, ""])));
    return { name, mode: feed.mode, count: 1, record: () => empty, warnedUnique: false };
  }
  return { name, mode: feed.mode, count: feed.rows.length, record: (index) => feed.rows.record(index), warnedUnique: false };
}

export function createFeedRows(feeds: Record<string, DataFeed>, options: FeedRowsOptions): FeedRows {
  const prepared: PreparedFeed[] = Object.entries(feeds).map(([name, feed]) => prepare(name, feed));
  const perIteration = prepared.filter((f) => f.mode !== "unique");

  return {
    forVu(vuId) {
      // Unique rows are fixed per VU: resolve them once here.
      const fixed: Array<[string, Row]> = [];
      for (const feed of prepared) {
        if (feed.mode !== "unique") continue;
        const n = feed.count;
        if (vuId > n && !feed.warnedUnique) {
          feed.warnedUnique = true;
          options.warn(
            `data feed "${feed.name}" (mode unique) has ${n} row(s) but VU ${vuId} started: VUs beyond ${n} reuse rows`,
          );
        }
        fixed.push([feed.name, feed.record((((vuId - 1) % n) + n) % n)]);
      }
      return {
        select(data) {
          for (const [name, row] of fixed) data[name] = row as Record<string, string>;
          for (const feed of perIteration) {
            const n = feed.count;
            const index =
              feed.mode === "sequential"
                ? options.cursor.next(feed.name, n)
                : Math.min(n - 1, Math.floor(options.random() * n));
            data[feed.name] = feed.record(index) as Record<string, string>;
          }
        },
      };
    },
  };
}
