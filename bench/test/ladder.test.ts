// The cost ladder, short, in CI: every rung runs for real (its own child process; the `binary` rung
// is dist/loadr-<os>-<arch>, which `npm test` builds first) for a bounded number of requests against
// a loopback responder that counts what it served (the fixed-cost method), and three rungs for a
// short duration (the steady-state window method). Correctness only — never a timing: each rung
// completed exactly its requests, the target counted exactly those, the window lies inside the run,
// and the report has every rung with finite figures. Plus the report's and the window's arithmetic
// on hand-made samples.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Target } from "../lib/nginx.ts";
import { resolveLoadr } from "../lib/tools/loadr.ts";
import { ladderRound, measureRung } from "../ladder/ladder.ts";
import { startLoopbackTarget } from "../ladder/loopback-target.ts";
import { LADDER_HEAD, costliestLayer, ladderBody, ladderRows, methodNote, perRequest, textTable, type LadderSample } from "../ladder/report.ts";
import { RUNGS, type RungName } from "../ladder/rungs.ts";
import { CountChain, measureWindow, parseProcCpu, windowBounds, windowFigures, type WindowFigures } from "../ladder/window.ts";
import { recordOfSample, sampleOfRecord } from "../lib/suites/ladder.ts";

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
        expect({ rung: s.rung, ok: s.ok, error: s.error, method: s.method, window: s.window }).toEqual({ rung: s.rung, ok: true, error: undefined, method: "fixed-cost", window: undefined });
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

  test(
    "duration budget: three rungs measured over their steady-state windows, counts equal the target's, the window inside the run",
    async () => {
      const loadr = resolveLoadr("auto");
      if ("error" in loadr) throw new Error(loadr.error);
      // bare (one thread of JS), local-run (a Worker thread) and the binary (another process image).
      const rungs: RungName[] = ["bare", "local-run", "binary"];
      const before = await target.counter();
      const samples = await ladderRound({ target, connections: CONNECTIONS, budget: { durationMs: 3000 }, warmupMs: 1000, rungs, dir, loadr }, 1);
      const served = target.served(before, await target.counter());

      expect(samples.map((s) => s.rung).sort()).toEqual([...rungs].sort());
      for (const s of samples) {
        expect({ rung: s.rung, ok: s.ok, error: s.error, method: s.method, errors: s.errors, fixed: s.fixedRequests }).toEqual({
          rung: s.rung,
          ok: true,
          error: undefined,
          method: "window",
          errors: 0,
          fixed: 0,
        });
        expect({ rung: s.rung, requests: s.requests }).toEqual({ rung: s.rung, requests: s.targetCount });
        const w = s.window!;
        expect(w.requests).toBeGreaterThan(0);
        expect(w.requests).toBeLessThanOrEqual(s.requests);
        for (const v of [w.wallSec, w.userSec, w.sysSec, w.fromSec, w.toSec]) expect(Number.isFinite(v)).toBe(true);
        expect(w.userSec).toBeGreaterThanOrEqual(0);
        expect(w.sysSec).toBeGreaterThanOrEqual(0);
        expect(w.toSec).toBeGreaterThan(w.fromSec);
        expect(w.tickSec).toBeGreaterThan(0);
      }
      // No fixed-cost run: the responder served the full runs and nothing else.
      expect(served).toBe(samples.reduce((sum, s) => sum + s.targetCount, 0));

      const rows = ladderRows(samples, RUNGS);
      expect(rows.map((r) => r.rung)).toEqual(rungs);
      for (const r of rows) {
        expect(r.methods).toEqual(["window"]);
        for (const figure of [r.cpuUs, r.userUs, r.sysUs, r.rps, r.cpuVsBase, r.rpsVsBase, r.overBaseUs]) {
          expect(figure).not.toBeNull();
          expect(Number.isFinite(figure!.median)).toBe(true);
        }
      }
      expect(ladderBody(rows).map((line) => line[line.length - 1])).toEqual(["window", "window", "window"]);
    },
    120_000,
  );

  test("a rung whose count disagrees with the target's is a failed sample naming both counts", async () => {
    const lying: Target = { ...target, served: (before, after) => after - before + 1 };
    const sample = await measureRung({ target: lying, connections: 4, budget: { requests: 200 }, rungs: ["bare"], dir }, "bare", 1);
    expect(sample.ok).toBe(false);
    expect(sample.error).toContain("counted 4 requests but the target served 5");
  });

  test("the window method keeps the check: a count that disagrees with the target's fails the sample", async () => {
    const lying: Target = { ...target, served: (before, after) => after - before + 1 };
    const sample = await measureRung({ target: lying, connections: 4, budget: { durationMs: 1500 }, warmupMs: 0, rungs: ["bare"], dir }, "bare", 1);
    expect({ ok: sample.ok, method: sample.method }).toEqual({ ok: false, method: "window" });
    expect(sample.error).toMatch(/counted \d+ requests but the target served \d+/);
  }, 60_000);
});

