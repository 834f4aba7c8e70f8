// Shared by the JMX converter's integration tests: convert a fixture through the real command
// (`loadr convert jmx FIXTURE -o DIR/plan.yaml`, in-process), validate the plan with `loadPlan`,
// and run it with `loadr run` (in-process, one worker thread) against a target.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertFile } from "../../../src/cli/commands/convert.ts";
import { memoryIO } from "../../../src/cli/io.ts";
import { runLocal } from "../../../src/cli/run/run-local.ts";
import { loadPlanFile } from "../../../src/config/load.ts";
import { BUILTINS } from "../../../src/builtins.ts";
import { WHOLE } from "../../../src/core/segment.ts";

export const JMX_FIXTURES = join(import.meta.dir, "../../fixtures/convert/jmx");

export interface Converted {
  dir: string;
  planPath: string;
  code: number;
  report: string;
  cleanup(): void;
}

/** `loadr convert jmx <fixture> -o <tmp>/plan.yaml` with the fixture's folder as the cwd. */
export function convertFixture(fixture: string): Converted {
  const dir = mkdtempSync(join(tmpdir(), "loadr-jmx-"));
  const planPath = join(dir, "plan.yaml");
  const { io, stdout, stderr } = memoryIO({}, JMX_FIXTURES);
  const code = convertFile({ kind: "jmx", input: fixture, output: planPath, rawArgs: [] }, io);
  return { dir, planPath, code, report: stdout() + stderr(), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The plan's load problems (empty when it validates), formatted. */
export async function planProblems(planPath: string, env: Record<string, string>): Promise<string[]> {
  const loaded = await loadPlanFile(planPath, env, { mode: "run", modules: BUILTINS });
  return loaded.ok ? [] : loaded.issues.map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
}

export interface LoadrRun {
  code: number;
  summary: { metrics: Record<string, Record<string, number>>; root_group?: unknown };
  stderr: string;
}

/** `loadr run plan.yaml --workers 1 --summary-json …` with `env`. */
export async function runPlan(planPath: string, env: Record<string, string>, dir: string): Promise<LoadrRun> {
  const summaryPath = join(dir, "summary.json");
  const { io, stderr } = memoryIO(env, dir);
  const code = await runLocal({ planPath, env: io.env, workers: 1, segment: WHOLE, summaryJson: summaryPath, quiet: true, color: false }, io);
  let summary: LoadrRun["summary"] = { metrics: {} };
  try {
    summary = JSON.parse(readFileSync(summaryPath, "utf8"));
  } catch {
    // no summary: the run failed before writing it; `code` and `stderr` say why
  }
  return { code, summary, stderr: stderr() };
}

/** Splits one VU's request sequence into iterations by the first request of each. */
export function iterations(sequence: readonly string[], first: string): string[][] {
  const out: string[][] = [];
  for (const request of sequence) {
    if (request === first || out.length === 0) out.push([]);
    out[out.length - 1]!.push(request);
  }
  return out;
}
