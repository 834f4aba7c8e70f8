import { ConfigError } from "../../shared/errors.ts";

/**
 * Collects repeated `--env NAME=VALUE` (or `-e NAME=VALUE`) flags from raw arguments, since
 * citty keeps only the last value of a repeated flag. Values override the process environment.
 */
export function envFromArgs(rawArgs: readonly string[], base: Record<string, string | undefined>): Record<string, string | undefined> {
  const env = { ...base };
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    let pair: string | undefined;
    if (arg === "--env" || arg === "-e") pair = rawArgs[++i];
    else if (arg.startsWith("--env=")) pair = arg.slice("--env=".length);
    else continue;
    const eq = pair?.indexOf("=") ?? -1;
    if (pair === undefined || eq <= 0) {
      throw new ConfigError(`--env expects NAME=VALUE, got "${pair ?? ""}"`, "write it like --env BASE_URL=http://127.0.0.1:8080");
    }
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}
