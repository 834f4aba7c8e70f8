// The cost ladder, short, in CI: every rung runs for real (its own child process; the `binary` rung
// is dist/loadr-<os>-<arch>, which `npm test` builds first) for a bounded number of requests against
// a loopback responder that counts what it served. Correctness only — never a timing: each rung
// completed exactly its requests, the target counted exactly those, and the report has every rung
// with finite figures. Plus the report's arithmetic on hand-made samples.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Target } from "../lib/nginx.ts";
import { resolveLoadr } from "../lib/tools/loadr.ts";
import { ladderRound, measureRung } from "../ladder/ladder.ts";
import { startLoopbackTarget } from "../ladder/loopback-target.ts";
import { LADDER_HEAD, costliestLayer, ladderBody, ladderRows, perRequest, textTable, type LadderSample } from "../ladder/report.ts";
import { RUNGS } from "../ladder/rungs.ts";

const REQUESTS = 2000;
const CONNECTIONS = 16;

describe("cost ladder, every rung end to end", () => {
  let target: Target;
  let dir: string;
  beforeAll(() => {
    target = startLoopbackTarget();
    dir = mkdtempSync(join(tmpdir(), "loadr-ladder-test-"));
  });
  afterAll(async () => {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test(
    "each rung completes its requests, the target served exactly those, the report has finite CPU figures",
    async () => {
      const loadr = resolveLoadr("auto");
      if ("error" in loadr) throw new Error(loadr.error);
      const before = await target.counter();
      const samples = await ladderRound({ target, connections: CONNECTIONS, budget: { requests: REQUESTS }, rungs: RUNGS, dir, loadr }, 1);
      const served = target.served(before, await target.counter());

      expect(samples.map((s) => s.rung).sort()).toEqual([...RUNGS].sort());
      for (const s of samples) {
        expect({ rung: s.rung, ok: s.ok, error: s.error }).toEqual({ rung: s.rung, ok: true, error: undefined });
        expect({ rung: s.rung, requests: s.requests, target: s.targetCount, errors: s.errors, fixed: s.fixedRequests }).toEqual({
          rung: s.rung,
          requests: REQUESTS,
          target: REQUESTS,
          errors: 0,
          fixed: CONNECTIONS,
        });
      }
      // The responder's own total: every full run and every fixed-cost run, nothing else.
      expect(served).toBe(RUNGS.length * (REQUESTS + CONNECTIONS));

      const rows = ladderRows(samples, RUNGS);
      expect(rows.map((r) => r.rung)).toEqual([...RUNGS]);
      for (const r of rows) {
        for (const figure of [r.cpuUs, r.userUs, r.sysUs, r.rps, r.cpuVsBase, r.rpsVsBase, r.overBaseUs]) {
          expect(figure).not.toBeNull();
          expect(Number.isFinite(figure!.median)).toBe(true);
        }
      }
      const table = textTable(LADDER_HEAD, ladderBody(rows));
      for (const rung of RUNGS) expect(table).toContain(rung);
    },
    180_000,
  );

  test("a rung whose count disagrees with the target's is a failed sample naming both counts", async () => {
    const lying: Target = { ...target, served: (before, after) => after - before + 1 };
    const sample = await measureRung({ target: lying, connections: 4, budget: { requests: 200 }, rungs: ["bare"], dir }, "bare", 1);
    expect(sample.ok).toBe(false);
    expect(sample.error).toContain("counted 4 requests but the target served 5");
  });
});

describe("ladder report arithmetic", () => {
  const sample = (rung: string, round: number, requests: number, userSec: number, sysSec: number): LadderSample => ({
    rung,
    round,
    ok: true,
    requests,
    errors: 0,
    loadSec: requests / 100_000,
    userSec,
    sysSec,
    fixedRequests: 100,
    fixedUserSec: 0.05,
    fixedSysSec: 0.01,
    targetCount: requests,
  });

  test("per request: CPU beyond the fixed cost over the requests beyond it, user and system apart", () => {
    const p = perRequest(sample("bare", 1, 1_000_100, 0.05 + 2.5, 0.01 + 6.5))!;
    expect(p.userUs).toBeCloseTo(2.5, 9);
    expect(p.sysUs).toBeCloseTo(6.5, 9);
    expect(p.cpuUs).toBeCloseTo(9, 9);
    expect(p.rps).toBeCloseTo(100_000, 6);
    expect(perRequest({ ...sample("bare", 1, 100, 1, 1), requests: 100 })).toBeNull();
    expect(perRequest({ ...sample("bare", 1, 1000, 1, 1), ok: false })).toBeNull();
  });

  test("ratios and deltas are taken within each round, then spread; the costliest layer is named", () => {
    const samples = [
      // round 1: bare 9 µs, session 15 µs, local-run 25 µs; round 2 all 10% dearer.
      sample("bare", 1, 1_000_100, 0.05 + 3, 0.01 + 6),
      sample("session", 1, 1_000_100, 0.05 + 8, 0.01 + 7),
      sample("local-run", 1, 1_000_100, 0.05 + 17, 0.01 + 8),
      sample("bare", 2, 1_000_100, 0.05 + 3.3, 0.01 + 6.6),
      sample("session", 2, 1_000_100, 0.05 + 8.8, 0.01 + 7.7),
      sample("local-run", 2, 1_000_100, 0.05 + 18.7, 0.01 + 8.8),
    ];
    const rows = ladderRows(samples, RUNGS);
    expect(rows.map((r) => r.rung)).toEqual(["bare", "session", "local-run"]);
    const [bare, session, local] = rows;
    expect(bare!.deltaUs).toBeNull();
    expect(bare!.cpuVsBase!.median).toBeCloseTo(1, 9);
    expect(session!.cpuVsBase!.min).toBeCloseTo(15 / 9, 6);
    expect(session!.cpuVsBase!.max).toBeCloseTo(15 / 9, 6);
    expect(session!.deltaUs!.min).toBeCloseTo(6, 6);
    expect(session!.deltaUs!.max).toBeCloseTo(6.6, 6);
    expect(local!.deltaUs!.median).toBeCloseTo((10 + 11) / 2, 6);
    expect(local!.overBaseUs!.median).toBeCloseTo((16 + 17.6) / 2, 6);
    expect(costliestLayer(rows)).toContain("costliest layer: local-run (+10.5 µs");
  });

  test("a failed rung is listed with its error and leaves its figures empty", () => {
    const rows = ladderRows([sample("bare", 1, 10_100, 0.06, 0.02), { ...sample("session", 1, 0, 0, 0), ok: false, error: "boom" }], RUNGS);
    expect(rows[1]!.failures).toEqual(["round 1: boom"]);
    expect(rows[1]!.cpuUs).toBeNull();
    expect(ladderBody(rows)[1]![0]).toBe("session ⚠ 1 failed");
  });
});
