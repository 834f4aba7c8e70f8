import { ConfigError } from "../../shared/errors.ts";
import { repeatedFlag } from "./repeated-flag.ts";

/**
 * Collects repeated `--env NAME=VALUE` (or `-e NAME=VALUE`) flags from raw arguments, since
 * citty keeps only the last value of a repeated flag. Values override the process environment.
 */
export function envFromArgs(rawArgs: readonly string[], base: Record<string, string | undefined>): Record<string, string | undefined> {
  const env = { ...base };
  for (const pair of repeatedFlag(rawArgs, ["--env", "-e"])) {
    const eq = pair?.indexOf("=") ?? -1;
    if (pair === undefined || eq <= 0) {
      throw new ConfigError(`--env expects NAME=VALUE, got "${pair ?? ""}"`, "write it like --env BASE_URL=http://127.0.0.1:8080");
    }
    env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return env;
}
