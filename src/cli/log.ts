// Logging for the CLI and long-running commands (demo, controller, agent): consola, tagged by
// subsystem (`run`, `config`, `cluster`, `agent`, ...), on stderr so stdout carries results only.
// `--quiet` shows warnings and errors only, `--verbose` adds debug lines; NO_COLOR is respected.
import { createConsola, type ConsolaInstance } from "consola";

const LEVEL_QUIET = 1; // errors and warnings
const LEVEL_NORMAL = 3; // + info
const LEVEL_VERBOSE = 4; // + debug

const root: ConsolaInstance = createConsola({
  level: LEVEL_NORMAL,
  stdout: process.stderr,
  stderr: process.stderr,
  formatOptions: { colors: !process.env.NO_COLOR && Boolean(process.stderr.isTTY), date: false },
});

/** Sets the level for every logger from the command's flags. */
export function configureLogging(flags: { quiet?: boolean; verbose?: boolean }): void {
  root.level = flags.verbose ? LEVEL_VERBOSE : flags.quiet ? LEVEL_QUIET : LEVEL_NORMAL;
}

/** A logger tagged by subsystem, e.g. `logger("cluster").warn(...)`. */
export function logger(tag: string): ConsolaInstance {
  return root.withTag(tag);
}
