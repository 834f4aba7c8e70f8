// `npm run chaos`: runs on a local controller with 3 agent processes against the counting demo
// target, each with one random fault at a random moment (kill -9, kill -STOP then -CONT, or
// SIGTERM of an agent; kill -9 of the controller), and checks each run's onAgentLoss policy and
// counts by the rules in scripts/reliability/chaos-rules.ts. Prints a table; exits 1 on a
// violation. Every process is started, signalled and stopped by PID; every wait is bounded.
//
//   npm run chaos                          # 10 runs, random seed (printed)
//   npm run chaos -- --runs 3 --seed 42    # replay a schedule
//   npm run chaos -- --faults agent-stop --policy continue --duration 15
import { runScript } from "./reliability/cli.ts";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prng } from "../bench/lib/cluster/delta.ts";
import { installCleanup } from "../bench/lib/proc.ts";
import { LIVENESS_WINDOW_MS } from "../src/cluster/states.ts";
import { drawFault, expectationOf, FAULT_KINDS, judgeCounts, TERM_EXIT_MS, type Fault, type FaultKind, type Policy } from "./reliability/chaos-rules.ts";
import {
  agentsOf, controllerPorts, FINAL, loadrCommand, metricValue, runOf, startAgentProc, startControllerAt, startDemo, submit, until,
  type ControllerProc, type Proc, type RunInfo,
} from "./reliability/cluster.ts";
import { table } from "./reliability/table.ts";

const USAGE = `npm run chaos -- [options]

  --runs N          runs, one fault each (default 10)
  --seed N          seed of the fault schedule (default: random, printed)
  --duration S      seconds of load per run (default 12)
  --faults LIST     ${FAULT_KINDS.join(",")} (default: all)
  --policy P        continue | abort | random (default random, per run)
  --loadr WHICH     auto (dist/loadr-<os>-<arch> when built, default) | source | PATH
  --keep-logs       keep the processes' logs (printed path) even when every run passes
  --help            this text
`;

const AGENTS = 3;
const VUS_PER_AGENT = 2;
/** After the controller dies, agents must stop their load within the liveness window plus this. */
const FAILSAFE_SLACK_MS = 4_000;
/** A run must end within its duration plus this (stop timeouts, restarts, slow hosts). */
const RUN_END_SLACK_MS = 90_000;

interface Options {
  runs: number;
  seed: number;
  durationSec: number;
  faults: FaultKind[];
  policy: Policy | "random";
  loadr: string;
  keepLogs: boolean;
}

