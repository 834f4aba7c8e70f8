// Report inputs (model.ts ReportInput) from a local run's end and from a controller's stored run.
// Pure. The JSONL results file has its own reader (from-jsonl.ts).
import type { RunResult } from "../core/run/run-loop.ts";
import type { Summary } from "../core/run/summary.ts";
import type { RunView, SeriesPoint } from "../cluster/api-types.ts";
import type { ReportInput } from "./model.ts";
import type { TimelineCollector } from "./timeline-collector.ts";

/** A local run: its result (summary, outcome, exit code) and the timeline its collector kept. */
export function localRunInput(result: RunResult, timeline: TimelineCollector, now: number): ReportInput {
  return {
    source: "local run",
    planName: result.summary.planName,
    summary: result.summary,
    series: timeline.points,
    exitCode: result.exitCode,
    status: result.outcome.kind,
    ...(result.outcome.kind === "failed" && result.outcome.reason ? { error: `The run failed: ${result.outcome.reason}` } : {}),
    ...(timeline.startedAtUnixMs !== undefined ? { startedAtUnixMs: timeline.startedAtUnixMs } : {}),
    generatedAtUnixMs: now,
  };
}

/** A controller's run (live or stored) and its per-second series (GET /api/runs/:id and …/series). */
export function controllerRunInput(view: RunView, series: readonly SeriesPoint[], now: number): ReportInput {
  const summary = isSummary(view.summary) ? view.summary : undefined;
  return {
    source: "controller",
    planName: view.planName,
    runId: view.id,
    ...(summary ? { summary } : {}),
    series: [...series],
    ...(view.exitCode !== undefined ? { exitCode: view.exitCode } : {}),
    status: view.status,
    ...(view.error ? { error: view.error } : {}),
    ...(view.startAtUnixMs !== undefined ? { startedAtUnixMs: view.startAtUnixMs } : {}),
    agents: view.agents,
    generatedAtUnixMs: now,
  };
}

function isSummary(value: unknown): value is Summary {
  const s = value as Summary | undefined;
  return typeof s === "object" && s !== null && s.version === 1 && Array.isArray(s.metrics) && Array.isArray(s.thresholds) && typeof s.rootGroup === "object";
}