describe("ladder report arithmetic", () => {
  const sample = (rung: string, round: number, requests: number, userSec: number, sysSec: number): LadderSample => ({
    rung,
    round,
    ok: true,
    method: "fixed-cost",
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

describe("steady-state window arithmetic", () => {
  const windowSample = (rung: string, round: number, w: Partial<WindowFigures>): LadderSample => ({
    rung,
    round,
    ok: true,
    method: "window",
    requests: 500_000,
    errors: 0,
    loadSec: 8,
    // Whole-run rusage, deliberately far off: a window sample must not use it.
    userSec: 99,
    sysSec: 99,
    fixedRequests: 0,
    fixedUserSec: 0,
    fixedSysSec: 0,
    targetCount: 500_000,
    window: { requests: 300_000, wallSec: 5, userSec: 1.5, sysSec: 3, fromSec: 2, toSec: 7, tickSec: 0.01, ...w },
  });

  test("per request: the window's CPU over the window's requests, req/s over its wall time", () => {
    const p = perRequest(windowSample("bare", 1, {}))!;
    expect(p.userUs).toBeCloseTo(5, 9);
    expect(p.sysUs).toBeCloseTo(10, 9);
    expect(p.cpuUs).toBeCloseTo(15, 9);
    expect(p.rps).toBeCloseTo(60_000, 6);
    expect(perRequest(windowSample("bare", 1, { requests: 0 }))).toBeNull();
    expect(perRequest(windowSample("bare", 1, { wallSec: 0 }))).toBeNull();
    expect(perRequest({ ...windowSample("bare", 1, {}), ok: false })).toBeNull();
  });

  test("deltas and ratios over window samples, the method in the table and the note", () => {
    const rows = ladderRows(
      [
        windowSample("bare", 1, { userSec: 0.6, sysSec: 2.4 }), // 10 µs
        windowSample("session", 1, { userSec: 3.6, sysSec: 2.4 }), // 20 µs
        windowSample("binary", 1, { userSec: 5.1, sysSec: 2.4 }), // 25 µs
      ],
      RUNGS,
    );
    expect(rows[1]!.deltaUs!.median).toBeCloseTo(10, 6);
    expect(rows[2]!.deltaUs!.median).toBeCloseTo(5, 6);
    expect(rows[2]!.cpuVsBase!.median).toBeCloseTo(2.5, 6);
    expect(costliestLayer(rows)).toContain("costliest layer: session (+10 µs");
    expect(LADDER_HEAD[LADDER_HEAD.length - 1]).toBe("method");
    expect(ladderBody(rows).map((line) => line[line.length - 1])).toEqual(["window", "window", "window"]);
    expect(methodNote(rows)).toContain("/proc/<pid>/stat");
    expect(methodNote(rows)).not.toContain("fixed-cost");
  });

  test("the suite's run records keep the method and the window", () => {
    const s = windowSample("session", 2, {});
    expect(sampleOfRecord(recordOfSample(s, "64 conns"))).toEqual(s);
    const old = recordOfSample({ ...s, method: "fixed-cost", window: undefined }, "64 conns");
    delete old.extra!.method; // a record written before the window method existed
    const back = sampleOfRecord(old);
    expect({ method: back.method, window: back.window }).toEqual({ method: "fixed-cost", window: undefined });
  });

  test("window bounds: the warm-up clamped to a third of the duration, closing 0.5 s before the end", () => {
    expect(windowBounds(8000, 2000)).toEqual({ fromMs: 2000, toMs: 7500 });
    expect(windowBounds(3000, 2000)).toEqual({ fromMs: 1000, toMs: 2500 });
    expect(windowBounds(1500, 0)).toEqual({ fromMs: 0, toMs: 1000 });
    expect(() => windowBounds(700, 2000)).toThrow("no steady-state window");
  });

  test("/proc/<pid>/stat: utime and stime (fields 14, 15) in clock ticks, a comm with spaces and parentheses", () => {
    const line = "4770 (loadr (x) y) S 4700 4770 4700 0 -1 4194304 1234 0 0 0 148 156 0 0 20 0 10 0 5678 1000000 2000 18446744073709551615";
    expect(parseProcCpu(line, 100)).toEqual({ userSec: 1.48, sysSec: 1.56 });
    expect(parseProcCpu(line, 250)).toEqual({ userSec: 148 / 250, sysSec: 156 / 250 });
    expect(parseProcCpu(line.replace(") S ", ") Z "), 100)).toBeNull();
  });

  test("window figures: differences of two readings, offsets from the load's start", () => {
    const w = windowFigures({ served: 1000, userSec: 1.2, sysSec: 0.5, at: 12_000 }, { served: 61_000, userSec: 2.7, sysSec: 1.5, at: 17_500 }, 10_000, 0.01);
    expect(w.requests).toBe(60_000);
    expect(w.wallSec).toBeCloseTo(5.5, 9);
    expect(w.userSec).toBeCloseTo(1.5, 9);
    expect(w.sysSec).toBeCloseTo(1, 9);
    expect(w.fromSec).toBeCloseTo(2, 9);
    expect(w.toSec).toBeCloseTo(7.5, 9);
  });

  /** A target that serves `perRead` requests between readings and counts each reading like nginx's stub_status. */
  const nginxLike = (perRead: number): Target => {
    let count = 0;
    return {
      url: "http://127.0.0.1:1/",
      port: 1,
      counter: async () => (count += perRead + 1),
      served: (before, after) => after - before - 1,
      stop: async () => undefined,
    };
  };

  test("the count chain leaves every reading request out of what the target served", async () => {
    const chain = await CountChain.start(nginxLike(7));
    for (let i = 0; i < 5; i++) await chain.read();
    expect(chain.served).toBe(35);
  });

  test("measureWindow on a live process: the window's requests are the target's, its CPU finite", async () => {
    const chain = await CountChain.start(nginxLike(10));
    const w = await measureWindow({ pid: process.pid, exited: () => false }, chain, 900, 0, 5_000);
    // One reading sees the load start, the window's two readings follow: 10 served before each.
    expect(w.requests).toBe(10);
    expect(chain.served).toBe(30);
    expect(w.toSec).toBeGreaterThan(w.fromSec);
    for (const v of [w.userSec, w.sysSec]) expect(v).toBeGreaterThanOrEqual(0);
  });

  test("measureWindow fails when the child exits before its load starts", async () => {
    let count = 0;
    const idle: Target = { ...nginxLike(0), counter: async () => (count += 1) };
    const chain = await CountChain.start(idle);
    await expect(measureWindow({ pid: process.pid, exited: () => true }, chain, 900, 0, 5_000)).rejects.toThrow("exited before its load started");
  });
});
