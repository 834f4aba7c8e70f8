// `--dashboard[=HOST:PORT]` of `loadr run`: serve the web UI's run page for this local run
// (webui/dashboard-server.ts); bare, on 127.0.0.1:5665 (k6's dashboard port). Read from the raw
// arguments, as --http-debug (cli/run/http-debug-flag.ts), so `--dashboard plan.yaml` does not
// take the plan as its address. `--dashboard-exit` leaves at the end of the run instead of
// keeping the page up until Ctrl-C. Pure.
import { ConfigError } from "../../shared/errors.ts";
import { DEFAULT_DASHBOARD_ADDRESS } from "../../webui/dashboard-server.ts";

export interface DashboardFlag {
  hostname: string;
  port: number;
}

/** The address asked for by the last --dashboard flag; undefined without one. */
export function parseDashboardFlag(rawArgs: readonly string[]): DashboardFlag | undefined {
  let value: string | undefined;
  for (const arg of rawArgs) {
    if (arg === "--") break;
    if (arg === "--dashboard") value = DEFAULT_DASHBOARD_ADDRESS;
    else if (arg.startsWith("--dashboard=")) value = arg.slice("--dashboard=".length);
  }
  if (value === undefined) return undefined;
  const m = /^(?:(\[[^\]]+\]|[^:[\]]+):)?(\d+)$/.exec(value.trim());
  const port = Number(m?.[2]);
  if (!m || !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new ConfigError(`--dashboard expects HOST:PORT or PORT, got "${value}"`, `for example --dashboard=${DEFAULT_DASHBOARD_ADDRESS} (or a bare --dashboard for that address)`);
  }
  return { hostname: (m[1] ?? "127.0.0.1").replace(/^\[|\]$/g, ""), port };
}
