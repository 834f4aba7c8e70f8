import { describe, expect, test } from "bun:test";
import { createFeedCursor, createSharedFeedCursor, sharedFeedCursorBytes } from "../../../src/core/feeds/cursor.ts";
import { createFeedRows } from "../../../src/core/feeds/rows.ts";
import { feed } from "../flow/fakes.ts";

const users = [["u1", "p1"], ["u2", "p2"], ["u3", "p3"]];
type Data = Record<string, Record<string, string>>;

function rowsFor(mode: "sequential" | "random" | "unique", random = Math.random) {
  const warnings: string[] = [];
  const rows = createFeedRows({ users: feed("users", mode, ["user", "password"], users) }, {
    cursor: createFeedCursor(),
    random,
    warn: (m) => warnings.push(m),
  });
  return { rows, warnings };
}

describe("data feed rows", () => {
  test("sequential: one shared cursor across VUs, wrapping", () => {
    const { rows } = rowsFor("sequential");
    const a = rows.forVu(1);
    const b = rows.forVu(2);
    const seen: string[] = [];
    for (const vu of [a, b, a, b, a]) {
      const data: Data = {};
      vu.select(data);
      seen.push(data.users!.user!);
    }
    expect(seen).toEqual(["u1", "u2", "u3", "u1", "u2"]);
  });

  test("unique: row (vu - 1) mod rows, fixed per VU, one warning when VUs exceed rows", () => {
    const { rows, warnings } = rowsFor("unique");
    const pick = (vu: number) => {
      const selector = rows.forVu(vu);
      const data: Data = {};
      selector.select(data);
      const first = data.users!.user;
      selector.select(data);
      expect(data.users!.user).toBe(first!); // fixed across iterations
      return first;
    };
    expect([1, 2, 3].map(pick)).toEqual(["u1", "u2", "u3"]);
    expect(warnings).toEqual([]);
    expect([4, 5, 7].map(pick)).toEqual(["u1", "u2", "u1"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"users"');
  });

  test("random: uniform index from random(), always within range", () => {
    const values = [0, 0.34, 0.67, 0.999999, 1 - Number.EPSILON];
    let i = 0;
    const { rows } = rowsFor("random", () => values[i++]!);
    const vu = rows.forVu(1);
    const seen = values.map(() => {
      const data: Data = {};
      vu.select(data);
      return data.users!.user;
    });
    expect(seen).toEqual(["u1", "u2", "u3", "u3", "u3"]);
    const real = rowsFor("random").rows.forVu(1);
    const counts = new Map<string, number>();
    for (let n = 0; n < 300; n++) {
      const data: Data = {};
      real.select(data);
      counts.set(data.users!.user!, (counts.get(data.users!.user!) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["u1", "u2", "u3"]);
  });

  test("an empty feed gives each column as an empty string, in every mode", () => {
    for (const mode of ["sequential", "random", "unique"] as const) {
      const rows = createFeedRows({ f: feed("f", mode, ["a", "b"], []) }, { cursor: createFeedCursor(), random: () => 0.5, warn: () => {} });
      const data: Data = {};
      rows.forVu(1).select(data);
      expect(data.f).toEqual({ a: "", b: "" });
    }
  });
});

describe("feed cursors", () => {
  test("local cursor: per feed, wrapping", () => {
    const c = createFeedCursor();
    expect([c.next("a", 2), c.next("a", 2), c.next("a", 2), c.next("b", 2)]).toEqual([0, 1, 0, 0]);
  });

  test("shared cursor: two cursors over one buffer walk one sequence", () => {
    const buffer = new SharedArrayBuffer(sharedFeedCursorBytes(2));
    const x = createSharedFeedCursor(buffer, ["a", "b"]);
    const y = createSharedFeedCursor(buffer, ["a", "b"]);
    expect([x.next("a", 3), y.next("a", 3), x.next("a", 3), y.next("a", 3), y.next("b", 3)]).toEqual([0, 1, 2, 0, 0]);
  });
});
