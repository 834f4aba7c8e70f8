// `loadr run PLAN` on this machine: load the plan, start the outputs, run it on the worker pool,
// merge the workers' deltas, and let the run loop (core/run/run-loop.ts) tick once a second
// (gauges, thresholds, abortOnFail, live view, outputs) and end it. Every stop path (end of plan,
// Ctrl-C / SIGTERM, a stop through the control API, abortOnFail, worker failure) ends in the
// same place: the loop's finish, the summary printed, --summary-json written, the exit code from
// core/run/outcome.ts.
import type { ProcessIO } from "../io.ts";
import type { PlanOverrides } from "../../config/overrides.ts";
import type { ProtocolDebug, ProtocolDebugOptions } from "../../protocols/types.ts";
import type { Segment } from "../../core/segment.ts";
import type { TestPlan } from "../../config/plan.ts";
import { loadPlanFileWithPlugins } from "../../plugin-api/load-plan.ts";
import { formatIssue, formatIssues } from "../../config/issues.ts";
import { Aggregator, RejectedDeltaError } from "../../metrics/aggregator.ts";
import { MetricRegistry } from "../../metrics/registry.ts";
import { ThresholdEvaluator } from "../../core/thresholds/evaluator.ts";
import { startLocalRun } from "../../core/run/local-run.ts";
import { RunLoop } from "../../core/run/run-loop.ts";
import { exitCodeOf } from "../../core/run/outcome.ts";
import { scalableScenarios } from "../../core/run/scale-request.ts";
import { createOutputs, requestsFromFlags } from "../../outputs/from-flags.ts";
import { RunOutputs } from "../../outputs/run-consumer.ts";
import { LiveView, type LocalLoopStatus } from "./live-view.ts";
import { emitSummary, writeAtEnd } from "./finish.ts";
import { startControlApi, type ControlApi } from "./control-api.ts";
import { jsonLogLine, jsonLogWriter, logger, type LogFormat } from "../log.ts";
import { BUILTINS } from "../../builtins.ts";
import { TimelineCollector } from "../../report/timeline-collector.ts";
import { localRunInput } from "../../report/sources.ts";
import { writeReportFile } from "./report-file.ts";
import { startHooks } from "../../hooks/run-hooks.ts";

const log = logger("config");

export interface LocalRunCommand {
  planPath: string;
  env: Record<string, string | undefined>;
  workers: number;
  segment: Segment;
  summaryJson?: string;
  /** `--out NAME=ARGUMENT` flags, in order. */
  outputs?: readonly string[];
  quiet: boolean;
  color: boolean;
  /** Serve the local control API here (`--api`). */
  api?: { hostname: string; port: number };
  /** `loadr run`'s k6 flags that change the plan (--vus, --tag, …; cli/run/k6-overrides.ts). */
  overrides?: PlanOverrides;
  /** `--no-summary`. */
  noSummary?: boolean;
  /** `--http-debug`: print every exchange on stderr. */
  httpDebug?: ProtocolDebugOptions;
  /** `--log-format`: "json" turns every line on stderr into a JSON log object. */
  logFormat?: LogFormat;
  /** `--max-data-size`: the cap on one data file, for this process and its workers. */
  maxDataBytes?: number;
  /** `--dashboard`: serve the web UI's page of this run here (webui/dashboard-server.ts). */
  dashboard?: { hostname: string; port: number };
  /** `--dashboard-exit`: do not keep the dashboard up after the run. */
  dashboardExit?: boolean;
  /** `--report`, `--summary-junit`, `--summary-markdown` files (relative to the cwd). */
  report?: string;
  summaryJunit?: string;
  summaryMarkdown?: string;
}

