// hey (Debian): closed model with -c workers for -z seconds; `-q` is a per-worker rate limit,
// so a fixed total rate R over C workers is `-c C -q R/C`. Percentiles print with 0.1 ms
// resolution (4 decimals of seconds).
import { which } from "../proc.ts";
import type { Invocation, LoadSpec, ToolAdapter, ToolContext } from "../tool.ts";
import { debVersion } from "../tool.ts";
import type { ToolMetrics } from "../types.ts";

export function parseHey(out: string): ToolMetrics {
  const secs = (re: RegExp): number | null => {
    const m = re.exec(out);
    return m ? Number(m[1]) * 1000 : null;
  };
  let responses = 0;
  const codes = /Status code distribution:\n([\s\S]*?)(?:\n\n|$)/.exec(out)?.[1] ?? "";
  let non2xx = 0;
  for (const m of codes.matchAll(/\[(\d+)\]\s+(\d+) responses/g)) {
    responses += Number(m[2]);
    if (!m[1]!.startsWith("2")) non2xx += Number(m[2]);
  }
  let errors = 0;
  const errs = /Error distribution:\n([\s\S]*)$/.exec(out)?.[1] ?? "";
  for (const m of errs.matchAll(/^\s*\[(\d+)\]/gm)) errors += Number(m[1]);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out)?.[1];
  return {
    requests: responses + errors,
    rps: rps ? Number(rps) : null,
    p50Ms: secs(/50%+ in ([\d.]+) secs/),
    p99Ms: secs(/99%+ in ([\d.]+) secs/),
    maxMs: secs(/Slowest:\s+([\d.]+) secs/),
    errors: errors + non2xx,
  };
}

export const hey: ToolAdapter = {
  name: "hey",
  rateModel: "-q per-worker limit (-c C -q R/C); a worker waits for its response, so stalls hold the rate",
  fixedRate: true,
  missing: () => (which("hey") ? null : "hey is not installed (apt-get install hey)"),
  version: () => debVersion("hey"),
  async invocation(spec: LoadSpec, _ctx: ToolContext): Promise<Invocation> {
    const cmd = ["hey", "-z", `${spec.durationSec}s`, "-c", String(spec.connections), "-t", "10"];
    if (spec.rate) cmd.push("-q", String(spec.rate / spec.connections));
    cmd.push(spec.url);
    return { procs: [{ name: "hey", cmd, main: true }], files: [], parse: (r) => parseHey(r.stdout) };
  },
};
