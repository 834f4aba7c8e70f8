// `loadr run PLAN` on this machine: load the plan, run it on the worker pool, merge the workers'
// deltas, evaluate thresholds every second (abortOnFail stops the run), show progress, and end
// with the summary. Every stop path (end of plan, Ctrl-C, abortOnFail, worker failure) ends in
// the same place: the summary is printed and --summary-json is written.
import type { ProcessIO } from "../io.ts";
import type { Segment } from "../../core/segment.ts";
import type { TestPlan } from "../../config/plan.ts";
import { loadPlanFile } from "../../config/load.ts";
import { formatIssue, formatIssues } from "../../config/issues.ts";
import { Aggregator } from "../../metrics/aggregator.ts";
import { ThresholdEvaluator } from "../../core/thresholds/evaluator.ts";
import { startLocalRun } from "../../core/run/local-run.ts";
import { EXIT_FAILURE, EXIT_INVALID_CONFIG, EXIT_OK, EXIT_THRESHOLDS_FAILED } from "../../shared/exit-codes.ts";
import { LiveView } from "./live-view.ts";
import { logger } from "../log.ts";

const log = logger("config");
import { finishRun, type AbortInfo } from "./finish.ts";
import { planDurationMs } from "../../core/scheduler.ts";
import { startControlApi, type ControlApi } from "./control-api.ts";
import { BUILTINS } from "../../builtins.ts";
import { MetricRegistry } from "../../metrics/registry.ts";

export interface LocalRunCommand {
  planPath: string;
  env: Record<string, string | undefined>;
  workers: number;
  segment: Segment;
  summaryJson?: string;
  quiet: boolean;
  color: boolean;
  /** Serve the local control API here (`--api`). */
  api?: { hostname: string; port: number };
}

const TICK_MS = 1000;

export async function runLocal(command: LocalRunCommand, io: ProcessIO): Promise<number> {
  const loaded = await loadPlanFile(command.planPath, command.env, { mode: "run", modules: BUILTINS });
  for (const warning of loaded.warnings) log.warn(formatIssue(warning));
  if (!loaded.ok) {
    io.stderr.write(formatIssues(loaded.issues) + "\n");
    return EXIT_INVALID_CONFIG;
  }
  const plan = loaded.plan;
  const aggregator = new Aggregator(new MetricRegistry(plan.metrics));
  const thresholds = new ThresholdEvaluator(plan.thresholds, aggregator.registry);
  const totalMs = planDurationMs(plan.scenarios);
  const view = new LiveView(io, { quiet: command.quiet, color: command.color, totalMs });
  view.started(plan, command.workers);

  const run = startLocalRun({
    source: plan.source,
    segment: command.segment,
    workers: command.workers,
    onDelta: (delta) => aggregator.merge(delta),
  });

  let abort: AbortInfo | undefined;
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      view.message("stopping gracefully: running iterations may finish within gracefulStop (Ctrl-C again to stop now)");
      run.stop("graceful");
    } else {
      view.message("stopping now");
      run.stop("now");
    }
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  let api: ControlApi | undefined;
  if (command.api) {
    api = startControlApi(command.api, {
      run,
      stop: () => {
        view.message("stop requested through the control API");
        run.stop("graceful");
      },
      scalable: plan.scenarios.filter((s) => BUILTINS.executors[s.executor.type]?.scale).map((s) => s.name),
    });
    view.message(`control API on ${api.url} (GET /v1/status; POST /v1/pause, /v1/resume, /v1/stop, /v1/scale)`);
  }

  const tick = setInterval(() => {
    const status = run.status();
    if (status.state !== "starting") {
      aggregator.setGauge("vus", status.activeVus);
      aggregator.setGauge("vus_max", status.maxVus);
    }
    const results = thresholds.evaluate(aggregator, status.elapsedMs);
    const crossed = abort ? undefined : thresholds.shouldAbort(results, status.elapsedMs);
    if (crossed) {
      abort = crossed;
      view.message(`threshold ${crossed.key}: ${crossed.expression} crossed at ${(crossed.atMs / 1000).toFixed(1)} s (abortOnFail): stopping the run`);
      run.stop("graceful");
    }
    view.tick(aggregator, status);
  }, TICK_MS);

  const outcome = await run.done;
  clearInterval(tick);
  api?.stop();
  process.off("SIGINT", onSigint);
  process.off("SIGTERM", onSigint);
  view.finished();

  const status = run.status();
  const thresholdsFailed = await finishRun({
    io,
    plan,
    aggregator,
    thresholds,
    elapsedMs: status.elapsedMs,
    notes: outcome.notes,
    abort,
    summaryJson: command.summaryJson,
    color: command.color,
    interrupted: interrupts > 0,
  });
  if (outcome.state === "failed") {
    io.stderr.write(`loadr: the run failed: ${outcome.error}\n`);
    return EXIT_FAILURE;
  }
  return thresholdsFailed ? EXIT_THRESHOLDS_FAILED : EXIT_OK;
}

export type { TestPlan };
