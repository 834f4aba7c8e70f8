// The end every run shares on the CLI (local, or through a controller): the summary on stdout
// and --summary-json written. The summary itself comes from the run loop's `finish`
// (core/run/run-loop.ts) or from the controller; this file only emits it.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ProcessIO } from "../io.ts";
import type { Summary } from "../../core/run/summary.ts";
import { renderSummaryText } from "../../outputs/summary-text.ts";
import { summaryToJson } from "../../outputs/summary-json.ts";

interface EmitOptions {
  /** Write the JSON export to this file (relative to the cwd). */
  summaryJson?: string;
  color: boolean;
  /** `--no-summary`: nothing on stdout (the JSON export is still written). */
  noSummary?: boolean;
}

/** Prints the summary and writes the JSON export. */
export function emitSummary(summary: Summary, io: ProcessIO, options: EmitOptions): void {
  const { summaryJson, color } = options;
  if (!options.noSummary) io.stdout.write(renderSummaryText(summary, { color }) + "\n");
  if (summaryJson) {
    const path = resolve(io.cwd, summaryJson);
    writeFileSync(path, JSON.stringify(summaryToJson(summary), null, 2) + "\n");
    io.stderr.write(`summary written to ${path}\n`);
  }
}
