// Config problems: each one with its dot path and `file:line:col`, all printed under one heading
// Loading collects every problem; it never stops at the first.
import type { SourceLoc } from "./plan.ts";

export interface ConfigIssue {
  message: string;
  /** Dot path into the plan, e.g. `scenarios.browse.executor`; "" for the document itself. */
  path: string;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  hint?: string;
}

/** A path into the YAML document: map keys and sequence indexes. */
export type Path = ReadonlyArray<string | number>;

export function dotPath(path: Path): string {
  return path.map(String).join(".");
}

/** Where a problem with a command-line flag is reported (`line` 0: not in a file). */
const COMMAND_LINE = "command line";

/** `file:line:col  path: message (hint)`; `command line  --flag: message (hint)` for a flag. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const what = issue.path ? `${issue.path}: ${issue.message}` : issue.message;
  return `${where}  ${what}${issue.hint ? ` (${issue.hint})` : ""}`;
}

/** All issues under one heading, sorted by position; ends with a newline. */
export function formatIssues(issues: readonly ConfigIssue[], heading?: string): string {
  const count = issues.length;
  const title = heading ?? `invalid plan: ${count} problem${count === 1 ? "" : "s"}`;
  const sorted = [...issues].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return `${title}\n${sorted.map((issue) => `  ${formatIssue(issue)}`).join("\n")}\n`;
}

/** Maps a path to where it is written; `key` points at the key of a map entry, `value` at its value. */
export type Locator = (path: Path, at?: "key" | "value") => SourceLoc;

/**
 * Where a value of the data being validated came from: a path in the YAML as written (it may
 * have moved: config/shorthand.ts builds a scenario from top-level keys) or a flag of the command
 * line (config/overrides.ts).
 */
export type Origin = { path: Path } | { flag: string };

/** Maps a path of the data being validated to its origin; identity when nothing was moved. */
export type OriginOf = (path: Path) => Origin;

/**
 * The origins of data some of whose values were moved: `rules` map a path prefix of the data to
 * an origin (the longest matching prefix wins; the rest of the path follows a moved path, and is
 * dropped for a flag); paths no rule matches are passed to `then` unchanged.
 */
export function movedOrigins(rules: ReadonlyArray<readonly [Path, Origin]>, then: OriginOf = (path) => ({ path })): OriginOf {
  return (path) => {
    let best: readonly [Path, Origin] | undefined;
    for (const rule of rules) {
      const [prefix] = rule;
      if (prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]) && (!best || prefix.length > best[0].length)) best = rule;
    }
    if (!best) return then(path);
    const [prefix, origin] = best;
    return "flag" in origin ? origin : then([...origin.path, ...path.slice(prefix.length)]);
  };
}

type IssueOptions = { hint?: string; at?: "key" | "value"; loc?: SourceLoc };

/**
 * Collects errors and warnings while a plan loads. Not shared across loads; single-threaded.
 * Identical issues (same path, position and message) are reported once. Paths are those of the
 * data being validated; `origin` turns each into the path as written (or the flag that set it)
 * for the message and its position.
 */
export class IssueCollector {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];
  private readonly seen = new Set<string>();
  origin: OriginOf = (path) => ({ path });

  constructor(private readonly locateWritten: Locator) {}

  /** Where the value at `path` is written (for a flag: the command line). */
  readonly locate: Locator = (path, at) => {
    const origin = this.origin(path);
    return "flag" in origin ? { file: COMMAND_LINE, line: 0, column: 0 } : this.locateWritten(origin.path, at);
  };

  error(path: Path, message: string, options: IssueOptions = {}): void {
    this.add(this.errors, path, message, options);
  }

  warn(path: Path, message: string, options: IssueOptions = {}): void {
    this.add(this.warnings, path, message, options);
  }

  /** A problem with a command-line flag itself (e.g. `--scenario` naming no scenario). */
  flagError(flag: string, message: string, hint?: string): void {
    this.push(this.errors, { message, path: flag, file: COMMAND_LINE, line: 0, column: 0 }, hint);
  }

  private add(list: ConfigIssue[], path: Path, message: string, options: IssueOptions) {
    const origin = this.origin(path);
    if ("flag" in origin) return this.push(list, { message, path: origin.flag, file: COMMAND_LINE, line: 0, column: 0 }, options.hint);
    const loc = options.loc ?? this.locateWritten(origin.path, options.at);
    this.push(list, { message, path: dotPath(origin.path), file: loc.file, line: loc.line, column: loc.column }, options.hint);
  }

  private push(list: ConfigIssue[], issue: ConfigIssue, hint: string | undefined) {
    if (hint) issue.hint = hint;
    const id = `${issue.path}|${issue.line}|${issue.column}|${issue.message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    list.push(issue);
  }
}
