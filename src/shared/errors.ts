import { EXIT_FAILURE, EXIT_INVALID_CONFIG, type ExitCode } from "./exit-codes.ts";

/**
 * An error a user can cause: it says what was wrong, where, and what to do (`hint`), and carries
 * the process exit code. Commands catch it at the top and print it without a stack trace.
 */
export class LoadrError extends Error {
  constructor(
    message: string,
    readonly options: { code?: string; hint?: string; exitCode?: ExitCode } = {},
  ) {
    super(message);
    this.name = "LoadrError";
  }
  get exitCode(): ExitCode {
    return this.options.exitCode ?? EXIT_FAILURE;
  }
  get hint(): string | undefined {
    return this.options.hint;
  }
}

export class ConfigError extends LoadrError {
  constructor(message: string, hint?: string) {
    super(message, { code: "config", hint, exitCode: EXIT_INVALID_CONFIG });
    this.name = "ConfigError";
  }
}
