import { expect, test } from "bun:test";
import { RECONNECT_BASE_MS, RECONNECT_MAX_MS, backoffDelay } from "../../../src/cluster/backoff.ts";

test("backoff doubles, is jittered into [half, full) of the ceiling, and is capped", () => {
  expect(backoffDelay(0, 0)).toBe(RECONNECT_BASE_MS / 2);
  expect(backoffDelay(0, 1)).toBe(RECONNECT_BASE_MS);
  expect(backoffDelay(3, 0)).toBe((RECONNECT_BASE_MS * 8) / 2);
  expect(backoffDelay(50, 0.999)).toBeLessThanOrEqual(RECONNECT_MAX_MS);
  expect(backoffDelay(50, 0)).toBe(RECONNECT_MAX_MS / 2);
  expect(backoffDelay(-3, 0)).toBe(RECONNECT_BASE_MS / 2);
  const samples = new Set(Array.from({ length: 20 }, () => backoffDelay(4)));
  expect(samples.size).toBeGreaterThan(1);
});
