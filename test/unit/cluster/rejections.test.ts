// The throttled log of refused input (src/cluster/controller/rejections.ts): the first refusals
// of a source in full, then one line per window with the count; sources apart; lines cut.
import { expect, test } from "bun:test";
import { hostOf, RejectionLog } from "../../../src/cluster/controller/rejections.ts";

test("a flood from one source logs its first five refusals, then one line per 10 s with the count", () => {
  const lines: string[] = [];
  let now = 0;
  const log = new RejectionLog((l) => lines.push(l), () => now);
  for (let i = 1; i <= 1_000; i++) {
    log.note("agent a (a)", `refusal ${i}`);
    now += 20; // 1,000 refusals over 20 s
  }
  log.note("agent b (b)", "another source");
  expect(lines.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map((i) => `agent a (a): refusal ${i}`));
  const summaries = lines.filter((l) => l.startsWith("agent a (a): ") && l.includes("more refused"));
  expect(summaries).toHaveLength(1);
  expect(summaries[0]).toBe("agent a (a): 500 more refused in the last 10s; the last: refusal 505");
  expect(lines.at(-1)).toBe("agent b (b): another source");
  expect(lines.length).toBe(7);
});

test("a long reason is cut; hosts share a throttle, ports apart", () => {
  const lines: string[] = [];
  new RejectionLog((l) => lines.push(l)).note("s", "x".repeat(10_000));
  expect(lines[0]!.length).toBeLessThan(600);
  expect(hostOf("10.0.0.5:4711")).toBe("10.0.0.5");
  expect(hostOf("[::1]:4711")).toBe("[::1]");
});
