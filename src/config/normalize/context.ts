// Shared state of one normalization pass, and tolerant readers over the raw YAML data.
// The normalizer runs even when the schema found problems (to find template, CSV and threshold
// problems too), so every reader accepts anything and falls back quietly: the schema has
// already reported a wrong shape.
import { isAbsolute, join } from "node:path";
import type { IssueCollector, Path } from "../issues.ts";
import type { Ms, PlanSource, SourceLoc, Template } from "../plan.ts";
import type { PlanSyntax } from "../syntax.ts";
import { parseDuration } from "../duration.ts";
import type { PlanFiles } from "../plan-files.ts";
import type { HooksInfo } from "./hooks.ts";
import { regexError } from "../schema/helpers.ts";
import { VARIABLE_NAME } from "../expression/evaluator.ts";
import { scalarOffsetLoc } from "../string-position.ts";
import { compileTemplate, literalTemplate, type TemplateContext } from "../templates.ts";

export interface NormalizeContext {
  source: PlanSource;
  /** The modules the plan may use: step kinds, protocols, executors, metrics. */
  syntax: PlanSyntax;
  mode: "run" | "validate";
  issues: IssueCollector;
  /** Feed name → columns (undefined when its file could not be read). */
  feeds: Map<string, string[] | undefined>;
  /** Data files referenced, as written, in first-seen order. */
  files: string[];
  /** Whether the plan has a `baseUrl` key. */
  hasBaseUrl: boolean;
  /** Where data files (CSV, CA certificates) are read from; see config/plan-files.ts. */
  planFiles: PlanFiles;
  /** False on a controller: the hooks module is checked for presence only, never read (LoadOptions.readUserCode). */
  readUserCode?: boolean;
  /** The plan's hooks module, once `hooks:` is normalized (before the scenarios); for `js` steps and checks. */
  hooks?: HooksInfo;
}

/** Per-scenario environment for `${env.*}` (the process env overlaid with the scenario's `env`). */
export type Env = Record<string, string | undefined>;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
export const rec = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
export const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
export const str = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
export const num = (value: unknown, fallback: number): number => (typeof value === "number" && Number.isFinite(value) ? value : fallback);
export const bool = (value: unknown, fallback: boolean): boolean => (typeof value === "boolean" ? value : fallback);

/** Milliseconds; the fallback when absent or malformed (the schema reported that). */
export function ms(value: unknown, fallback: Ms): Ms {
  if (value === undefined) return fallback;
  const parsed = parseDuration(value);
  return typeof parsed === "number" ? parsed : fallback;
}

/** The template context of the string at `path`: problems at an offset point at that character. */
export function templateContext(ctx: NormalizeContext, path: Path, env: Env, runtime = true): TemplateContext {
  const at = (offset: number | undefined) =>
    offset === undefined ? undefined : scalarOffsetLoc(ctx.source.text, ctx.issues.locate(path), offset);
  return {
    env,
    mode: ctx.mode,
    feeds: ctx.feeds,
    runtime,
    error: (message, hint, offset) => ctx.issues.error(path, message, withLoc({ hint }, at(offset))),
    warn: (message, hint, offset) => ctx.issues.warn(path, message, withLoc({ hint }, at(offset))),
  };
}

function withLoc<T extends object>(options: T, loc: SourceLoc | undefined): T & { loc?: SourceLoc } {
  return loc ? { ...options, loc } : options;
}

/** Compiles the string at `path` (numbers and booleans are stringified). */
export function template(ctx: NormalizeContext, value: unknown, path: Path, env: Env, runtime = true): Template {
  const text = str(value);
  if (text === undefined) return literalTemplate("");
  return compileTemplate(text, templateContext(ctx, path, env, runtime));
}

export function addFile(ctx: NormalizeContext, path: string): void {
  if (!ctx.files.includes(path)) ctx.files.push(path);
}

/** Where a plan-relative path is on disk. */
export function resolveFile(ctx: NormalizeContext, path: string): string {
  return isAbsolute(path) ? path : join(ctx.source.baseDir, path);
}

/** The RegExp of a pattern, or undefined when it does not compile (the schema reported it). */
export function regexOf(pattern: string): RegExp | undefined {
  return regexError(pattern) === undefined ? new RegExp(pattern) : undefined;
}

/** Reports a `set:`/`extract:` name that templates could not refer to as `${vars.NAME}`. */
export function checkVariableName(ctx: NormalizeContext, path: Path, name: string): void {
  if (!VARIABLE_NAME.test(name)) {
    ctx.issues.error(path, `"${name}" is not a variable name (letters, digits, _ and -; not starting with a digit)`, { at: "key" });
  }
}
