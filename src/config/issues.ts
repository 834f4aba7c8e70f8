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

/** `file:line:col  path: message (hint)` */
export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
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
 * Collects errors and warnings while a plan loads. Not shared across loads; single-threaded.
 * Identical issues (same path, position and message) are reported once.
 */
export class IssueCollector {
  readonly errors: ConfigIssue[] = [];
  readonly warnings: ConfigIssue[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly locate: Locator) {}

  error(path: Path, message: string, options: { hint?: string; at?: "key" | "value"; loc?: SourceLoc } = {}): void {
    this.add(this.errors, path, message, options);
  }

  warn(path: Path, message: string, options: { hint?: string; at?: "key" | "value"; loc?: SourceLoc } = {}): void {
    this.add(this.warnings, path, message, options);
  }

  private add(list: ConfigIssue[], path: Path, message: string, options: { hint?: string; at?: "key" | "value"; loc?: SourceLoc }) {
    const loc = options.loc ?? this.locate(path, options.at);
    const issue: ConfigIssue = { message, path: dotPath(path), file: loc.file, line: loc.line, column: loc.column };
    if (options.hint) issue.hint = options.hint;
    const id = `${issue.path}|${issue.line}|${issue.column}|${message}`;
    if (this.seen.has(id)) return;
    this.seen.add(id);
    list.push(issue);
  }
}
