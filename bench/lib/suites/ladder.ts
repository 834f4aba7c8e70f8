// Suite 6, the HTTP/1.1 cost ladder (bench/ladder): every rung against the bench's nginx for
// --duration seconds with --connections connections, once per round, measured over its
// steady-state window (bench/ladder/window.ts, the default warm-up); the rungs are rotated per
// round like the tools. A rung's measurements travel in a RunRecord (kind "ladder", tool = rung)
// so the result file, the report and an interrupted run treat them like every other run.
import type { Target } from "../nginx.ts";
import type { LoadrCommand } from "../tools/loadr.ts";
import type { RunRecord } from "../types.ts";
import { ladderRound } from "../../ladder/ladder.ts";
import { sampleLine, type LadderSample } from "../../ladder/report.ts";
import { RUNGS } from "../../ladder/rungs.ts";
import { SETTLE_MS, type SuiteEnv } from "./common.ts";

/** The numeric fields of a LadderSample kept in `RunRecord.extra`. */
const SAMPLE_FIELDS = ["errors", "loadSec", "userSec", "sysSec", "fixedRequests", "fixedUserSec", "fixedSysSec"] as const;
/** The window's fields, kept in `RunRecord.extra` as `window.<field>`. */
const WINDOW_FIELDS = ["requests", "wallSec", "userSec", "sysSec", "fromSec", "toSec", "tickSec"] as const;

export function recordOfSample(sample: LadderSample, label: string): RunRecord {
  const record: RunRecord = { kind: "ladder", tool: sample.rung, round: sample.round, label, ok: sample.ok };
  if (sample.error !== undefined) record.error = sample.error;
  if (!sample.ok) return record;
  const rps = sample.loadSec > 0 ? sample.requests / sample.loadSec : null;
  record.metrics = { requests: sample.requests, rps, p50Ms: null, p99Ms: null, maxMs: null, errors: sample.errors };
  record.usage = { wallSec: sample.loadSec, cpuSec: sample.userSec + sample.sysSec, peakRssMb: 0 };
  record.targetCount = sample.targetCount;
  record.countDelta = sample.requests - sample.targetCount;
  record.extra = { ...Object.fromEntries(SAMPLE_FIELDS.map((k) => [k, sample[k]])), method: sample.method };
  const w = sample.window;
  if (w) for (const k of WINDOW_FIELDS) record.extra[`window.${k}`] = w[k];
  return record;
}

export function sampleOfRecord(record: RunRecord): LadderSample {
  const x = (k: (typeof SAMPLE_FIELDS)[number]): number => Number(record.extra?.[k] ?? 0);
  const sample: LadderSample = {
    rung: record.tool,
    round: record.round,
    ok: record.ok,
    // Records written before the window method existed are fixed-cost ones.
    method: record.extra?.method === "window" ? "window" : "fixed-cost",
    requests: record.metrics?.requests ?? 0,
    errors: x("errors"),
    loadSec: x("loadSec"),
    userSec: x("userSec"),
    sysSec: x("sysSec"),
    fixedRequests: x("fixedRequests"),
    fixedUserSec: x("fixedUserSec"),
    fixedSysSec: x("fixedSysSec"),
    targetCount: record.targetCount ?? 0,
  };
  if (record.error !== undefined) sample.error = record.error;
  if (record.extra?.["window.requests"] !== undefined) {
    const w = (k: (typeof WINDOW_FIELDS)[number]): number => Number(record.extra?.[`window.${k}`] ?? 0);
    sample.window = { requests: w("requests"), wallSec: w("wallSec"), userSec: w("userSec"), sysSec: w("sysSec"), fromSec: w("fromSec"), toSec: w("toSec"), tickSec: w("tickSec") };
  }
  return sample;
}

export async function ladderSuiteRound(env: SuiteEnv, nginx: Target, round: number, loadr: LoadrCommand): Promise<void> {
  const label = `${env.opts.connections} conns`;
  const options = {
    target: nginx,
    connections: env.opts.connections,
    budget: { durationMs: env.opts.durationSec * 1000 },
    rungs: RUNGS,
    dir: env.dir,
    loadr,
  };
  await ladderRound(options, round, (sample) => {
    env.records.push(recordOfSample(sample, label));
    process.stdout.write(`  ladder ${sampleLine(sample)}\n`);
  });
  await Bun.sleep(SETTLE_MS);
}