export async function runLocal(command: LocalRunCommand, processIO: ProcessIO): Promise<number> {
  const json = command.logFormat === "json";
  const io: ProcessIO = json ? { ...processIO, stderr: jsonLogWriter(processIO.stderr, "run") } : processIO;
  const loaded = await loadPlanFileWithPlugins(command.planPath, command.env, { mode: "run", modules: BUILTINS, ...(command.maxDataBytes !== undefined ? { maxDataBytes: command.maxDataBytes } : {}) }, command.overrides);
  for (const warning of loaded.warnings) log.warn(formatIssue(warning));
  if (!loaded.ok) {
    io.stderr.write(formatIssues(loaded.issues) + "\n");
    return exitCodeOf("invalid-config");
  }
  const plan = loaded.plan;
  // The plan's modules: the built-ins with its plugins (their outputs too).
  const modules = loaded.modules;
  // The plan's metric registry: core metrics + every registered protocol's.
  const registry = new MetricRegistry(plan.metrics);
  const aggregator = new Aggregator(registry);
  const thresholds = new ThresholdEvaluator(plan.thresholds, registry);
  // The hooks module's setup, once, before any load (src/hooks/lifecycle.ts); its samples count.
  const hooks = plan.hooks ? await startHooks(plan, { protocols: modules.protocols, registry, onDelta: (delta) => aggregator.merge(delta), onWarning: (message) => log.warn(message) }) : undefined;
  if (hooks && !hooks.ok) {
    io.stderr.write(`loadr: ${hooks.error}\n`);
    return exitCodeOf("failed");
  }
  const view = new LiveView(io, { quiet: command.quiet, color: command.color });
  // The plan's `outputs:` first, then --out (outputs/from-flags.ts); problems live, drops in the summary.
  const requests = [...(plan.outputs ?? []), ...requestsFromFlags(command.outputs ?? [], modules.outputs)];
  const outputs = new RunOutputs(createOutputs(requests, modules.outputs, { cwd: io.cwd, planName: plan.name, env: command.env, onProblem: (m) => view.message(m) }));
  await outputs.start();
  view.started(plan, command.workers);
  if (!command.quiet) for (const output of outputs.outputs) view.message(`output: ${output.description}`);

  let rejected = 0;
  const debug: ProtocolDebug | undefined = command.httpDebug && {
    ...command.httpDebug,
    // On a terminal, clear the live progress line first (the next tick draws it again).
    write: (text) => processIO.stderr.write(json ? jsonLogLine("info", "http-debug", text.trimEnd()) : `${processIO.stderr.isTTY ? "\r\x1b[2K" : ""}${text}`),
  };
  const run = startLocalRun({
    source: plan.source,
    segment: command.segment,
    workers: command.workers,
    ...(debug ? { debug } : {}),
    ...(hooks?.ok && hooks.setupJson !== undefined ? { setupJson: hooks.setupJson } : {}),
    onDelta: (delta) => {
      try {
        aggregator.merge(delta);
      } catch (error) {
        if (!(error instanceof RejectedDeltaError)) throw error;
        if (rejected++ === 0) view.message(error.message);
      }
    },
    // The loop ticks when the workers' second has been merged (types.ts onFlush), not on a timer.
    onFlush: () => loop.tick(),
  });
  const timeline = command.report ? new TimelineCollector() : undefined;
  const loop = new RunLoop<LocalLoopStatus>({
    aggregator,
    thresholds,
    status: () => run.status(),
    consumers: [view, ...outputs.consumers(), ...(timeline ? [timeline] : [])],
    onAbort: (decision) => {
      view.message(`threshold ${decision.key}: ${decision.expression} crossed at ${(decision.atMs / 1000).toFixed(1)} s (abortOnFail): stopping the run`);
      run.stop("graceful");
    },
    onConsumerError: (name, error) => view.message(`${name} failed: ${(error as Error).message ?? error}`),
    now: () => io.now(),
  });
  const dashboard = command.dashboard ? await startRunDashboard(command.dashboard, { plan, planPath: command.planPath, run, aggregator, loop, view }) : undefined;

  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    loop.interrupt(signal === "SIGINT" ? "Ctrl-C" : signal);
    if (interrupts === 1) {
      view.message("stopping gracefully: running iterations may finish within gracefulStop (Ctrl-C again to stop now)");
      run.stop("graceful");
    } else {
      view.message("stopping now");
      run.stop("now");
    }
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  let api: ControlApi | undefined;
  if (command.api) {
    api = startControlApi(command.api, {
      run,
      stop: () => {
        view.message("stop requested through the control API");
        loop.interrupt("a stop through the control API");
        run.stop("graceful");
      },
      scalable: scalableScenarios(plan.scenarios, modules.executors),
    });
    view.message(`control API on ${api.url} (GET /v1/status; POST /v1/pause, /v1/resume, /v1/stop, /v1/scale)`);
  }

  const ended = await run.done;
  api?.stop();
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);

  const notes = [...ended.notes];
  if (hooks?.ok) {
    const problem = await hooks.teardown();
    if (problem) notes.push(problem);
  }
  if (rejected > 0) notes.push(`${rejected} metrics delta(s) from the worker threads were rejected and are missing from these figures (a bug: please report it)`);
  const result = await loop.finish({
    summary: {
      planName: plan.name,
      scenarios: plan.scenarios.map((s) => ({ name: s.name, executor: s.executor.type })),
      notes,
      ...(plan.summaryTrendStats ? { trendStats: plan.summaryTrendStats } : {}),
    },
    ...(ended.state === "failed" ? { failed: ended.error ?? "the run failed" } : {}),
  });
  result.summary.notes.push(...outputs.notes());
  let exitCode: number = await writeAtEnd(result.exitCode, io, () => emitSummary(result.summary, io, { summaryJson: command.summaryJson, color: command.color, noSummary: command.noSummary, summaryJunit: command.summaryJunit, summaryMarkdown: command.summaryMarkdown, exitCode: result.exitCode }));
  if (command.report && timeline) exitCode = await writeAtEnd(exitCode, io, () => writeReportFile(command.report!, localRunInput(result, timeline, io.now()), io));
  if (result.outcome.kind === "failed") io.stderr.write(`loadr: the run failed: ${result.outcome.reason}\n`);
  if (dashboard) {
    if (!command.dashboardExit) {
      io.stderr.write(`loadr: the dashboard stays up on ${dashboard.url} (Ctrl-C to leave; --dashboard-exit leaves at the end)\n`);
      await untilInterrupted();
    }
    await dashboard.stop();
  }
  return exitCode;
}