function parseArgs(argv: string[]): Options | "help" {
  const o: Options = { runs: 10, seed: Math.floor(Math.random() * 2 ** 31), durationSec: 12, faults: [...FAULT_KINDS], policy: "random", loadr: "auto", keepLogs: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    const n = (min: number): number => {
      const x = Number(v());
      if (!Number.isFinite(x) || x < min) throw new Error(`${a} needs a number ≥ ${min}`);
      return x;
    };
    if (a === "--help" || a === "-h") return "help";
    else if (a === "--runs") o.runs = Math.round(n(1));
    else if (a === "--seed") o.seed = Math.round(n(0));
    else if (a === "--duration") o.durationSec = n(6);
    else if (a === "--keep-logs") o.keepLogs = true;
    else if (a === "--loadr") o.loadr = v();
    else if (a === "--faults") {
      o.faults = v().split(",").map((s) => s.trim()) as FaultKind[];
      for (const f of o.faults) if (!FAULT_KINDS.includes(f)) throw new Error(`unknown fault "${f}" (known: ${FAULT_KINDS.join(", ")})`);
    } else if (a === "--policy") {
      const p = v();
      if (p !== "continue" && p !== "abort" && p !== "random") throw new Error(`--policy is continue, abort or random, got "${p}"`);
      o.policy = p;
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  return o;
}

function planYaml(durationSec: number, policy: Policy): string {
  return `name: chaos
baseUrl: \${env.BASE_URL}
scenarios:
  steady:
    executor: constant-vus
    vus: ${AGENTS * VUS_PER_AGENT}
    duration: ${durationSec}s
    flow:
      - request: { name: home, url: / }
      - sleep: 20ms
cluster:
  agents: ${AGENTS}
  wait: 30s
  onAgentLoss: ${policy}
`;
}

interface Row {
  run: number;
  fault: string;
  policy: Policy;
  expected: string;
  status: string;
  target: number;
  reported: number | null;
  bound: string;
  verdict: string;
  notes: string[];
}

class Cluster {
  ctrl!: ControllerProc;
  readonly agents: Proc[] = [];
  constructor(readonly cmd: string[], readonly ports: { grpcPort: number; httpPort: number }, readonly dataDir: string, readonly logDir: string, readonly lifetimeMs: number) {}

  async startController(): Promise<void> {
    this.ctrl = await startControllerAt(this.cmd, this.ports, this.dataDir, this.logDir, this.lifetimeMs);
  }

  startAgent(i: number): void {
    this.agents[i] = startAgentProc(this.cmd, this.ctrl.grpc, `chaos-${i}`, this.logDir, this.lifetimeMs);
  }

  /** Everything back: the controller up, every agent process running and idle on it. */
  async heal(): Promise<void> {
    if (!this.ctrl?.proc.alive()) await this.startController();
    for (let i = 0; i < AGENTS; i++) {
      const a = this.agents[i];
      if (a?.alive()) {
        try {
          process.kill(a.job.pid, "SIGCONT");
        } catch {}
      } else this.startAgent(i);
    }
    await until(`${AGENTS} idle agents`, 45_000, async () => {
      const list = await agentsOf(this.ctrl.http);
      return Array.from({ length: AGENTS }, (_, i) => `chaos-${i}`).every((name) => list.some((x) => x.name === name && x.state === "idle"));
    }, 200);
  }
}

/** Applies the fault; resolves when it is over (a stopped agent continued, a terminated one gone). */
async function inject(c: Cluster, fault: Fault, notes: string[]): Promise<void> {
  const agent = c.agents[fault.agent]!;
  switch (fault.kind) {
    case "agent-kill9":
      process.kill(agent.job.pid, "SIGKILL");
      return;
    case "agent-stop":
      process.kill(agent.job.pid, "SIGSTOP");
      await Bun.sleep(fault.stopMs);
      process.kill(agent.job.pid, "SIGCONT");
      return;
    case "agent-term": {
      const t0 = Date.now();
      process.kill(agent.job.pid, "SIGTERM");
      const gone = await until("the agent exiting after SIGTERM", TERM_EXIT_MS + 10_000, () => !agent.alive() || undefined, 50).catch(() => false);
      const ms = (agent.exitedAt ?? Date.now()) - t0;
      if (!gone || ms > TERM_EXIT_MS) {
        notes.push(`VIOLATION: chaos-${fault.agent} took ${gone ? `${ms} ms` : `over ${(TERM_EXIT_MS + 10_000) / 1000} s`} to exit after SIGTERM (systemd allows ${TERM_EXIT_MS / 1000} s)`);
        if (!gone) process.kill(agent.job.pid, "SIGKILL");
      } else notes.push(`chaos-${fault.agent} exited ${ms} ms after SIGTERM (code ${agent.exitCode})`);
      return;
    }
    case "controller-kill9":
      process.kill(c.ctrl.proc.job.pid, "SIGKILL");
  }
}

const describe = (f: Fault) =>
  f.kind === "controller-kill9" ? `controller kill -9 at ${(f.atMs / 1000).toFixed(1)}s`
  : f.kind === "agent-stop" ? `chaos-${f.agent} STOP ${(f.stopMs / 1000).toFixed(1)}s at ${(f.atMs / 1000).toFixed(1)}s`
  : `chaos-${f.agent} ${f.kind === "agent-kill9" ? "kill -9" : "SIGTERM"} at ${(f.atMs / 1000).toFixed(1)}s`;

async function oneRun(c: Cluster, demo: Awaited<ReturnType<typeof startDemo>>, n: number, fault: Fault, policy: Policy, o: Options): Promise<Row> {
  const expectation = expectationOf(fault, policy, LIVENESS_WINDOW_MS);
  const notes: string[] = [];
  const row: Row = { run: n, fault: describe(fault), policy, expected: expectation.statuses.join("|"), status: "?", target: 0, reported: null, bound: "-", verdict: "?", notes };
  await c.heal();
  await demo.settled(500, 15_000);
  await demo.reset();
  const id = await submit(c.ctrl.http, planYaml(o.durationSec, policy).replace("${env.BASE_URL}", demo.url));
  const started = await until(`run ${id} starting`, 45_000, async () => {
    const r = await runOf(c.ctrl.http, id);
    if (FINAL.includes(r.status)) throw new Error(`run ${id} ended ${r.status} before it started: ${r.error ?? ""}`);
    return r.status === "running" ? r.startAtUnixMs ?? Date.now() : undefined;
  });
  await Bun.sleep(Math.max(0, started + fault.atMs - Date.now()));
  await inject(c, fault, notes);
  let run: RunInfo | undefined;
  if (fault.kind === "controller-kill9") {
    const killedAt = Date.now();
    await demo.settled(1_500, LIVENESS_WINDOW_MS + FAILSAFE_SLACK_MS + 1_500).then(
      () => notes.push(`load stopped within ${((Date.now() - killedAt - 1_500) / 1000).toFixed(1)} s of the kill`),
      () => notes.push(`VIOLATION: the agents still sent load ${(LIVENESS_WINDOW_MS + FAILSAFE_SLACK_MS) / 1000} s after the controller died`),
    );
    await c.startController();
    run = await runOf(c.ctrl.http, id);
  } else {
    run = await until(`run ${id} ending`, o.durationSec * 1000 + RUN_END_SLACK_MS, async () => {
      const r = await runOf(c.ctrl.http, id);
      return FINAL.includes(r.status) ? r : undefined;
    }, 250);
  }
  row.status = run.status;
  row.target = await demo.settled(1_500, 30_000);
  if (expectation.counts !== "none") row.reported = metricValue(run, "http_reqs", "count");
  const lost = (run.summary?.fleet?.agents ?? []).filter((a) => a.state === "lost").map((a) => ({ name: a.name, ...(a.unreportedEstimate ? { unreportedRequests: a.unreportedEstimate.requests } : {}) }));
  const counts = judgeCounts(expectation, row.target, row.reported ?? 0, lost, metricValue(run, "vus_max", "value"));
  row.bound = expectation.counts === "none" ? "-" : expectation.counts === "exact" ? "exact" : counts.bound !== undefined ? `≤ ${counts.bound}` : "unstated";
  const problems = [
    ...(expectation.statuses.includes(run.status) ? [] : [`status ${run.status}${run.error ? ` (${run.error})` : ""}, expected ${row.expected}`]),
    ...(counts.ok ? [] : [counts.why!]),
    ...notes.filter((x) => x.startsWith("VIOLATION")).map((x) => x.slice(11)),
  ];
  row.verdict = problems.length === 0 ? "ok" : "VIOLATION";
  for (const p of problems) if (!notes.includes(`VIOLATION: ${p}`)) notes.push(`VIOLATION: ${p}`);
  return row;
}

async function main(o: Options): Promise<number> {
  installCleanup();
  const cmd = loadrCommand(o.loadr);
  const rand = prng(o.seed);
  const dir = mkdtempSync(join(tmpdir(), "loadr-chaos-"));
  const logDir = join(dir, "logs");
  mkdirSync(logDir);
  const lifetimeMs = o.runs * (o.durationSec * 1000 + 2 * RUN_END_SLACK_MS) + 120_000;
  process.stdout.write(`loadr chaos: ${o.runs} runs of ${o.durationSec} s, seed ${o.seed}, faults ${o.faults.join(",")}, loadr ${cmd.join(" ")}\n`);
  const demo = await startDemo(cmd, logDir, lifetimeMs);
  const cluster = new Cluster(cmd, await controllerPorts(), join(dir, "data"), logDir, lifetimeMs);
  const rows: Row[] = [];
  const t0 = Date.now();
  try {
    for (let n = 1; n <= o.runs; n++) {
      const fault = drawFault(rand, o.faults, AGENTS, o.durationSec * 1000, LIVENESS_WINDOW_MS);
      const policy: Policy = o.policy === "random" ? (rand() < 0.5 ? "continue" : "abort") : o.policy;
      let row: Row;
      try {
        row = await oneRun(cluster, demo, n, fault, policy, o);
      } catch (error) {
        row = { run: n, fault: describe(fault), policy, expected: expectationOf(fault, policy, LIVENESS_WINDOW_MS).statuses.join("|"), status: "error", target: 0, reported: null, bound: "-", verdict: "VIOLATION", notes: [`VIOLATION: ${(error as Error).message}`] };
      }
      rows.push(row);
      process.stdout.write(`  run ${n}: ${row.fault}, ${policy}: ${row.status}, target ${row.target}, reported ${row.reported ?? "-"} (${row.bound}): ${row.verdict}\n`);
    }
  } finally {
    await cluster.ctrl?.proc.job.stop();
    for (const a of cluster.agents) {
      try {
        process.kill(a.job.pid, "SIGCONT");
      } catch {}
      await a.job.stop();
    }
    await demo.proc.job.stop();
  }
  const violations = rows.filter((r) => r.verdict !== "ok");
  process.stdout.write(`\n${table(
    ["#", "fault", "policy", "expected", "status", "target", "reported", "gap", "bound", "verdict"],
    rows.map((r) => [r.run, r.fault, r.policy, r.expected, r.status, r.target, r.reported ?? "-", r.reported === null ? "-" : r.target - r.reported, r.bound, r.verdict]),
  )}\n`);
  for (const r of rows) for (const note of r.notes) process.stdout.write(`  run ${r.run}: ${note}\n`);
  process.stdout.write(`\n${rows.length} runs in ${Math.round((Date.now() - t0) / 1000)} s (seed ${o.seed}): ${rows.length - violations.length} ok, ${violations.length} violation(s)\n`);
  if (violations.length > 0 || o.keepLogs) process.stdout.write(`logs: ${logDir}\n`);
  else rmSync(dir, { recursive: true, force: true });
  return violations.length > 0 ? 1 : 0;
}

await runScript("chaos", USAGE, parseArgs, main);
