// The HTTP/1.1 cost ladder on its own: `node scripts/bun.mjs bench/ladder/run.ts [options]`
// (the same suite runs inside `npm run bench -- --only ladder`). Starts the target (the bench's
// 1-worker nginx by default), runs every rung once per round in its own child process, prints the
// table after each round and at the end, and writes bench/results/ladder-<timestamp>.json.
// A duration budget (the default) is measured over each rung's steady-state window, a request
// budget by the fixed-cost method (bench/ladder/ladder.ts).
// Every process it starts is stopped by PID, also on Ctrl-C. See bench/README.md.
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, relative } from "node:path";
import { positive } from "../lib/args.ts";
import { startNginx, type Target } from "../lib/nginx.ts";
import { installCleanup, stopAll } from "../lib/proc.ts";
import { RESULTS_DIR, timestamp } from "../lib/results.ts";
import { resolveLoadr } from "../lib/tools/loadr.ts";
import { ladderRound } from "./ladder.ts";
import { startLoopbackTarget } from "./loopback-target.ts";
import { LADDER_HEAD, costliestLayer, ladderBody, ladderRows, methodNote, sampleLine, textTable, type LadderSample } from "./report.ts";
import { RUNGS, isRung, type RungBudget, type RungName } from "./rungs.ts";
import { DEFAULT_WARMUP_MS, END_MARGIN_MS, windowBounds } from "./window.ts";

const USAGE = `node scripts/bun.mjs bench/ladder/run.ts [options]

  --rounds N        interleaved rounds (default 3)
  --duration S      seconds of load per rung (default 8), measured over a steady-state window:
                    from the warm-up after the load started to ${END_MARGIN_MS / 1000} s before its end
  --warmup S        the warm-up before the window opens (default ${DEFAULT_WARMUP_MS / 1000}, at most a third of --duration)
  --requests N      an exact request count per rung instead of a duration (the fixed-cost method:
                    whole-run CPU minus a one-request-per-connection run; JIT warm-up is billed)
  --connections N   connections / VUs (default 64)
  --rungs LIST      ${RUNGS.join(",")} (default all)
  --target WHICH    nginx (default: the bench's 1-worker nginx) | loopback (a Bun.listen responder in this process)
  --loadr WHICH     the binary rung's loadr: auto (dist/loadr-<os>-<arch>) | source | PATH
  --heap            sample the heap of the in-thread rungs once a second after a forced GC (CPU figures then include the GCs)
`;

interface Options {
  rounds: number;
  budget: RungBudget;
  warmupMs: number;
  connections: number;
  rungs: RungName[];
  target: "nginx" | "loopback";
  loadr: string;
  heap: boolean;
}

function parse(argv: string[]): Options | "help" {
  const o: Options = { rounds: 3, budget: { durationMs: 8000 }, warmupMs: DEFAULT_WARMUP_MS, connections: 64, rungs: [...RUNGS], target: "nginx", loadr: "auto", heap: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => argv[++i];
    if (a === "--help" || a === "-h") return "help";
    else if (a === "--heap") o.heap = true;
    else if (a === "--rounds") o.rounds = Math.round(positive(value(), a));
    else if (a === "--duration") o.budget = { durationMs: positive(value(), a) * 1000 };
    else if (a === "--warmup") {
      const v = value();
      const n = Number(v);
      if (!v || !Number.isFinite(n) || n < 0) throw new Error("--warmup needs a number of seconds (0 or more)");
      o.warmupMs = n * 1000;
    } else if (a === "--requests") o.budget = { requests: Math.round(positive(value(), a)) };
    else if (a === "--connections") o.connections = Math.round(positive(value(), a));
    else if (a === "--loadr") o.loadr = value() ?? "";
    else if (a === "--target") {
      const t = value();
      if (t !== "nginx" && t !== "loopback") throw new Error(`--target is nginx or loopback, not "${t}"`);
      o.target = t;
    } else if (a === "--rungs") {
      const list = (value() ?? "").split(",").filter(Boolean);
      const unknown = list.filter((r) => !isRung(r));
      if (unknown.length > 0 || list.length === 0) throw new Error(`--rungs: unknown rung(s) ${unknown.join(", ")} (known: ${RUNGS.join(", ")})`);
      o.rungs = RUNGS.filter((r) => list.includes(r));
    } else throw new Error(`unknown option ${a}`);
  }
  if ("durationMs" in o.budget) windowBounds(o.budget.durationMs, o.warmupMs);
  return o;
}

function printSample(s: LadderSample): void {
  process.stdout.write(`  ${sampleLine(s)}\n`);
}

async function main(argv: string[]): Promise<number> {
  let opts: Options | "help";
  try {
    opts = parse(argv);
  } catch (error) {
    process.stderr.write(`ladder: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (opts === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const loadr = resolveLoadr(opts.loadr);
  if (opts.rungs.includes("binary") && "error" in loadr) {
    process.stderr.write(`ladder: ${loadr.error}\n`);
    return 2;
  }
  installCleanup();
  const stamp = timestamp();
  const dir = join(RESULTS_DIR, `ladder-${stamp}`);
  mkdirSync(dir, { recursive: true });
  const loadStart = loadavg();
  let target: Target | undefined;
  const samples: LadderSample[] = [];
  const o = opts;
  try {
    target = o.target === "nginx" ? await startNginx(join(dir, "nginx")) : startLoopbackTarget();
    const budget =
      "requests" in o.budget
        ? `${o.budget.requests} requests (fixed-cost method)`
        : `${o.budget.durationMs / 1000} s (window from ${windowBounds(o.budget.durationMs, o.warmupMs).fromMs / 1000} s to ${END_MARGIN_MS / 1000} s before the end)`;
    process.stdout.write(`ladder: ${o.rounds} round(s), ${budget} per rung, ${o.connections} connections, target ${o.target} ${target.url}; load average ${loadStart.map((l) => l.toFixed(2)).join(" ")}\n`);
    for (let round = 1; round <= o.rounds; round++) {
      process.stdout.write(`ladder: round ${round}/${o.rounds}\n`);
      const ladder = { target, connections: o.connections, budget: o.budget, warmupMs: o.warmupMs, rungs: o.rungs, dir, heap: o.heap, ...("error" in loadr ? {} : { loadr }) };
      samples.push(...(await ladderRound(ladder, round, printSample)));
    }
  } catch (error) {
    process.stderr.write(`ladder: aborted: ${(error as Error).stack ?? error}\n`);
  } finally {
    await target?.stop();
    await stopAll();
  }
  const rows = ladderRows(samples, RUNGS);
  const costliest = costliestLayer(rows);
  process.stdout.write(`\n${textTable(LADDER_HEAD, ladderBody(rows))}\n${costliest ? `\n${costliest}\n` : ""}`);
  if (rows.length > 0) process.stdout.write(`${methodNote(rows)}\n`);
  process.stdout.write(`load average at start ${loadStart.map((l) => l.toFixed(2)).join(" ")}, at end ${loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
  const file = join(RESULTS_DIR, `ladder-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify({ schema: "loadr-ladder/2", options: o, loadAvgStart: loadStart, loadAvgEnd: loadavg(), samples, rows }, null, 2)}\n`);
  process.stdout.write(`ladder: wrote ${relative(process.cwd(), file)}\n`);
  return samples.some((s) => !s.ok) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
