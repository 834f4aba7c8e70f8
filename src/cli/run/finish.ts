// The end every run shares on the CLI (local, or through a controller): the summary on stdout,
// --summary-json, --summary-junit and --summary-markdown written (the Markdown is appended to
// $GITHUB_STEP_SUMMARY when that is set and no --summary-markdown is given). The summary itself comes from the run loop's `finish`
// (core/run/run-loop.ts) or from the controller; this file only emits it.
import { appendFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ProcessIO } from "../io.ts";
import type { Summary } from "../../core/run/summary.ts";
import { renderSummaryText } from "../../outputs/summary-text.ts";
import { summaryToJson } from "../../outputs/summary-json.ts";
import { renderSummaryJunit } from "../../outputs/summary-junit.ts";
import { renderSummaryMarkdown } from "../../outputs/summary-markdown.ts";
import { LoadrError } from "../../shared/errors.ts";
import { EXIT_FAILURE, EXIT_OK } from "../../shared/exit-codes.ts";

interface EmitOptions {
  /** Write the JSON export to this file (relative to the cwd). */
  summaryJson?: string;
  color: boolean;
  /** `--no-summary`: nothing on stdout (the JSON export is still written). */
  noSummary?: boolean;
  /** `--summary-junit FILE`, `--summary-markdown FILE` (relative to the cwd). */
  summaryJunit?: string;
  summaryMarkdown?: string;
  /** The run's exit code, for the CI summaries' verdict. */
  exitCode?: number;
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
  if (options.summaryJunit) {
    const path = resolve(io.cwd, options.summaryJunit);
    write(path, renderSummaryJunit(summary, options.exitCode), "--summary-junit");
    io.stderr.write(`JUnit summary written to ${path}\n`);
  }
  const markdown = () => renderSummaryMarkdown(summary, options.exitCode);
  if (options.summaryMarkdown) {
    const path = resolve(io.cwd, options.summaryMarkdown);
    write(path, markdown(), "--summary-markdown");
    io.stderr.write(`Markdown summary written to ${path}\n`);
  } else if (io.env.GITHUB_STEP_SUMMARY) {
    const path = resolve(io.cwd, io.env.GITHUB_STEP_SUMMARY);
    try {
      appendFileSync(path, markdown() + "\n");
    } catch (error) {
      io.stderr.write(`loadr: could not append the Markdown summary to GITHUB_STEP_SUMMARY (${path}): ${(error as Error).message}\n`);
    }
  }
}

/**
 * One end-of-run write (the summary files, the report). A failure is printed, and the exit code
 * of a run that passed becomes 1 (a file a CI step expects must not go missing silently); a run
 * that did not pass keeps its own code (99, 105, …), which says more.
 */
export async function writeAtEnd(exitCode: number, io: ProcessIO, write: () => unknown): Promise<number> {
  try {
    await write();
    return exitCode;
  } catch (error) {
    const hint = error instanceof LoadrError && error.hint ? `\n  hint: ${error.hint}` : "";
    io.stderr.write(`loadr: ${(error as Error)?.message ?? String(error)}${hint}\n`);
    return exitCode === EXIT_OK ? EXIT_FAILURE : exitCode;
  }
}

function write(path: string, text: string, flag: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new LoadrError(`${flag} ${path}: the file cannot be written (${(error as Error).message})`, { hint: "give a path in an existing, writable directory" });
  }
}
