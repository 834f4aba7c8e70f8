// Where a run's output goes and how it is written: bench/results/<timestamp>.json (raw records),
// bench/results/<timestamp>/ (report.html, README-table.md, plans, tool reports, logs).
// Writing is synchronous so that an interrupted run can still leave its partial results.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { htmlReport } from "./report/html.ts";
import { markdownReport } from "./report/sections.ts";
import type { BenchOptions, BenchResults } from "./types.ts";

export const RESULTS_DIR = join(import.meta.dir, "..", "results");

export function timestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19).replace(/:/g, "-")}Z`;
}

export function newResults(options: BenchOptions, startedAt: Date): BenchResults {
  return {
    schema: "loadr-bench/1",
    startedAt: startedAt.toISOString(),
    finishedAt: "",
    host: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      kernel: release(),
      loadAvgStart: loadavg(),
      loadAvgEnd: [],
      memGB: Math.round(totalmem() / 1e9),
    },
    options,
    versions: {},
    loadr: null,
    rateModels: {},
    runs: [],
    notes: [],
  };
}

export interface Written {
  json: string;
  html: string;
  markdown: string;
  markdownText: string;
}

export function writeResults(res: BenchResults, stamp: string, runDir: string): Written {
  res.finishedAt = new Date().toISOString();
  res.host.loadAvgEnd = loadavg();
  mkdirSync(runDir, { recursive: true });
  const json = join(RESULTS_DIR, `${stamp}.json`);
  const html = join(runDir, "report.html");
  const markdown = join(runDir, "README-table.md");
  const markdownText = markdownReport(res);
  writeFileSync(json, `${JSON.stringify(res, null, 2)}\n`);
  writeFileSync(html, htmlReport(res));
  writeFileSync(markdown, markdownText);
  return { json, html, markdown, markdownText };
}
