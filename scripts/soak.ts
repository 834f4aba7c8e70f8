// `npm run soak`: one long run at a constant arrival rate against the counting demo target, with
// the resident memory of the generator sampled every --sample seconds (in --cluster mode: the
// controller and each agent), a least-squares trend of RSS over time per process (MB/hour, with
// its standard error and a verdict: scripts/reliability/trend.ts), and the run's http_reqs
// compared with the target's own count, which must be equal. Exits 1 on a growth trend, a count
// that differs, or a run that does not end cleanly. Every process is stopped by PID.
//
//   npm run soak                          # 30 minutes, local `loadr run`
//   npm run soak -- --minutes 2           # a short smoke soak (its trend is inconclusive)
//   npm run soak -- --minutes 60 --cluster --rate 300
import { runScript } from "./reliability/cli.ts";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installCleanup } from "../bench/lib/proc.ts";
import {
  agentsOf, controllerPorts, FINAL, loadrCommand, metricValue, rssMb, runOf, spawnLoadr, startAgentProc, startControllerAt, startDemo, submit, until,
  type Proc,
} from "./reliability/cluster.ts";
import { table } from "./reliability/table.ts";
import { afterWarmup, defaultWarmupSec, MIN_SPAN_SEC, rssTrend, TOLERANCE_MB_PER_HOUR, type Sample } from "./reliability/trend.ts";

const USAGE = `npm run soak -- [options]

  --minutes N       length of the run (default 30)
  --rate R          requests per second, constant arrival rate (default 200)
  --cluster         run through a controller and 2 agent processes (RSS of each)
  --sample S        seconds between RSS samples (default 10)
  --warmup S        seconds left out of the trend (default: a fifth of the run, at most 300)
  --loadr WHICH     auto (dist/loadr-<os>-<arch> when built, default) | source | PATH
  --help            this text
`;

const CLUSTER_AGENTS = 2;
/** A run must end within its length plus this. */
const END_SLACK_MS = 120_000;

interface Options {
  minutes: number;
  rate: number;
  cluster: boolean;
  sampleSec: number;
  warmupSec?: number;
  loadr: string;
}

