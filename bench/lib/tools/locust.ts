// Locust (Debian python3-locust 2.12.1, FastHttpUser, headless). 2.12 has no --processes, so
// the run is a master plus one worker process per core on 127.0.0.1; CPU and RSS are summed over
// all of them. A fixed rate R over U users is constant_throughput(R/U) per user.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, which } from "../proc.ts";
import type { Invocation, LoadSpec, ToolAdapter, ToolContext } from "../tool.ts";
import { debVersion } from "../tool.ts";
import type { ToolMetrics } from "../types.ts";

const LOCUSTFILE = join(import.meta.dir, "..", "..", "plans", "locustfile.py");

const bin = (): string | null => which("/usr/bin/locust") ?? which("locust");

/** Parses the "Aggregated" row of `<prefix>_stats.csv`. */
export function parseLocustCsv(csv: string): ToolMetrics {
  const lines = csv.trim().split("\n");
  const header = (lines[0] ?? "").split(",").map((h) => h.replace(/"/g, ""));
  const row = lines.map((l) => l.split(",").map((c) => c.replace(/"/g, ""))).find((c) => c[1] === "Aggregated");
  if (!row) throw new Error("locust stats CSV has no Aggregated row");
  const col = (name: string): number | null => {
    const i = header.indexOf(name);
    const v = i >= 0 ? row[i] : undefined;
    return v === undefined || v === "" || v === "N/A" ? null : Number(v);
  };
  return {
    requests: col("Request Count"),
    rps: col("Requests/s"),
    p50Ms: col("50%"),
    p99Ms: col("99%"),
    maxMs: col("Max Response Time"),
    errors: col("Failure Count"),
  };
}

export const locust: ToolAdapter = {
  name: "locust",
  rateModel: "constant_throughput(R/U) per user; a user waits for its response, so stalls hold the rate",
  fixedRate: true,
  missing: () => (bin() ? null : "locust is not installed (apt-get install python3-locust)"),
  version: () => debVersion("python3-locust"),
  async invocation(spec: LoadSpec, ctx: ToolContext): Promise<Invocation> {
    const locustBin = bin()!;
    const port = await freePort();
    const workers = Math.max(1, ctx.cores);
    const csvPrefix = join(ctx.dir, `${ctx.prefix}-locust`);
    const url = new URL(spec.url);
    const env: Record<string, string> = {
      BENCH_PATH: url.pathname,
      BENCH_USER_RATE: spec.rate ? String(spec.rate / spec.connections) : "0",
      PYTHONUNBUFFERED: "1",
    };
    const common = ["-f", LOCUSTFILE, "--loglevel", "WARNING"];
    const master = [locustBin, ...common, "--headless", "--master", "--master-bind-host", "127.0.0.1"];
    master.push("--master-bind-port", String(port), "--expect-workers", String(workers));
    master.push("-u", String(spec.connections), "-r", String(spec.connections), "-t", `${spec.durationSec}s`);
    master.push("--host", url.origin, "--csv", csvPrefix, "--only-summary");
    const worker = [locustBin, ...common, "--worker", "--master-host", "127.0.0.1", "--master-port", String(port)];
    return {
      procs: [
        { name: "locust-master", cmd: master, env, main: true },
        ...Array.from({ length: workers }, (_, i) => ({ name: `locust-worker-${i + 1}`, cmd: worker, env, main: false })),
      ],
      files: [`${ctx.prefix}-locust_stats.csv`],
      // Locust exits 1 when any request failed; a crash is caught by the missing CSV instead.
      okExitCodes: [0, 1],
      parse: () => {
        const file = `${csvPrefix}_stats.csv`;
        if (!existsSync(file)) throw new Error(`locust wrote no ${file}`);
        return parseLocustCsv(readFileSync(file, "utf8"));
      },
    };
  },
};
