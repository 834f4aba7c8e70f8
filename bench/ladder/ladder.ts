// The ladder's harness: runs each rung in its own child process against one target and measures
// it from outside, by one of two methods (the sample's `method`):
// - "window" (duration budgets): the child's CPU over a steady-state window, read from
//   /proc/<pid>/stat while it runs (window.ts), over the requests the target served in that window;
//   JIT compilation, warm-up, start-up and the drain are outside the window.
// - "fixed-cost" (request budgets): the kernel's rusage of the whole child (user and system CPU of
//   all its threads); every rung also runs once with one request per connection (its fixed cost:
//   process start, module load, connecting, the plan) and the per-request figures are
//   (full − fixed) / (requests − fixed requests).
// Either way the full run's request count must equal the target's own count, or the rung fails.
// Called by run.ts (standalone), lib/suites/ladder.ts (npm run bench) and the CI test.
// Children are started through ../lib/proc.ts: bounded in time and stopped by PID.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Target } from "../lib/nginx.ts";
import { startJob, treePids, type Job, type JobResult } from "../lib/proc.ts";
import { rotate } from "../lib/stats.ts";
import { parseLoadrSummary, type LoadrCommand } from "../lib/tools/loadr.ts";
import { ladderPlanYaml, writeLadderPlan } from "./engine.ts";
import type { LadderSample } from "./report.ts";
import type { RungBudget, RungName, RungOutput, RungSpec } from "./rungs.ts";
import { CountChain, DEFAULT_WARMUP_MS, measureWindow, type WindowFigures } from "./window.ts";

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
  /** Duration budgets: the warm-up before the window opens (default DEFAULT_WARMUP_MS, clamped to a third of the duration). */
  warmupMs?: number;
}

interface Measured {
  out: RungOutput;
  job: JobResult;
  targetCount: number;
  window?: WindowFigures;
}

/** A started rung child and how to read its RungOutput once it has exited. */
interface Launched {
  job: Job;
  output(result: JobResult): RungOutput;
}

function timeoutFor(budget: RungBudget): number {
  return SLACK_MS + ("durationMs" in budget ? budget.durationMs : (budget.requests / MIN_RATE) * 1000);
}

/**
 * Runs `rung` once with `budget` in a child and checks the target saw exactly its requests; with
 * `window`, also measures the steady-state window while it runs (duration budgets only).
 */
async function measureOnce(opts: LadderOptions, rung: RungName, budget: RungBudget, tag: string, window: boolean): Promise<Measured> {
  const chain = await CountChain.start(opts.target);
  const spec: RungSpec = { rung, url: opts.target.url, connections: opts.connections, budget, dir: opts.dir, heap: opts.heap };
  const launched = rung === "binary" ? launchBinary(opts, spec, tag) : launchRung(spec);
  let exited = false;
  const done = launched.job.done.finally(() => {
    exited = true;
  });
  let figures: WindowFigures | undefined;
  if (window && "durationMs" in budget) {
    try {
      figures = await measureWindow({ pid: launched.job.pid, exited: () => exited }, chain, budget.durationMs, opts.warmupMs ?? DEFAULT_WARMUP_MS, SLACK_MS);
      // The window read one process's CPU; a child process of the rung would go unbilled.
      const tree = treePids(launched.job.pid);
      if (!exited && tree.length > 1) throw new Error(`rung ${rung} runs ${tree.length - 1} child process(es); the window reads only its own CPU`);
    } catch (error) {
      await launched.job.stop();
      throw new Error(`rung ${rung} (${tag}): ${(error as Error).message}`);
    }
  }
  const job = await done;
  const out = launched.output(job);
  await chain.read();
  const targetCount = chain.served;
  if (targetCount !== out.requests) {
    throw new Error(`rung ${rung} (${tag}) counted ${out.requests} requests but the target served ${targetCount}`);
  }
  if (figures && figures.requests > targetCount) {
    throw new Error(`rung ${rung} (${tag}): the window counted ${figures.requests} requests, more than the whole run's ${targetCount}`);
  }
  return figures ? { out, job, targetCount, window: figures } : { out, job, targetCount };
}

function launchRung(spec: RungSpec): Launched {
  const job = startJob({ name: `ladder ${spec.rung}`, cmd: [process.execPath, RUNG_MAIN, JSON.stringify(spec)], timeoutMs: timeoutFor(spec.budget), capture: true });
  return {
    job,
    output(result) {
      if (result.timedOut || result.exitCode !== 0) throw new Error(failure(`rung ${spec.rung}`, result));
      const last = result.stdout.trim().split("\n").pop() ?? "";
      return JSON.parse(last) as RungOutput;
    },
  };
}

function launchBinary(opts: LadderOptions, spec: RungSpec, tag: string): Launched {
  if (opts.loadr === undefined) throw new Error("the binary rung needs a loadr command (see --loadr)");
  const { path } = writeLadderPlan(opts.dir, `binary-${tag}-plan.yaml`, ladderPlanYaml(spec.url, spec.connections, spec.budget));
  const summary = join(opts.dir, `binary-${tag}-summary.json`);
  const cmd = [...opts.loadr.argv, "run", path, "--workers", "1", "--quiet", "--summary-json", summary];
  const job = startJob({ name: "ladder binary", cmd, timeoutMs: timeoutFor(spec.budget), capture: true });
  return {
    job,
    output(result) {
      if (result.timedOut || result.exitCode !== 0 || !existsSync(summary)) throw new Error(failure("loadr run (binary rung)", result));
      const metrics = parseLoadrSummary(readFileSync(summary, "utf8"));
      return { rung: "binary", requests: metrics.requests ?? 0, errors: metrics.errors ?? 0, loadSec: result.wallSec };
    },
  };
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

/**
 * One rung: for a duration budget, one run measured over its steady-state window; for a request
 * budget, the fixed-cost run then the full run. Never throws (a failure is a sample with `error`).
 */
export async function measureRung(opts: LadderOptions, rung: RungName, round: number): Promise<LadderSample> {
  const method = "durationMs" in opts.budget ? "window" : "fixed-cost";
  const sample: LadderSample = {
    rung, round, ok: false, method, requests: 0, errors: 0, loadSec: 0, userSec: 0, sysSec: 0,
    fixedRequests: 0, fixedUserSec: 0, fixedSysSec: 0, targetCount: 0,
  };
  try {
    const fixed = method === "fixed-cost" ? await measureOnce(opts, rung, { requests: opts.connections }, `r${round}-fixed`, false) : undefined;
    const full = await measureOnce(opts, rung, opts.budget, `r${round}-full`, method === "window");
    Object.assign(sample, {
      ok: true,
      requests: full.out.requests,
      errors: full.out.errors,
      loadSec: loadSecOf(rung, full.out, opts.budget),
      userSec: full.job.userSec,
      sysSec: full.job.sysSec,
      targetCount: full.targetCount,
    });
    if (fixed) Object.assign(sample, { fixedRequests: fixed.out.requests, fixedUserSec: fixed.job.userSec, fixedSysSec: fixed.job.sysSec });
    if (full.window) sample.window = full.window;
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
