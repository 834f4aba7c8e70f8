// loadr itself: the compiled binary (dist/loadr-<os>-<arch>, `npm run build`) by default, or
// `bun src/main.ts` with --loadr source, or any binary path. A missing binary is an error with
// the fix in it, never a silent skip. Results come from `--summary-json` (k6's summary shape).
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { writePlan } from "../template.ts";
import type { Invocation, LoadSpec, ToolAdapter, ToolContext } from "../tool.ts";
import type { ToolMetrics } from "../types.ts";

export const REPO_DIR = join(import.meta.dir, "..", "..", "..");
export const BINARY = join(REPO_DIR, "dist", `loadr-${process.platform}-${process.arch}`);
const SOURCE_MAIN = join(REPO_DIR, "src", "main.ts");

export interface LoadrCommand {
  mode: "binary" | "source" | "path";
  argv: string[];
}

/** The command that runs loadr for the --loadr option, or an error message saying how to fix it. */
export function resolveLoadr(option: string): LoadrCommand | { error: string } {
  if (option === "source") {
    if (!existsSync(SOURCE_MAIN)) return { error: `--loadr source: ${SOURCE_MAIN} does not exist` };
    return { mode: "source", argv: [process.execPath, SOURCE_MAIN] };
  }
  if (option === "auto" || option === "binary") {
    if (!existsSync(BINARY)) {
      const rel = relative(process.cwd(), BINARY) || BINARY;
      return {
        error: `the loadr binary ${rel} does not exist. Build it with \`npm run build\`, run from source with \`--loadr source\`, or leave loadr out with \`--tools wrk,hey,...\` and \`--only throughput,latency\`.`,
      };
    }
    return { mode: "binary", argv: [BINARY] };
  }
  if (!existsSync(option)) return { error: `--loadr ${option}: no such file` };
  return { mode: "path", argv: [option] };
}

interface Trend {
  med?: number;
  max?: number;
  "p(50)"?: number;
  "p(99)"?: number;
}
interface Summary {
  notes?: string[];
  dropped_iterations?: number;
  metrics: {
    vus?: { max?: number };
    http_reqs?: { count: number; rate: number };
    http_req_duration?: Trend;
    http_req_failed?: { passes: number; fails: number; rate?: number };
  };
}

/** Reads a loadr summary export. http_req_failed counts failures as "passes" (k6's rate shape). */
export function parseLoadrSummary(json: string): ToolMetrics {
  const summary = JSON.parse(json) as Summary;
  const m = summary.metrics;
  if (!m.http_reqs || !m.http_req_duration) throw new Error("loadr summary has no http_reqs / http_req_duration");
  const d = m.http_req_duration;
  return {
    requests: m.http_reqs.count,
    rps: m.http_reqs.rate,
    p50Ms: d.med ?? d["p(50)"] ?? null,
    p99Ms: d["p(99)"] ?? null,
    maxMs: d.max ?? null,
    errors: m.http_req_failed?.passes ?? null,
    details: {
      ...(m.vus?.max !== undefined ? { vusPeak: m.vus.max } : {}),
      ...(summary.dropped_iterations !== undefined ? { droppedIterations: summary.dropped_iterations } : {}),
    },
    notes: summary.notes ?? [],
  };
}

/**
 * The loadr adapter. `planFor` picks the template in bench/plans (default: rate.yaml under a
 * fixed rate, throughput.yaml otherwise); every template gets URL, VUS, DURATION, RATE, MAX_VUS.
 */
export function loadrAdapter(
  command: LoadrCommand | { error: string },
  planFor: (spec: LoadSpec) => string = (spec) => (spec.rate ? "rate.yaml" : "throughput.yaml"),
): ToolAdapter {
  return {
    name: "loadr",
    rateModel: "constant-arrival-rate (open model): arrivals keep their schedule, up to maxVUs in flight",
    fixedRate: true,
    missing: () => ("error" in command ? command.error : null),
    version: async () => {
      if ("error" in command) return "";
      const p = Bun.spawn([...command.argv, "version"], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
      const out = (await new Response(p.stdout).text()).trim();
      await p.exited;
      return `${out.split("\n")[0] ?? "?"} (${command.mode})`;
    },
    async invocation(spec: LoadSpec, ctx: ToolContext): Promise<Invocation> {
      if ("error" in command) throw new Error(command.error);
      const plan = `${ctx.prefix}-loadr.yaml`;
      const summary = `${ctx.prefix}-loadr-summary.json`;
      const values = {
        URL: spec.url,
        VUS: spec.connections,
        DURATION: spec.durationSec,
        RATE: spec.rate ?? 0,
        MAX_VUS: Math.max(spec.connections, 2 * (spec.rate ?? 0)),
      };
      writePlan(planFor(spec), ctx.dir, plan, values);
      const cmd = [...command.argv, "run", join(ctx.dir, plan), "--summary-json", join(ctx.dir, summary), "--quiet"];
      if (ctx.workers !== null) cmd.push("--workers", String(ctx.workers));
      return {
        procs: [{ name: "loadr", cmd, main: true }],
        files: [plan, summary],
        okExitCodes: [0, 99],
        parse: () => {
          const file = join(ctx.dir, summary);
          if (!existsSync(file)) throw new Error(`loadr wrote no summary ${file}`);
          return parseLoadrSummary(readFileSync(file, "utf8"));
        },
      };
    },
  };
}
