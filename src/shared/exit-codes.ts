// Process exit codes, k6's where they apply: the contract CI pipelines rely on. Every run path
// (local, through a controller, the controller's own run API) maps its outcome with
// `exitCodeOf` in core/run/outcome.ts, never with its own literals.
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_THRESHOLDS_FAILED = 99;
/** `loadr convert`: the plan was written, but something in the input was dropped (the report lists it). */
export const EXIT_CONVERT_DROPPED = 2;
export const EXIT_INVALID_CONFIG = 104;
/** Stopped from outside before the plan's end: Ctrl-C, SIGTERM, a stop control. */
export const EXIT_EXTERNAL_ABORT = 105;
/** A user script (hook) threw. */
export const EXIT_SCRIPT_EXCEPTION = 107;
/** A user script asked to abort the test. */
export const EXIT_SCRIPT_ABORTED = 108;

export type ExitCode =
  | typeof EXIT_OK
  | typeof EXIT_FAILURE
  | typeof EXIT_CONVERT_DROPPED
  | typeof EXIT_THRESHOLDS_FAILED
  | typeof EXIT_INVALID_CONFIG
  | typeof EXIT_EXTERNAL_ABORT
  | typeof EXIT_SCRIPT_EXCEPTION
  | typeof EXIT_SCRIPT_ABORTED;
