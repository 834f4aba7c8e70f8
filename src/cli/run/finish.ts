// The one ending every run shares (local or through a controller): final threshold evaluation,
// the summary on stdout, --summary-json written. Returns whether any threshold failed.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ProcessIO } from "../io.ts";
import type { TestPlan } from "../../config/plan.ts";
import type { Aggregator } from "../../metrics/aggregator.ts";
import type { AbortDecision, ThresholdEvaluator } from "../../core/thresholds/evaluator.ts";
import { buildSummary, type Summary } from "../../outputs/summary.ts";
import { renderSummaryText } from "../../outputs/summary-text.ts";
import { summaryToJson } from "../../outputs/summary-json.ts";

export type AbortInfo = AbortDecision;

export interface FinishInput {
  io: ProcessIO;
  plan: TestPlan;
  aggregator: Aggregator;
  thresholds: ThresholdEvaluator;
  elapsedMs: number;
  notes: string[];
  abort?: AbortInfo;
  summaryJson?: string;
  color: boolean;
  interrupted: boolean;
}

export async function finishRun(input: FinishInput): Promise<boolean> {
  const results = input.thresholds.evaluate(input.aggregator, input.elapsedMs);
  const notes = [...input.notes];
  if (input.interrupted) notes.unshift("the run was interrupted (Ctrl-C) before the plan's end");
  const errors = requestErrorsNote(input.aggregator, input.elapsedMs);
  if (errors) notes.push(errors);
  const summary = buildSummary(input.aggregator, results, {
    planName: input.plan.name,
    durationMs: input.elapsedMs,
    scenarios: input.plan.scenarios.map((s) => ({ name: s.name, executor: s.executor.type })),
    notes,
    aborted: input.abort ? { threshold: input.abort.key, expression: input.abort.expression, atMs: input.abort.atMs } : undefined,
  });
  emitSummary(summary, input.io, input.summaryJson, input.color);
  return !summary.thresholdsOk;
}

/** Prints the summary and writes the JSON export; shared with runs through a controller. */
export function emitSummary(summary: Summary, io: ProcessIO, summaryJson: string | undefined, color: boolean): void {
  io.stdout.write(renderSummaryText(summary, { color }) + "\n");
  if (summaryJson) {
    const path = resolve(io.cwd, summaryJson);
    writeFileSync(path, JSON.stringify(summaryToJson(summary), null, 2) + "\n");
    io.stderr.write(`summary written to ${path}\n`);
  }
}

/** "requests that got no response: 2 × ECONNREFUSED (refused), 2 × timeout (stalled)", or undefined. */
export function requestErrorsNote(aggregator: Aggregator, elapsedMs: number): string | undefined {
  const byError = new Map<string, Map<string, number>>();
  for (const series of aggregator.seriesOf("http_reqs")) {
    const error = series.tags.error;
    if (!error) continue;
    const value = aggregator.query("http_reqs", series.tags, elapsedMs);
    const count = value?.type === "counter" ? value.count : 0;
    const names = byError.get(error) ?? new Map<string, number>();
    const name = series.tags.name ?? "?";
    names.set(name, (names.get(name) ?? 0) + count);
    byError.set(error, names);
  }
  if (byError.size === 0) return undefined;
  const parts = [...byError].map(([error, names]) => {
    const total = [...names.values()].reduce((a, b) => a + b, 0);
    return `${total} × ${error} (${[...names.keys()].join(", ")})`;
  });
  return `requests that failed without a valid response: ${parts.join("; ")}`;
}
