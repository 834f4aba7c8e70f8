// `npm run fuzz`: the reliability suite's properties (test/fuzz/lib/areas.ts) at ten times their
// CI size, with a fresh seed (printed), plus the findings (properties marked `knownFailure`):
// each property runs in its own child process, watched for hangs (no new input for --stall
// seconds) and memory blow-ups (--max-rss), and killed by PID if it hangs. At the end, a table and,
// for every failure, the command that replays it. Exit 1 when a property that should hold fails
// (with --strict, also when a finding still fails).
//
//   npm run fuzz                                   # everything, 10x CI runs, random seed
//   npm run fuzz -- --only plan-loader --scale 50  # one area (or property id substring), longer
//   npm run fuzz -- --only coordination/streams --seed 123 --path "17:3"   # replay a failure
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { installCleanup, startJob, treePids } from "../bench/lib/proc.ts";
import { statusKb } from "../bench/lib/cluster/procstat.ts";
import { FUZZ_AREAS } from "../test/fuzz/lib/areas.ts";
import { reportOf, type FuzzProperty } from "../test/fuzz/lib/harness.ts";

const USAGE = `npm run fuzz -- [options]

  --only LIST       areas or property ids (substrings, comma-separated; default: all)
  --scale N         runs = N x each property's CI runs (default 10)
  --seed N          seed (default: random, printed)
  --path P          replay one counterexample path (with --seed and --only)
  --findings only|skip   run only the known findings, or skip them (default: both)
  --strict          exit 1 also when a known finding still fails
  --binary PATH     run the controller and agent from a compiled loadr (default: the source)
  --stall S         a property with no new input for S seconds is hung (default 30; 120 for cluster areas)
  --max-rss MB      a property whose processes pass this RSS is stopped (default 1536)
  --help            this text
`;

interface Options {
  only: string[];
  scale: number;
  seed: number;
  path?: string;
  findings: "both" | "only" | "skip";
  strict: boolean;
  binary?: string;
  stallSec?: number;
  maxRssMb: number;
}