function parseArgs(argv: string[]): Options | "help" {
  const o: Options = { minutes: 30, rate: 200, cluster: false, sampleSec: 10, loadr: "auto" };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const n = (min: number): number => {
      const x = Number(argv[++i]);
      if (!Number.isFinite(x) || x < min) throw new Error(`${a} needs a number ≥ ${min}`);
      return x;
    };
    if (a === "--help" || a === "-h") return "help";
    else if (a === "--minutes") o.minutes = n(0.5);
    else if (a === "--rate") o.rate = Math.round(n(1));
    else if (a === "--cluster") o.cluster = true;
    else if (a === "--sample") o.sampleSec = n(1);
    else if (a === "--warmup") o.warmupSec = n(0);
    else if (a === "--loadr") {
      const v = argv[++i];
      if (!v) throw new Error("--loadr needs a value");
      o.loadr = v;
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  return o;
}

function planYaml(baseUrl: string, o: Options): string {
  const seconds = Math.round(o.minutes * 60);
  return `name: soak
baseUrl: ${baseUrl}
scenarios:
  steady:
    executor: constant-arrival-rate
    rate: ${o.rate}
    timeUnit: 1s
    duration: ${seconds}s
    preAllocatedVUs: 20
    maxVUs: 200
    flow:
      - request: { name: home, url: / }
${o.cluster ? `cluster:\n  agents: ${CLUSTER_AGENTS}\n  wait: 60s\n` : ""}`;
}

async function main(o: Options): Promise<number> {
  installCleanup();
  const cmd = loadrCommand(o.loadr);
  const runMs = o.minutes * 60_000;
  const lifetimeMs = runMs + 2 * END_SLACK_MS;
  const warmupSec = o.warmupSec ?? defaultWarmupSec(o.minutes * 60);
  const dir = mkdtempSync(join(tmpdir(), "loadr-soak-"));
  const logDir = join(dir, "logs");
  mkdirSync(logDir);
  process.stdout.write(`loadr soak: ${o.minutes} min at ${o.rate} req/s${o.cluster ? `, controller + ${CLUSTER_AGENTS} agents` : ", local run"}, RSS every ${o.sampleSec} s (trend after ${warmupSec} s), loadr ${cmd.join(" ")}\n`);
  const procs: Proc[] = [];
  const problems: string[] = [];
  const samples = new Map<string, Sample[]>();
  let sampler: ReturnType<typeof setInterval> | undefined;
  const demo = await startDemo(cmd, logDir, lifetimeMs);
  try {
    let reported = 0;
    let watched: Array<{ name: string; proc: Proc }>;
    let finished: Promise<void>;
    const t0 = Date.now();
    if (!o.cluster) {
      const planPath = join(dir, "soak.yaml");
      const summaryPath = join(dir, "summary.json");
      writeFileSync(planPath, planYaml(demo.url, o));
      const run = spawnLoadr(cmd, ["run", planPath, "--summary-json", summaryPath, "--quiet"], "loadr run", logDir, lifetimeMs);
      procs.push(run);
      watched = [{ name: "loadr run", proc: run }];
      finished = run.job.done.then((r) => {
        if (r.exitCode !== 0) problems.push(`loadr run exited ${r.exitCode ?? r.signal}: ${run.output().trim().split("\n").slice(-5).join(" | ")}`);
        try {
          reported = (JSON.parse(readFileSync(summaryPath, "utf8")) as { metrics: Record<string, { count?: number }> }).metrics.http_reqs?.count ?? 0;
        } catch (error) {
          problems.push(`no summary from loadr run: ${(error as Error).message}`);
        }
      });
    } else {
      const ctrl = await startControllerAt(cmd, await controllerPorts(), join(dir, "data"), logDir, lifetimeMs);
      procs.push(ctrl.proc);
      const agents = Array.from({ length: CLUSTER_AGENTS }, (_, i) => startAgentProc(cmd, ctrl.grpc, `soak-${i}`, logDir, lifetimeMs));
      procs.push(...agents);
      await until(`${CLUSTER_AGENTS} idle agents`, 45_000, async () => (await agentsOf(ctrl.http)).filter((a) => a.state === "idle").length === CLUSTER_AGENTS);
      const id = await submit(ctrl.http, planYaml(demo.url, o));
      watched = [{ name: "controller", proc: ctrl.proc }, ...agents.map((a, i) => ({ name: `agent ${i}`, proc: a }))];
      finished = until(`run ${id} ending`, runMs + END_SLACK_MS, async () => {
        const r = await runOf(ctrl.http, id);
        return FINAL.includes(r.status) ? r : undefined;
      }, 1_000).then((r) => {
        if (r.status !== "finished") problems.push(`the run ended ${r.status}${r.error ? ` (${r.error})` : ""}`);
        reported = metricValue(r, "http_reqs", "count");
      });
    }
    const sample = () => {
      const t = (Date.now() - t0) / 1000;
      for (const w of watched) {
        const mb = w.proc.alive() ? rssMb(w.proc.job.pid) : 0;
        if (mb > 0) (samples.get(w.name) ?? samples.set(w.name, []).get(w.name)!).push({ t, mb });
      }
    };
    sample();
    sampler = setInterval(sample, o.sampleSec * 1000);
    await finished;
    clearInterval(sampler);
    const target = await demo.settled(1_500, 30_000);
    if (reported !== target) problems.push(`the run reported http_reqs ${reported}, the target counted ${target}`);
    // Report: samples (at most ~30 rows) and one trend per process.
    const names = watched.map((w) => w.name);
    const all = samples.get(names[0]!) ?? [];
    const step = Math.max(1, Math.ceil(all.length / 30));
    const rows = all.filter((_, i) => i % step === 0 || i === all.length - 1).map((s) => [
      Math.round(s.t),
      ...names.map((n) => Number((samples.get(n)?.find((x) => Math.abs(x.t - s.t) < o.sampleSec / 2)?.mb ?? NaN).toFixed(1))),
    ]);
    process.stdout.write(`\nRSS (MB) by time (s):\n${table(["t", ...names], rows)}\n\n`);
    const trends = names.map((n) => ({ name: n, trend: rssTrend(afterWarmup(samples.get(n) ?? [], warmupSec)) }));
    process.stdout.write(`${table(
      ["process", "samples", "slope MB/h", "± 2 SE", "verdict"],
      trends.map(({ name, trend }) => [name, trend.n, Number(trend.slopeMbPerHour.toFixed(1)), Number.isFinite(trend.seMbPerHour) ? Number((2 * trend.seMbPerHour).toFixed(1)) : "-", trend.verdict]),
    )}\n(tolerance ${TOLERANCE_MB_PER_HOUR} MB/h; a verdict needs ${MIN_SPAN_SEC / 60} min of samples after the warm-up; "inconclusive": too short or too noisy to tell, run longer)\n`);
    for (const { name, trend } of trends) if (trend.verdict === "growth") problems.push(`${name}: RSS grows ${trend.slopeMbPerHour.toFixed(1)} ± ${(2 * trend.seMbPerHour).toFixed(1)} MB/h`);
    process.stdout.write(`\ncounts: the run reported ${reported} http_reqs, the target counted ${target}: ${reported === target ? "exact" : "DIFFERENT"}\n`);
  } catch (error) {
    problems.push((error as Error).message);
  } finally {
    clearInterval(sampler);
    for (const p of procs) await p.job.stop();
    await demo.proc.job.stop();
  }
  for (const p of problems) process.stdout.write(`VIOLATION: ${p}\n`);
  if (problems.length > 0) process.stdout.write(`logs: ${logDir}\n`);
  else rmSync(dir, { recursive: true, force: true });
  process.stdout.write(problems.length === 0 ? "soak: ok\n" : `soak: ${problems.length} violation(s)\n`);
  return problems.length > 0 ? 1 : 0;
}

await runScript("soak", USAGE, parseArgs, main);
