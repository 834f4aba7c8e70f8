// Artillery 2 (npm, installed with --ignore-scripts). Throughput: C VUs looping on their own
// keep-alive connection until a deadline (plans/artillery-closed.yaml). Latency: its native open
// model, `arrivalRate: R`, one request per VU on a new connection (plans/artillery-rate.yaml).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PLANS_DIR, writePlan } from "../template.ts";
import type { Invocation, LoadSpec, ToolAdapter, ToolContext } from "../tool.ts";
import type { ToolMetrics } from "../types.ts";
import { nodeBin, npmToolPath, npmToolVersion } from "./npm-tools.ts";

const BIN = npmToolPath("artillery", join("bin", "run"));

interface ArtilleryReport {
  aggregate: {
    counters: Record<string, number>;
    rates?: Record<string, number>;
    summaries: Record<string, { median: number; p50?: number; p99: number; max: number } | undefined>;
    firstMetricAt?: number;
    lastMetricAt?: number;
  };
}

export function parseArtillery(json: string): ToolMetrics {
  const agg = (JSON.parse(json) as ArtilleryReport).aggregate;
  const c = agg.counters;
  const rt = agg.summaries["http.response_time"];
  let errors = 0;
  for (const [k, v] of Object.entries(c)) {
    if (k.startsWith("errors.")) errors += v;
    else if (/^http\.codes\.[^2]/.test(k)) errors += v;
  }
  const requests = c["http.requests"] ?? null;
  const spanSec = agg.firstMetricAt && agg.lastMetricAt ? (agg.lastMetricAt - agg.firstMetricAt) / 1000 : 0;
  return {
    requests,
    rps: agg.rates?.["http.request_rate"] ?? (requests !== null && spanSec > 0 ? requests / spanSec : null),
    p50Ms: rt ? (rt.p50 ?? rt.median) : null,
    p99Ms: rt?.p99 ?? null,
    maxMs: rt?.max ?? null,
    errors,
  };
}

export const artillery: ToolAdapter = {
  name: "artillery",
  rateModel: "native open model: arrivalRate R, one request per new VU (and connection)",
  fixedRate: true,
  missing: () => (existsSync(BIN) ? null : "artillery is not installed in bench/.tools (npm install --prefix bench/.tools --ignore-scripts artillery@2)"),
  version: async () => npmToolVersion("artillery"),
  async invocation(spec: LoadSpec, ctx: ToolContext): Promise<Invocation> {
    const url = new URL(spec.url);
    const script = `${ctx.prefix}-artillery.yaml`;
    const report = `${ctx.prefix}-artillery-report.json`;
    const values = {
      TARGET: url.origin,
      PATH: url.pathname,
      VUS: spec.connections,
      DURATION: spec.durationSec,
      DURATION_MS: spec.durationSec * 1000,
      RATE: spec.rate ?? 0,
      PROCESSOR: join(PLANS_DIR, "artillery-deadline.cjs"),
    };
    writePlan(spec.rate ? "artillery-rate.yaml" : "artillery-closed.yaml", ctx.dir, script, values);
    const cmd = [nodeBin(), BIN, "run", "--output", join(ctx.dir, report), join(ctx.dir, script)];
    const env = { ARTILLERY_DISABLE_TELEMETRY: "true", BENCH_DURATION_MS: String(spec.durationSec * 1000) };
    return {
      procs: [{ name: "artillery", cmd, env, main: true }],
      files: [script, report],
      parse: () => {
        const file = join(ctx.dir, report);
        if (!existsSync(file)) throw new Error(`artillery wrote no ${file}`);
        return parseArtillery(readFileSync(file, "utf8"));
      },
    };
  },
};
