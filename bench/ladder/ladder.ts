// The ladder's harness: runs each rung in its own child process against one target and measures
// it from outside — the kernel's rusage of the child (user and system CPU of all its threads) and
// the target's own request count, which must equal the rung's. Every rung also runs once with one
// request per connection (its fixed cost: process start, module load, connecting, the plan); the
// per-request figures are (full − fixed) / (requests − fixed requests), so start-up is not billed
// to requests. Called by run.ts (standalone), lib/suites/ladder.ts (npm run bench) and the CI test.
// Children are started through ../lib/proc.ts: bounded in time and stopped by PID.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Target } from "../lib/nginx.ts";
import { runJob, type JobResult } from "../lib/proc.ts";
import { rotate } from "../lib/stats.ts";
import { parseLoadrSummary, type LoadrCommand } from "../lib/tools/loadr.ts";
import { ladderPlanYaml, writeLadderPlan } from "./engine.ts";
import type { LadderSample } from "./report.ts";
import type { RungBudget, RungName, RungOutput, RungSpec } from "./rungs.ts";

const RUNG_MAIN = join(import.meta.dir, "rung-main.ts");
/** Wall time a rung may take beyond its budget (start-up, drain, a slow shared machine). */
const SLACK_MS = 90_000;
/** The slowest rate a count-bounded rung is allowed before it is stopped (req/s). */
const MIN_RATE = 200;

export interface LadderOptions {
  target: Target;
  connections: number;
  budget: RungBudget;
  rungs: readonly RungName[];
  /** Where plans, summaries and child logs go. */
  dir: string;
  /** How to run loadr for the `binary` rung (the compiled binary by default). */
  loadr?: LoadrCommand;
  /** Sample the heap of the in-thread rungs (after forced GCs; CPU figures then include the GCs). */
  heap?: boolean;
}

interface Measured {
  out: RungOutput;
  job: JobResult;
  targetCount: number;
}

function timeoutFor(budget: RungBudget): number {
  return SLACK_MS + ("durationMs" in budget ? budget.durationMs : (budget.requests / MIN_RATE) * 1000);
}

/** Runs `rung` once with `budget` in a child and checks the target saw exactly its requests. */
async function measureOnce(opts: LadderOptions, rung: RungName, budget: RungBudget, tag: string): Promise<Measured> {
  const before = await opts.target.counter();
  const spec: RungSpec = { rung, url: opts.target.url, connections: opts.connections, budget, dir: opts.dir, heap: opts.heap };
  let out: RungOutput;
  let job: JobResult;
  if (rung === "binary") {
    ({ out, job } = await runBinary(opts, spec, tag));
  } else {
    job = await runJob({ name: `ladder ${rung}`, cmd: [process.execPath, RUNG_MAIN, JSON.stringify(spec)], timeoutMs: timeoutFor(budget) });
    if (job.timedOut || job.exitCode !== 0) throw new Error(failure(`rung ${rung}`, job));
    const last = job.stdout.trim().split("\n").pop() ?? "";
    out = JSON.parse(last) as RungOutput;
  }
  const targetCount = opts.target.served(before, await opts.target.counter());
  if (targetCount !== out.requests) {
    throw new Error(`rung ${rung} (${tag}) counted ${out.requests} requests but the target served ${targetCount}`);
  }
  return { out, job, targetCount };
}

async function runBinary(opts: LadderOptions, spec: RungSpec, tag: string): Promise<{ out: RungOutput; job: JobResult }> {
  if (opts.loadr === undefined) throw new Error("the binary rung needs a loadr command (see --loadr)");
  const { path } = writeLadderPlan(opts.dir, `binary-${tag}-plan.yaml`, ladderPlanYaml(spec.url, spec.connections, spec.budget));
  const summary = join(opts.dir, `binary-${tag}-summary.json`);
  const cmd = [...opts.loadr.argv, "run", path, "--workers", "1", "--quiet", "--summary-json", summary];
  const job = await runJob({ name: "ladder binary", cmd, timeoutMs: timeoutFor(spec.budget) });
  if (job.timedOut || job.exitCode !== 0 || !existsSync(summary)) throw new Error(failure("loadr run (binary rung)", job));
  const metrics = parseLoadrSummary(readFileSync(summary, "utf8"));
  return { out: { rung: "binary", requests: metrics.requests ?? 0, errors: metrics.errors ?? 0, loadSec: job.wallSec }, job };
}

function failure(what: string, job: JobResult): string {
  const tail = (job.stderr.trim() || job.stdout.trim()).split("\n").slice(-6).join(" | ");
  return `${what} ${job.timedOut ? "timed out" : `exited with ${job.exitCode ?? job.signal}`}: ${tail}`;
}

/** Engine rungs run for exactly their plan's duration; their process wall time includes start-up. */
function loadSecOf(rung: RungName, out: RungOutput, budget: RungBudget): number {
  const engine = rung === "engine-inline" || rung === "local-run" || rung === "binary";
  return engine && "durationMs" in budget ? budget.durationMs / 1000 : out.loadSec;
}

/** One rung, fixed-cost run then full run; never throws (a failure is a sample with `error`). */
export async function measureRung(opts: LadderOptions, rung: RungName, round: number): Promise<LadderSample> {
  const sample: LadderSample = {
    rung, round, ok: false, requests: 0, errors: 0, loadSec: 0, userSec: 0, sysSec: 0,
    fixedRequests: 0, fixedUserSec: 0, fixedSysSec: 0, targetCount: 0,
  };
  try {
    const fixed = await measureOnce(opts, rung, { requests: opts.connections }, `r${round}-fixed`);
    const full = await measureOnce(opts, rung, opts.budget, `r${round}-full`);
    Object.assign(sample, {
      ok: true,
      requests: full.out.requests,
      errors: full.out.errors,
      loadSec: loadSecOf(rung, full.out, opts.budget),
      userSec: full.job.userSec,
      sysSec: full.job.sysSec,
      fixedRequests: fixed.out.requests,
      fixedUserSec: fixed.job.userSec,
      fixedSysSec: fixed.job.sysSec,
      targetCount: full.targetCount,
    });
    if (full.out.heapBeforeMb !== undefined) sample.heapBeforeMb = full.out.heapBeforeMb;
    if (full.out.heapAfterMb !== undefined) sample.heapAfterMb = full.out.heapAfterMb;
  } catch (error) {
    sample.error = error instanceof Error ? error.message : String(error);
  }
  return sample;
}

/** One round: every rung once, the order rotated by round so slow drifts spread over all rungs. */
export async function ladderRound(opts: LadderOptions, round: number, onSample?: (sample: LadderSample) => void): Promise<LadderSample[]> {
  const samples: LadderSample[] = [];
  for (const rung of rotate(opts.rungs, round - 1)) {
    const sample = await measureRung(opts, rung, round);
    samples.push(sample);
    onSample?.(sample);
  }
  return samples;
}
