// `npm run bench`: loadr side by side with wrk, hey, autocannon, Locust and Artillery.
// Installs missing peers, starts the targets (nginx; the delay server), runs every suite round
// by round with the tools interleaved (order rotated per round), then writes
// bench/results/<timestamp>.json, bench/results/<timestamp>/report.html and README-table.md,
// and prints the markdown tables. Every process it starts is stopped by PID, also on Ctrl-C.
// See bench/README.md.
import { mkdirSync } from "node:fs";
import { cpus } from "node:os";
import { join, relative } from "node:path";
import { parseArgs, USAGE } from "./lib/args.ts";
import { startDelayServer, type DelayTarget } from "./lib/delay-target.ts";
import { ensureTools } from "./lib/install.ts";
import { startNginx, type Target } from "./lib/nginx.ts";
import { installCleanup, stopAll } from "./lib/proc.ts";
import { newResults, RESULTS_DIR, timestamp, writeResults } from "./lib/results.ts";
import { clusterRound } from "./lib/suites/cluster.ts";
import { ladderSuiteRound } from "./lib/suites/ladder.ts";
import { latencyRound } from "./lib/suites/latency.ts";
import { memoryRound } from "./lib/suites/memory.ts";
import { startupRound } from "./lib/suites/startup.ts";
import { throughputRound } from "./lib/suites/throughput.ts";
import type { SuiteEnv } from "./lib/suites/common.ts";
import { debVersion, type ToolAdapter } from "./lib/tool.ts";
import { artillery } from "./lib/tools/artillery.ts";
import { autocannon } from "./lib/tools/autocannon.ts";
import { hey } from "./lib/tools/hey.ts";
import { loadrAdapter, resolveLoadr } from "./lib/tools/loadr.ts";
import { locust } from "./lib/tools/locust.ts";
import { wrk } from "./lib/tools/wrk.ts";
import type { ToolName } from "./lib/types.ts";

const EXIT_USAGE = 2;

async function main(argv: string[]): Promise<number> {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (opts === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  installCleanup();

  // loadr first: a missing binary is an error before anything is installed or measured.
  const needsLoadr = opts.tools.includes("loadr") || opts.suites.some((s) => s === "memory" || s === "startup" || s === "cluster" || s === "ladder");
  const loadrCommand = resolveLoadr(opts.loadr);
  if (needsLoadr && "error" in loadrCommand) {
    process.stderr.write(`bench: ${loadrCommand.error}\n`);
    return EXIT_USAGE;
  }
  if (!opts.suites.includes("throughput") && !opts.suites.includes("latency")) opts.tools = opts.tools.filter((t) => t === "loadr");

  const startedAt = new Date();
  const stamp = timestamp(startedAt);
  const dir = join(RESULTS_DIR, stamp);
  mkdirSync(dir, { recursive: true });
  const res = newResults(opts, startedAt);

  if (!opts.skipInstall) res.notes.push(...(await ensureTools(opts)));
  const all: Record<ToolName, ToolAdapter> = { loadr: loadrAdapter(loadrCommand), wrk, hey, autocannon, locust, artillery };
  const adapters = new Map<ToolName, ToolAdapter>();
  const missing: string[] = [];
  for (const t of opts.tools) {
    const why = all[t].missing();
    if (why) missing.push(`${t}: ${why}`);
    else adapters.set(t, all[t]);
  }
  if (missing.length > 0) {
    process.stderr.write(`bench: cannot run:\n  ${missing.join("\n  ")}\n`);
    return EXIT_USAGE;
  }
  for (const a of adapters.values()) {
    res.versions[a.name] = await a.version();
    res.rateModels[a.name] = a.rateModel;
  }
  res.versions.nginx = await debVersion("nginx-light");
  res.versions.bun = Bun.version;
  if (!("error" in loadrCommand) && needsLoadr) res.loadr = { mode: loadrCommand.mode, command: loadrCommand.argv };
  res.notes.push(
    "CPU seconds: user + system from the kernel's rusage of each tool process (reaped descendants included); Locust sums master and workers.",
    "Peak RSS: sampled every 200 ms over the whole process tree (or the kernel's maxRSS if larger); with helper processes (Locust workers) the per-process peaks are summed.",
    "CPU per 100k requests divides by the target's own request count, the same denominator for every tool.",
    opts.workers === null
      ? `Threads: wrk -t ${cpus().length}; Locust 1 master + ${cpus().length} workers; hey, autocannon, Artillery and loadr with their defaults.`
      : `Threads: wrk -t ${opts.workers}, loadr --workers ${opts.workers} (--workers); Locust 1 master + ${cpus().length} workers; hey, autocannon and Artillery with their defaults.`,
    "Locust: Debian's python3-locust has an empty version string, which makes its master reject workers; plans/locustfile.py sets one.",
  );

  const env: SuiteEnv = { opts, dir, cores: cpus().length, adapters, records: res.runs, notes: res.notes };
  let nginx: Target | null = null;
  let delay: DelayTarget | null = null;
  const finish = (): void => {
    const w = writeResults(res, stamp, dir);
    process.stdout.write(`\n${w.markdownText}\nbench: wrote ${relative(process.cwd(), w.json)}, ${relative(process.cwd(), w.html)}, ${relative(process.cwd(), w.markdown)}\n`);
  };
  installCleanup(() => {
    res.notes.push("interrupted: partial results");
    finish();
  });
  process.stdout.write(
    `bench: ${opts.rounds} round(s), ${opts.durationSec} s runs, suites ${opts.suites.join(",")}, tools ${opts.tools.join(",")}; output in ${relative(process.cwd(), dir)}\n`,
  );
  try {
    if (opts.suites.some((s) => s !== "latency" && s !== "cluster")) nginx = await startNginx(join(dir, "nginx"));
    if (opts.suites.includes("latency")) delay = await startDelayServer(dir, opts.delayMs);
    for (let round = 1; round <= opts.rounds; round++) {
      process.stdout.write(`bench: round ${round}/${opts.rounds}\n`);
      if (opts.suites.includes("throughput")) await throughputRound(env, nginx!, round);
      if (opts.suites.includes("latency")) await latencyRound(env, delay!, round);
      if (!("error" in loadrCommand)) {
        if (opts.suites.includes("memory")) await memoryRound(env, nginx!, round, loadrCommand);
        if (opts.suites.includes("startup")) await startupRound(env, nginx!, round, loadrCommand);
        if (opts.suites.includes("cluster")) await clusterRound(env, round, loadrCommand);
        if (opts.suites.includes("ladder")) await ladderSuiteRound(env, nginx!, round, loadrCommand);
      }
    }
  } catch (error) {
    res.notes.push(`aborted: ${(error as Error).message}`);
    process.stderr.write(`bench: aborted: ${(error as Error).stack ?? error}\n`);
  } finally {
    await stopAll();
  }
  finish();
  const failed = res.runs.filter((r) => !r.ok).length;
  if (failed > 0) process.stderr.write(`bench: ${failed} run(s) failed; see the report\n`);
  return failed > 0 || res.notes.some((n) => n.startsWith("aborted")) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
