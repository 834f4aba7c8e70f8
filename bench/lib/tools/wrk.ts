// wrk (Debian 4.1): closed model, threads = cores (or --workers), `--latency` for the percentile table.
// It has no rate limiter (that is wrk2), so under a "fixed rate" it runs closed with few
// connections sized to reach about the rate at the known delay.
import { which } from "../proc.ts";
import type { Invocation, LoadSpec, ToolAdapter, ToolContext } from "../tool.ts";
import { debVersion, durationToMs } from "../tool.ts";
import type { ToolMetrics } from "../types.ts";

export function parseWrk(out: string): ToolMetrics {
  const num = (re: RegExp): string | null => re.exec(out)?.[1] ?? null;
  const pct = (p: string): number | null => {
    const v = num(new RegExp(`^\\s*${p}%\\s+(\\S+)`, "m"));
    return v ? durationToMs(v) : null;
  };
  const latencyLine = /^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)/m.exec(out);
  const requests = num(/(\d+) requests in /);
  const rps = num(/Requests\/sec:\s+([\d.]+)/);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = num(/Non-2xx or 3xx responses: (\d+)/);
  const errors = (sock ? sock.slice(1, 5).reduce((s, v) => s + Number(v), 0) : 0) + Number(non2xx ?? 0);
  return {
    requests: requests === null ? null : Number(requests),
    rps: rps === null ? null : Number(rps),
    p50Ms: pct("50"),
    p99Ms: pct("99"),
    maxMs: latencyLine ? durationToMs(latencyLine[3]!) : null,
    errors,
  };
}

export const wrk: ToolAdapter = {
  name: "wrk",
  rateModel: "no rate limiter (wrk2 is not packaged): closed loop, connections = rate × delay",
  fixedRate: false,
  missing: () => (which("wrk") ? null : "wrk is not installed (apt-get install wrk)"),
  version: () => debVersion("wrk"),
  async invocation(spec: LoadSpec, ctx: ToolContext): Promise<Invocation> {
    const threads = Math.max(1, Math.min(ctx.workers ?? ctx.cores, spec.connections));
    const cmd = ["wrk", "-t", String(threads), "-c", String(spec.connections), "-d", `${spec.durationSec}s`];
    cmd.push("--timeout", "10s", "--latency", spec.url);
    return { procs: [{ name: "wrk", cmd, main: true }], files: [], parse: (r) => parseWrk(r.stdout) };
  },
};

