// autocannon (npm): closed model over -c connections for -d seconds, one process (its default);
// `--overallRate R` caps the total rate, but each connection still waits for its response.
import { existsSync } from "node:fs";
import type { Invocation, LoadSpec, ToolAdapter, ToolContext } from "../tool.ts";
import type { ToolMetrics } from "../types.ts";
import { nodeBin, npmToolPath, npmToolVersion } from "./npm-tools.ts";

const BIN = npmToolPath("autocannon", "autocannon.js");

interface AutocannonJson {
  requests: { total: number; mean: number; sent?: number };
  latency: { p50: number; p99: number; max: number; totalCount?: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}

export function parseAutocannon(out: string): ToolMetrics {
  const start = out.indexOf("{");
  if (start < 0) throw new Error("autocannon printed no JSON");
  const r = JSON.parse(out.slice(start)) as AutocannonJson;
  return {
    requests: r.requests.total,
    rps: r.duration > 0 ? r.requests.total / r.duration : r.requests.mean,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    errors: r.errors + r.non2xx,
    latencySamples: r.latency.totalCount,
  };
}

export const autocannon: ToolAdapter = {
  name: "autocannon",
  rateModel: "--overallRate R over C connections; each connection waits for its response",
  fixedRate: true,
  missing: () => (existsSync(BIN) ? null : `autocannon is not installed in bench/.tools (npm install --prefix bench/.tools --ignore-scripts autocannon)`),
  version: async () => npmToolVersion("autocannon"),
  async invocation(spec: LoadSpec, _ctx: ToolContext): Promise<Invocation> {
    const cmd = [nodeBin(), BIN, "-c", String(spec.connections), "-d", String(spec.durationSec), "-t", "10", "--json"];
    if (spec.rate) cmd.push("--overallRate", String(spec.rate));
    cmd.push(spec.url);
    return { procs: [{ name: "autocannon", cmd, main: true }], files: [], parse: (r) => parseAutocannon(r.stdout) };
  },
};
