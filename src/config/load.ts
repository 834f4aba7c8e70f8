// Loading a plan: YAML → `loadr run`'s k6 flags (overrides.ts) → the top-level load model as its
// scenario (shorthand.ts) → schema check → normalization → TestPlan, collecting every problem.
// Deterministic: the same source (text, env, files) gives an equivalent plan, which is how
// worker threads and agents get the plan (they load it again from its `PlanSource`).
// Synchronous apart from `loadPlanFile` reading the plan itself; data files are read here.
import { open } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { IssueCollector, movedOrigins, type ConfigIssue } from "./issues.ts";
import { createLocator } from "./locate.ts";
import type { PlanSource, TestPlan } from "./plan.ts";
import type { PlanSyntax } from "./syntax.ts";
import { normalizePlan } from "./normalize/plan.ts";
import { desugarShorthand } from "./shorthand.ts";
import { applyOverrides, type PlanOverrides } from "./overrides.ts";
import { validateShape } from "./schema/validate.ts";
import { diskFiles, type PlanFiles } from "./plan-files.ts";
import { MAX_PLAN_BYTES, planSizeProblem, structureProblems } from "./yaml-structure.ts";

export interface LoadOptions {
  /** "run" (default): an unset env var without default is an error. "validate": a warning. */
  mode?: "run" | "validate";
  /** Where data files come from (default: the plan's directory on disk, each capped at 256 MiB). */
  files?: PlanFiles;
  /** `loadPlanFile` only: the cap on one data file on disk, carried in the source to workers (`--max-data-size`). */
  maxDataBytes?: number;
  /**
   * The modules the plan may use (step kinds, protocols, executors, core metrics): the built-ins
   * are `BUILTINS` (src/builtins.ts), merged with any extra modules by `mergeModules`.
   */
  modules: PlanSyntax;
  /**
   * False: the plan's hooks module is only checked to be among `files`, never read (a controller
   * neither reads nor runs user code on behalf of a plan). Default true.
   */
  readUserCode?: boolean;
}

export type LoadResult =
  | { ok: true; plan: TestPlan; warnings: ConfigIssue[] }
  | { ok: false; issues: ConfigIssue[]; warnings: ConfigIssue[] };

export function loadPlan(source: PlanSource, options: LoadOptions): LoadResult {
  const tooBig = planSizeProblem(source.text);
  if (tooBig) {
    const issue: ConfigIssue = { message: tooBig.message, hint: tooBig.hint, path: "", file: source.file, line: 1, column: 1 };
    return { ok: false, issues: [issue], warnings: [] };
  }
  const lineCounter = new LineCounter();
  // Duplicate keys are found by structureProblems (linear); the parser's own check is quadratic.
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const locate = createLocator(doc, lineCounter, source.file);
  const issues = new IssueCollector(locate);
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: source.file, line, column: col };
  };
  for (const warning of doc.warnings) issues.warn([], firstLine(warning.message), { loc: at(warning.pos[0]) });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) issues.error([], `YAML: ${firstLine(error.message)}`, { loc: at(error.pos[0]) });
    return { ok: false, issues: issues.errors, warnings: issues.warnings };
  }
  const structure = structureProblems(doc, lineCounter);
  if (structure.length > 0) {
    for (const problem of structure) issues.error([], problem.message, { loc: at(problem.offset), hint: problem.hint });
    return { ok: false, issues: byPosition(issues.errors), warnings: issues.warnings };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    issues.error([], `YAML: ${(error as Error).message}`);
    return { ok: false, issues: issues.errors, warnings: issues.warnings };
  }
  const overridden = applyOverrides(data, source.overrides, options.modules, issues);
  const byFlags = movedOrigins(overridden.origins);
  issues.origin = byFlags;
  const shorthand = desugarShorthand(overridden.data, options.modules.shortcuts, issues);
  data = shorthand.data;
  issues.origin = movedOrigins(shorthand.origins, byFlags);
  validateShape(data, issues, options.modules);
  const plan = normalizePlan(data, {
    source,
    syntax: options.modules,
    mode: options.mode ?? "run",
    issues,
    feeds: new Map(),
    files: [],
    hasBaseUrl: typeof data === "object" && data !== null && "baseUrl" in data,
    planFiles: options.files ?? diskFiles(source.baseDir, source.maxDataBytes),
    ...(options.readUserCode === false ? { readUserCode: false } : {}),
  });
  if (issues.errors.length > 0) return { ok: false, issues: byPosition(issues.errors), warnings: byPosition(issues.warnings) };
  // --no-thresholds: checked like any others, then not evaluated.
  if (source.overrides?.noThresholds) plan.thresholds = [];
  return { ok: true, plan, warnings: byPosition(issues.warnings) };
}

/**
 * Reads and loads the plan at `path` (relative paths resolve against the process cwd); data
 * files resolve against the plan's directory. A missing or unreadable plan is one issue.
 * `overrides` (`loadr run`'s k6 flags) go into the plan's source, so worker threads that load it
 * again apply them too.
 */
export async function loadPlanFile(
  path: string,
  env: Record<string, string | undefined>,
  options: LoadOptions,
  overrides?: PlanOverrides,
): Promise<LoadResult> {
  let text: string;
  try {
    text = await readBounded(path, MAX_PLAN_BYTES + 1);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === "ENOENT" ? `plan file not found: ${resolve(path)}` : `cannot read plan file ${resolve(path)}: ${(error as Error).message}`;
    const issue: ConfigIssue = { message, path: "", file: path, line: 1, column: 1, hint: "check the path; it is relative to the current directory" };
    return { ok: false, issues: [issue], warnings: [] };
  }
  const source: PlanSource = { text, file: path, baseDir: dirname(resolve(path)), env, ...(overrides ? { overrides } : {}) };
  if (options.maxDataBytes !== undefined) source.maxDataBytes = options.maxDataBytes;
  return loadPlan(source, options);
}

/** Issues in the order they appear in the file (stable for equal positions). */
function byPosition(list: ConfigIssue[]): ConfigIssue[] {
  return [...list].sort((a, b) => a.line - b.line || a.column - b.column);
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

/** At most `limit` bytes of the file as UTF-8 (a plan past the limit is refused by size, and `/dev/zero` ends). */
async function readBounded(path: string, limit: number): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(limit);
    let length = 0;
    while (length < limit) {
      const { bytesRead } = await handle.read(buffer, length, limit - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length).toString("utf8");
  } finally {
    await handle.close();
  }
}