/** Resolves at the next SIGINT or SIGTERM. */
function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}

/** `--dashboard`: the web UI's page of this run, fed by the loop (webui/dashboard-server.ts). */
async function startRunDashboard(
  address: { hostname: string; port: number },
  r: { plan: TestPlan; planPath: string; run: ReturnType<typeof startLocalRun>; aggregator: Aggregator; loop: RunLoop<LocalLoopStatus>; view: LiveView },
) {
  const { startDashboard } = await import("../../webui/dashboard-server.ts");
  const { isLoopbackHost } = await import("../../cluster/http-api.ts");
  const dashboard = startDashboard({
    hostname: address.hostname, port: address.port, planName: r.plan.name, planFile: r.planPath.split(/[\\/]/).pop() ?? r.planPath,
    run: r.run, aggregator: r.aggregator, scalable: scalableScenarios(r.plan.scenarios, BUILTINS.executors),
    stop: () => {
      r.view.message("stop requested from the dashboard");
      r.loop.interrupt("a stop from the dashboard");
      r.run.stop("graceful");
    },
  });
  r.loop.addConsumer(dashboard.consumer);
  if (!isLoopbackHost(address.hostname)) r.view.message(`warning: the dashboard on ${address.hostname} has no token: anyone who can reach it can see and stop this run`);
  r.view.message(`dashboard on ${dashboard.url}`);
  return dashboard;
}

export type { TestPlan };