function parseArgs(argv: string[]): Options | "help" {
  const o: Options = { only: [], scale: 10, seed: Math.floor(Math.random() * 2 ** 31), findings: "both", strict: false, maxRssMb: 1536 };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${flag} needs a value`);
    return v;
  };
  const number = (v: string, flag: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number, got "${v}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    switch (a) {
      case "--help":
      case "-h":
        return "help";
      case "--strict":
        o.strict = true;
        break;
      case "--only":
        o.only = value(i++, a).split(",").map((s) => s.trim()).filter(Boolean);
        break;
      case "--scale":
        o.scale = number(value(i++, a), a);
        break;
      case "--seed":
        o.seed = Math.floor(Number(value(i++, a)));
        if (!Number.isFinite(o.seed)) throw new Error("--seed needs an integer");
        break;
      case "--path":
        o.path = value(i++, a);
        break;
      case "--findings": {
        const v = value(i++, a);
        if (v !== "only" && v !== "skip") throw new Error(`--findings is "only" or "skip", got "${v}"`);
        o.findings = v;
        break;
      }
      case "--binary":
        o.binary = value(i++, a);
        if (!existsSync(o.binary)) throw new Error(`--binary ${o.binary}: no such file (npm run build makes dist/loadr-<os>-<arch>)`);
        break;
      case "--stall":
        o.stallSec = number(value(i++, a), a);
        break;
      case "--max-rss":
        o.maxRssMb = number(value(i++, a), a);
        break;
      default:
        throw new Error(`unknown option ${a} (see --help)`);
    }
  }
  return o;
}

// ---- the child: one property ------------------------------------------------------------------------

interface ChildResult {
  ok: boolean;
  numRuns: number;
  report?: string;
  seed: number;
  path?: string;
  error?: string;
}

async function child(id: string, seed: number, runs: number, path: string | undefined, binary: string | undefined, progress: string, resultFile: string): Promise<void> {
  const area = FUZZ_AREAS.find((a) => a.properties.some((p) => p.id === id));
  const p = area?.properties.find((x) => x.id === id) as FuzzProperty<unknown> | undefined;
  if (!area || !p) throw new Error(`no property ${id}`);
  const { env, stop } = await area.start(binary);
  let result: ChildResult;
  try {
    const property = p.property(env) as fc.IAsyncProperty<never>;
    // Record each input before it runs, so a hang can be reported with the input that caused it.
    const run = property.run.bind(property);
    let count = 0;
    property.run = ((value: never) => {
      count++;
      let preview: string;
      try {
        preview = fc.stringify(value);
      } catch {
        preview = String(value);
      }
      writeFileSync(progress, JSON.stringify({ count, input: preview.length > 2_000 ? `${preview.slice(0, 2_000)}… (${preview.length} characters)` : preview }));
      return run(value);
    }) as typeof property.run;
    const details = await fc.check(property, { seed, numRuns: runs, ...(path ? { path } : {}), endOnFailure: p.noShrink === true });
    const report = reportOf(id, details as unknown as fc.RunDetails<unknown>);
    result = { ok: !details.failed, numRuns: details.numRuns, seed, ...(report ? { report } : {}), ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}) };
  } catch (error) {
    result = { ok: false, numRuns: 0, seed, error: (error as Error).stack ?? String(error) };
  } finally {
    await stop();
  }
  writeFileSync(resultFile, JSON.stringify(result));
}

// ---- the parent --------------------------------------------------------------------------------------

type Verdict = "ok" | "FAIL" | "HUNG" | "MEMORY" | "finding: still fails" | "finding: NOW HOLDS";

interface Row {
  id: string;
  runs: number;
  verdict: Verdict;
  seconds: number;
  detail?: string;
  replay?: string;
}

async function runOne(p: FuzzProperty<never>, areaName: string, o: Options, dir: string): Promise<Row> {
  const runs = Math.max(1, Math.round(p.runs * o.scale));
  const progress = join(dir, `${p.id.replace(/\W/g, "_")}.progress.json`);
  const resultFile = join(dir, `${p.id.replace(/\W/g, "_")}.result.json`);
  const stallMs = (o.stallSec ?? (areaName === "coordination" || areaName === "http-api" ? 120 : 30)) * 1000;
  const cmd = [process.execPath, join(import.meta.dir, "fuzz.ts"), "--child", p.id, String(o.seed), String(runs), o.path ?? "-", o.binary ?? "-", progress, resultFile];
  const t0 = performance.now();
  // The child's temp dirs (controller data) go under `dir`, removed at the end even if it is killed.
  const job = startJob({ name: `fuzz ${p.id}`, cmd, env: { NO_COLOR: "1", TMPDIR: dir }, timeoutMs: 60 * 60_000, capture: true });
  let stopped: "HUNG" | "MEMORY" | undefined;
  let lastChange = Date.now();
  let lastMtime = 0;
  let peakMb = 0;
  const watch = setInterval(() => {
    const mtime = existsSync(progress) ? statSync(progress).mtimeMs : 0;
    if (mtime !== lastMtime) {
      lastMtime = mtime;
      lastChange = Date.now();
    }
    const rssMb = (statusKb(treePids(job.pid), "VmRSS") * 1024) / 1e6;
    peakMb = Math.max(peakMb, rssMb);
    if (!stopped && rssMb > o.maxRssMb) stopped = "MEMORY";
    if (!stopped && Date.now() - lastChange > stallMs) stopped = "HUNG";
    if (stopped) void job.stop();
  }, 500);
  const done = await job.done;
  clearInterval(watch);
  const seconds = (performance.now() - t0) / 1000;
  const known = p.knownFailure !== undefined;
  const replay = (path?: string) => `npm run fuzz -- --only ${p.id} --seed ${o.seed}${path ? ` --path "${path}"` : ""}`;
  if (stopped) {
    const last = existsSync(progress) ? (JSON.parse(readFileSync(progress, "utf8")) as { count: number; input: string }) : undefined;
    const what = stopped === "HUNG" ? `no new input for ${stallMs / 1000} s` : `its processes passed ${o.maxRssMb} MB of RSS (peak ${Math.round(peakMb)} MB)`;
    const detail = `${p.id}: stopped, ${what}, on input #${last?.count ?? "?"}: ${last?.input ?? "(none recorded)"}`;
    return { id: p.id, runs, verdict: known ? "finding: still fails" : stopped, seconds, detail, replay: replay(last ? String(last.count - 1) : undefined) };
  }
  if (!existsSync(resultFile)) {
    return { id: p.id, runs, verdict: known ? "finding: still fails" : "FAIL", seconds, detail: `${p.id}: the child exited ${done.exitCode ?? done.signal} without a result:\n${done.stderr.trim().split("\n").slice(-15).join("\n")}` };
  }
  const r = JSON.parse(readFileSync(resultFile, "utf8")) as ChildResult;
  if (r.ok) return { id: p.id, runs: r.numRuns, verdict: known ? "finding: NOW HOLDS" : "ok", seconds };
  return { id: p.id, runs: r.numRuns, verdict: known ? "finding: still fails" : "FAIL", seconds, detail: r.report ?? r.error, replay: replay(r.path) };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === "--child") {
    const [id, seed, runs, path, binary, progress, resultFile] = argv.slice(1);
    await child(id!, Number(seed), Number(runs), path === "-" ? undefined : path, binary === "-" ? undefined : binary, progress!, resultFile!);
    process.exit(0); // gRPC channels of the properties may linger; the result is written
  }
  let o: Options | "help";
  try {
    o = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`fuzz: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (o === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const opts = o;
  installCleanup();
  const selected = FUZZ_AREAS.flatMap((a) => a.properties.map((p) => ({ p, area: a.name })))
    .filter(({ p, area }) => opts.only.length === 0 || opts.only.some((s) => p.id.includes(s) || area === s))
    .filter(({ p }) => (opts.findings === "only" ? p.knownFailure !== undefined : opts.findings === "skip" ? p.knownFailure === undefined : true));
  if (selected.length === 0) {
    process.stderr.write(`fuzz: no property matches --only ${opts.only.join(",")}\n`);
    return 2;
  }
  process.stdout.write(`loadr fuzz: seed ${opts.seed}, ${opts.scale}x CI runs, ${selected.length} properties${opts.binary ? `, loadr ${opts.binary}` : ""}\n\n`);
  const dir = mkdtempSync(join(tmpdir(), "loadr-fuzz-run-"));
  const rows: Row[] = [];
  try {
    for (const { p, area } of selected) {
      const row = await runOne(p, area, opts, dir);
      rows.push(row);
      process.stdout.write(`  ${row.verdict.padEnd(20)} ${row.id.padEnd(48)} ${String(row.runs).padStart(6)} runs ${row.seconds.toFixed(1).padStart(7)} s\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const failed = rows.filter((r) => r.verdict === "FAIL" || r.verdict === "HUNG" || r.verdict === "MEMORY");
  const findings = rows.filter((r) => r.verdict === "finding: still fails");
  const fixed = rows.filter((r) => r.verdict === "finding: NOW HOLDS");
  for (const r of [...failed, ...findings]) process.stdout.write(`\n${r.verdict}: ${r.detail ?? r.id}\n  replay: ${r.replay ?? "-"}\n`);
  for (const r of fixed) process.stdout.write(`\n${r.id} holds now: drop its knownFailure so that CI runs it.\n`);
  const totalRuns = rows.reduce((n, r) => n + r.runs, 0);
  const totalSec = rows.reduce((n, r) => n + r.seconds, 0);
  process.stdout.write(`\n${rows.length} properties, ${totalRuns} inputs in ${totalSec.toFixed(0)} s (seed ${opts.seed}): ${rows.length - failed.length - findings.length} hold, ${failed.length} fail, ${findings.length} known finding(s) still fail\n`);
  return failed.length > 0 || (opts.strict && findings.length > 0) ? 1 : 0;
}

process.exitCode = await main();
