import { describe, expect, test } from "bun:test";
import { decideOutcome, exitCodeOf } from "../../../src/core/run/outcome.ts";

describe("run outcomes and exit codes (k6's)", () => {
  test("each outcome has its code", () => {
    expect(exitCodeOf("finished")).toBe(0);
    expect(exitCodeOf("thresholds-failed")).toBe(99);
    expect(exitCodeOf("aborted-by-threshold")).toBe(99);
    expect(exitCodeOf("interrupted")).toBe(105);
    expect(exitCodeOf("failed")).toBe(1);
    expect(exitCodeOf("invalid-config")).toBe(104);
    expect(exitCodeOf({ kind: "interrupted", reason: "Ctrl-C" })).toBe(105);
  });

  test("precedence: failed > interrupted > aborted by threshold > thresholds failed > finished", () => {
    const all = { failed: "worker 1 crashed", interrupted: "Ctrl-C", abortedByThreshold: "checks: rate>0.99", thresholdsOk: false };
    expect(decideOutcome(all)).toEqual({ kind: "failed", reason: "worker 1 crashed" });
    const { failed: _f, ...noFailure } = all;
    expect(decideOutcome(noFailure)).toEqual({ kind: "interrupted", reason: "Ctrl-C" });
    const { interrupted: _i, ...notInterrupted } = noFailure;
    expect(decideOutcome(notInterrupted)).toEqual({ kind: "aborted-by-threshold", reason: "checks: rate>0.99" });
    expect(decideOutcome({ thresholdsOk: false })).toEqual({ kind: "thresholds-failed" });
    expect(decideOutcome({ thresholdsOk: true })).toEqual({ kind: "finished" });
  });
});
