// Process exit codes: the contract CI pipelines rely on (DESIGN.md "User-facing contracts").
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_THRESHOLDS_FAILED = 99;
export const EXIT_INVALID_CONFIG = 104;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILURE | typeof EXIT_THRESHOLDS_FAILED | typeof EXIT_INVALID_CONFIG;
