// Logging for the CLI and long-running commands (demo, controller, agent): consola, tagged by
// subsystem (`run`, `config`, `cluster`, `agent`, ...), on stderr so stdout carries results only.
// `--quiet` shows warnings and errors only, `--verbose` adds debug lines; NO_COLOR is respected.
// `--log-format json` makes every log line one JSON object `{time, level, subsystem, message}`
// (k6's --log-format json); `jsonLogWriter` does the same for text a command writes to stderr.
import { formatWithOptions } from "node:util";
import { createConsola, type ConsolaInstance, type ConsolaReporter, type LogObject } from "consola";
import { ConfigError } from "../shared/errors.ts";
import type { Writer } from "./io.ts";

const LEVEL_QUIET = 1; // errors and warnings
const LEVEL_NORMAL = 3; // + info
const LEVEL_VERBOSE = 4; // + debug

export type LogFormat = "text" | "json";

const root: ConsolaInstance = createConsola({
  level: LEVEL_NORMAL,
  stdout: process.stderr,
  stderr: process.stderr,
  formatOptions: { colors: !process.env.NO_COLOR && Boolean(process.stderr.isTTY), date: false },
});
const textReporters = [...root.options.reporters];
/** Every tagged logger handed out: consola copies its options per child, so each is configured. */
const children = new Map<string, ConsolaInstance>();

/** One JSON log line (with its newline). */
export function jsonLogLine(level: string, subsystem: string, message: string, time = new Date()): string {
  return `${JSON.stringify({ time: time.toISOString(), level, subsystem, message })}\n`;
}

const jsonReporter: ConsolaReporter = {
  log(entry: LogObject) {
    const message = formatWithOptions({ colors: false }, ...entry.args);
    process.stderr.write(jsonLogLine(entry.type, entry.tag || "loadr", message, entry.date));
  },
};

/** `--log-format` (or LOADR_LOG_FORMAT): "text" (default) or "json". */
export function parseLogFormat(value: string | undefined): LogFormat {
  if (value === undefined || value === "text" || value === "json") return value ?? "text";
  throw new ConfigError(`--log-format expects text or json, got "${value}"`, "e.g. --log-format json (one JSON object per line on stderr)");
}

/** Sets the level and format of every logger from the command's flags. */
export function configureLogging(flags: { quiet?: boolean; verbose?: boolean; format?: LogFormat }): void {
  const level = flags.verbose ? LEVEL_VERBOSE : flags.quiet ? LEVEL_QUIET : LEVEL_NORMAL;
  const reporters = flags.format === "json" ? [jsonReporter] : textReporters;
  for (const instance of [root, ...children.values()]) {
    instance.level = level;
    instance.setReporters(reporters);
  }
}

/** A logger tagged by subsystem, e.g. `logger("cluster").warn(...)`. */
export function logger(tag: string): ConsolaInstance {
  let child = children.get(tag);
  if (!child) children.set(tag, (child = root.withTag(tag)));
  return child;
}

/**
 * A stderr writer for `--log-format json`: each complete line written becomes one JSON log line
 * at `level` (a leading "loadr: " dropped). Never a terminal, so nothing rewrites a line in place.
 */
export function jsonLogWriter(base: Writer, subsystem: string, level = "info"): Writer {
  let pending = "";
  return {
    isTTY: false,
    write(text) {
      pending += text.replace(/\r\x1b\[2K/g, "");
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, newline).replace(/^loadr: /, "");
        pending = pending.slice(newline + 1);
        if (line.trim() !== "") base.write(jsonLogLine(level, subsystem, line));
      }
    },
  };
}
