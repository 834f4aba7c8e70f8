// `--http-debug[=full|unsafe]` (or LOADR_HTTP_DEBUG): print each HTTP exchange on stderr, as k6's
// --http-debug. Bare: request and response heads; `full`: bodies too; `unsafe`: bodies, and
// credentials (authorization, cookie, set-cookie) as sent instead of [redacted]. A boolean for
// citty (so `--http-debug plan.yaml` does not take the plan as its value); read from the raw args.
import type { ProtocolDebugOptions } from "../../protocols/types.ts";
import { ConfigError } from "../../shared/errors.ts";

const LEVELS: Record<string, ProtocolDebugOptions> = {
  "": { bodies: false, unsafe: false },
  headers: { bodies: false, unsafe: false },
  full: { bodies: true, unsafe: false },
  unsafe: { bodies: true, unsafe: true },
};

/** The debug output asked for by the last `--http-debug` flag, else by `envValue`; undefined: none. */
export function parseHttpDebug(rawArgs: readonly string[], envValue: string | undefined): ProtocolDebugOptions | undefined {
  let value: string | undefined;
  let from = "--http-debug";
  for (const arg of rawArgs) {
    if (arg === "--") break;
    if (arg === "--http-debug") value = "";
    else if (arg.startsWith("--http-debug=")) value = arg.slice("--http-debug=".length);
  }
  if (value === undefined && envValue) {
    value = envValue === "1" || envValue === "true" ? "" : envValue;
    from = "LOADR_HTTP_DEBUG";
  }
  if (value === undefined) return undefined;
  const level = Object.hasOwn(LEVELS, value) ? LEVELS[value] : undefined;
  if (!level) throw new ConfigError(`${from}: unknown level "${value}"`, "use --http-debug (heads), --http-debug=full (and bodies) or --http-debug=unsafe (and credentials)");
  return level;
}
