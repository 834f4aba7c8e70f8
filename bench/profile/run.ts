// Profiles one rung of the cost ladder with Linux perf, naming the JavaScript it samples:
// `node scripts/bun.mjs bench/profile/run.ts [options]`. The rung runs in its own process with
// JavaScriptCore's JIT dump on (jitdump.ts); after the warm-up, `perf record -e cpu-clock` samples
// it for --seconds; the report (profile.ts) gives the share of kernel, Bun-native, JIT, libc and
// vDSO code, and the JavaScript functions by share with their JIT tier. Needs Debian's linux-perf.
// Every process it starts is stopped by PID, also on Ctrl-C. See bench/README.md, section 6.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ladderPlanYaml, writeLadderPlan } from "../ladder/engine.ts";
import { startLoopbackTarget } from "../ladder/loopback-target.ts";
import { RUNGS, isRung, type RungName, type RungSpec } from "../ladder/rungs.ts";
import { positive } from "../lib/args.ts";
import { startNginx, type Target } from "../lib/nginx.ts";
import { installCleanup, startJob, stopAll, which } from "../lib/proc.ts";
import { resolveLoadr } from "../lib/tools/loadr.ts";
import { JitSymbols, parseJitDump, type JitCode } from "./jitdump.ts";
import { formatSummary, parsePerfScript, summarize } from "./profile.ts";

const USAGE = `node scripts/bun.mjs bench/profile/run.ts [options]

  --rung NAME       ${RUNGS.join(", ")} (default engine-inline)
  --seconds S       seconds sampled (default 4), after the warm-up
  --warmup S        seconds of load before sampling starts (default 2)
  --connections N   connections / VUs (default 64)
  --target WHICH    nginx (default) | loopback
  --top N           JavaScript functions listed (default 30)
  --loadr WHICH     the binary rung's loadr: auto | source | PATH
`;

interface Options {
  rung: RungName;
  seconds: number;
  warmup: number;
  connections: number;
  target: "nginx" | "loopback";
  top: number;
  loadr: string;
}

function parse(argv: string[]): Options | "help" {
  const o: Options = { rung: "engine-inline", seconds: 4, warmup: 2, connections: 64, target: "nginx", top: 30, loadr: "auto" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i];
    if (a === "--help" || a === "-h") return "help";
    else if (a === "--rung") {
      const v = value() ?? "";
      if (!isRung(v)) throw new Error(`--rung: unknown rung "${v}" (one of ${RUNGS.join(", ")})`);
      o.rung = v;
    } else if (a === "--seconds") o.seconds = positive(value(), a);
    else if (a === "--warmup") o.warmup = positive(value(), a);
    else if (a === "--connections") o.connections = Math.round(positive(value(), a));
    else if (a === "--top") o.top = Math.round(positive(value(), a));
    else if (a === "--target") {
      const v = value();
      if (v !== "nginx" && v !== "loopback") throw new Error(`--target: nginx or loopback, got "${v}"`);
      o.target = v;
    } else if (a === "--loadr") o.loadr = value() ?? "";
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  return o;
}

/** Every JIT dump in `dir` (one per thread that compiled code), as one symbol table. */
function readDumps(dir: string): JitSymbols {
  const codes: JitCode[] = [];
  for (const file of readdirSync(dir).filter((f) => /^jit-.*\.dump$/.test(f))) {
    for (const code of parseJitDump(readFileSync(join(dir, file)))) codes.push({ ...code, order: codes.length });
  }
  return new JitSymbols(codes);
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  if (o === "help") return void process.stdout.write(USAGE);
  const perf = which("/usr/bin/perf") ?? which("perf");
  if (!perf) throw new Error("perf is not installed (apt-get install linux-perf)");
  installCleanup();
  const dir = mkdtempSync(join(tmpdir(), "loadr-profile-"));
  let target: Target | undefined;
  try {
    target = o.target === "nginx" ? await startNginx(join(dir, "nginx")) : startLoopbackTarget();
    const url = target.url;
    const durationMs = (o.warmup + o.seconds + 1) * 1000;
    const env = { BUN_JSC_useJITDump: "1", BUN_JSC_jitDumpDirectory: dir };
    let cmd: string[];
    if (o.rung === "binary") {
      const loadr = resolveLoadr(o.loadr);
      if ("error" in loadr) throw new Error(loadr.error);
      const { path } = writeLadderPlan(dir, "plan.yaml", ladderPlanYaml(url, o.connections, { durationMs }));
      cmd = [...loadr.argv, "run", path, "--workers", "1", "--quiet", "--no-summary"];
    } else {
      const spec: RungSpec = { rung: o.rung, url, connections: o.connections, budget: { durationMs }, dir };
      cmd = [process.execPath, join(import.meta.dir, "../ladder/rung-main.ts"), JSON.stringify(spec)];
    }
    const rung = startJob({ name: `profiled ${o.rung}`, cmd, env, timeoutMs: durationMs + 60_000, capture: true });
    await Bun.sleep(o.warmup * 1000);
    const data = join(dir, "perf.data");
    const record = startJob({ name: "perf record", cmd: [perf, "record", "-q", "-e", "cpu-clock", "-F", "4000", "-p", String(rung.pid), "-o", data, "--", "sleep", String(o.seconds)], timeoutMs: (o.seconds + 30) * 1000, capture: true });
    const recorded = await record.done;
    const ran = await rung.done;
    if (recorded.exitCode !== 0) throw new Error(`perf record failed (exit ${recorded.exitCode}): ${recorded.stderr.trim().slice(0, 400)}`);
    if (ran.exitCode !== 0) throw new Error(`the ${o.rung} rung failed (exit ${ran.exitCode}): ${ran.stderr.trim().slice(0, 400)}`);
    const script = startJob({ name: "perf script", cmd: [perf, "script", "-i", data, "-F", "ip,dso"], timeoutMs: 120_000, capture: true });
    const scripted = await script.done;
    if (scripted.exitCode !== 0) throw new Error(`perf script failed (exit ${scripted.exitCode}): ${scripted.stderr.trim().slice(0, 400)}`);
    const summary = summarize(parsePerfScript(scripted.stdout), readDumps(dir));
    process.stdout.write(`rung ${o.rung}, ${o.connections} connections, ${o.target}, sampled ${o.seconds} s after ${o.warmup} s of warm-up\n${formatSummary(summary, o.top)}\n`);
    if (o.rung === "binary") process.stdout.write("(the binary is minified: its function names say little; local-run runs the same code from source)\n");
  } finally {
    await target?.stop();
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(`profile: ${(error as Error).message}\n`);
  await stopAll();
  process.exit(1);
});
