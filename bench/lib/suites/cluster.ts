// Suite 5, cluster: the controller's cost of merging a fleet's metrics. `loadr controller` runs
// as a child process (measured alone from /proc); 200 simulated agents in the bench process speak
// the real protocol over loopback gRPC (lib/cluster/sim-agent.ts): Register, a submitted plan
// that targets all of them, STARTED at the barrier, one realistic MetricsBatch per second each
// (lib/cluster/delta.ts), heartbeats every 2 s, FINISHED at the end. Over a steady window of
// --duration seconds: controller CPU (% of one core), peak RSS, and bytes per agent per second on
// the wire. The run's merged http_reqs (GET /api/runs/:id) must equal what the fleet sent.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startControllerProc, getRun, submitPlan, summaryValue, type ControllerProc } from "../cluster/controller-proc.ts";
import { clusterPlanYaml, deltaPool, type GeneratedDelta } from "../cluster/delta.ts";
import { CLK_TCK, cpuPercent, cpuTicks, statusKb } from "../cluster/procstat.ts";
import { newTally, SimAgent } from "../cluster/sim-agent.ts";
import { BATCH_MS, bytesPerAgentSec, CLUSTER_TARGETS, cpuTargetPct, verdict } from "../cluster/targets.ts";
import type { LoadrCommand } from "../tools/loadr.ts";
import type { RunRecord } from "../types.ts";
import { printRecord, SETTLE_MS, type SuiteEnv } from "./common.ts";

/** Seconds of batches before the window opens (connections warm, first merges done). */
const WARMUP_SEC = 3;
/** Distinct agent-seconds generated up front; agent i sends pool[(7i + s) mod size] at second s. */
const POOL_SIZE = 100;
/** Iterations of the 5-request flow per agent-second: 200–375 requests, ~2.6k–4.9k samples. */
const ITERATIONS: [number, number] = [40, 75];
/** A step (registering, starting, ending) of a fleet of 200; larger fleets get proportionally more. */
const STEP_TIMEOUT_MS = 60_000;
const RSS_SAMPLE_MS = 200;

let pool: GeneratedDelta[] | undefined;

async function until<T>(what: string, p: Promise<T>, ms = STEP_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms / 1000} s`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function clusterRound(env: SuiteEnv, round: number, command: LoadrCommand): Promise<void> {
  const fleet = env.opts.clusterAgents;
  const stepMs = STEP_TIMEOUT_MS * Math.max(1, fleet / CLUSTER_TARGETS.agents);
  const record: RunRecord = { kind: "cluster", tool: "loadr", round, label: `${fleet} agents`, ok: false };
  const windowSec = Math.max(3, env.opts.durationSec);
  if (!pool) {
    const t = performance.now();
    pool = deltaPool(POOL_SIZE, 5, ITERATIONS[0], ITERATIONS[1]);
    process.stdout.write(`  cluster: ${POOL_SIZE} realistic agent-second deltas generated in ${Math.round(performance.now() - t)} ms\n`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), "loadr-bench-cluster-"));
  const prefix = `r${round}-cluster-controller`;
  const tally = newTally();
  const agents: SimAgent[] = [];
  let ctrl: ControllerProc | undefined;
  let sampler: ReturnType<typeof setInterval> | undefined;
  try {
    ctrl = await startControllerProc(command.argv, dataDir, join(env.dir, prefix), (windowSec + WARMUP_SEC + 240) * 1000 + 3 * stepMs);
    record.files = [`${prefix}.stdout.txt`, `${prefix}.stderr.txt`];
    const c = ctrl;
    const idleRssKb = statusKb(c.pids(), "VmRSS");
    let peakKb = idleRssKb;
    sampler = setInterval(() => (peakKb = Math.max(peakKb, statusKb(c.pids(), "VmRSS"))), RSS_SAMPLE_MS);

    const t0 = performance.now();
    for (let i = 0; i < fleet; i++) {
      agents.push(new SimAgent({ index: i, target: c.grpc, pool, tally, phaseMs: Math.floor((i * BATCH_MS) / fleet) }));
    }
    await until(`${fleet} agents registering`, Promise.all(agents.map((a) => a.registered)), stepMs);
    const registerMs = performance.now() - t0;
    const runId = await submitPlan(c.http, clusterPlanYaml(fleet, 60, windowSec + WARMUP_SEC + 60));
    const starts = await until(`the run starting on ${fleet} agents`, Promise.all(agents.map((a) => a.started)), stepMs);
    const startUnixMs = Math.max(...starts.map((s) => s.startUnixMs));
    const ticksAtStart = cpuTicks(c.pids());
    await Bun.sleep(Math.max(0, startUnixMs + (WARMUP_SEC + 1) * 1000 - Date.now()));

    // The steady window.
    const ticks0 = cpuTicks(c.pids());
    const bench0 = process.cpuUsage();
    const w0 = performance.now();
    const rssAtWindowKb = statusKb(c.pids(), "VmRSS");
    tally.open = true;
    await Bun.sleep(windowSec * 1000);
    tally.open = false;
    const ticks1 = cpuTicks(c.pids());
    const bench1 = process.cpuUsage(bench0);
    const wallSec = (performance.now() - w0) / 1000;
    const broken = agents.find((a) => a.error);
    if (broken) throw new Error(`agent ${broken.name}: ${broken.error}`);
    if (ticks0 === null || ticks1 === null) throw new Error("the controller's /proc stat could not be read");

    for (const a of agents) a.finish();
    const finishedAt = performance.now();
    let run = await getRun(c.http, runId);
    const deadline = Date.now() + stepMs;
    while (!run.summary && Date.now() < deadline) {
      await Bun.sleep(100);
      run = await getRun(c.http, runId);
    }
    const drainMs = performance.now() - finishedAt;
    const ticksAtSummary = cpuTicks(c.pids());
    clearInterval(sampler);
    const hwmKb = statusKb(c.pids(), "VmHWM");
    peakKb = Math.max(peakKb, hwmKb);
    if (!run.summary) throw new Error(`run ${runId} is still ${run.status} ${stepMs / 1000} s after every agent finished`);

    const sent = agents.reduce((n, a) => n + a.httpReqsSent, 0);
    const batchesSent = agents.reduce((n, a) => n + a.batchesSent, 0);
    const merged = summaryValue(run, "http_reqs", "count");
    const mergedDuration = summaryValue(run, "http_req_duration", "count");
    const cpuPct = cpuPercent(ticks0, ticks1, wallSec);
    const perAgent = bytesPerAgentSec(tally);
    record.usage = { wallSec, cpuSec: (ticks1 - ticks0) / CLK_TCK, peakRssMb: (peakKb * 1024) / 1e6 };
    record.extra = {
      agents: fleet,
      cpuPctOfCore: cpuPct,
      bytesPerAgentSec: perAgent,
      bytesPerAgentSecObserved: (tally.batchBytes + tally.heartbeatBytes) / fleet / wallSec,
      batchBytesMean: tally.batches ? tally.batchBytes / tally.batches : null,
      batchBytesMax: tally.batchBytesMax,
      heartbeatBytesMean: tally.heartbeats ? tally.heartbeatBytes / tally.heartbeats : null,
      samplesPerBatch: tally.batches ? tally.samples / tally.batches : null,
      batchesPerSec: tally.batches / wallSec,
      // Robust to a busy host: the controller's CPU for the whole run (start to summary, backlog
      // included) per batch it merged, and how long it took to drain after the last batch was sent.
      cpuMsPerBatch: ticksAtStart !== null && ticksAtSummary !== null && batchesSent > 0 ? ((ticksAtSummary - ticksAtStart) / CLK_TCK / batchesSent) * 1000 : null,
      drainMs,
      benchAgentsCpuPct: ((bench1.user + bench1.system) / 1e6 / wallSec) * 100,
      idleRssMb: (idleRssKb * 1024) / 1e6,
      windowStartRssMb: (rssAtWindowKb * 1024) / 1e6,
      registerMs,
      sentHttpReqs: sent,
      mergedHttpReqs: merged,
      mergedDurationCount: mergedDuration,
      cpuTargetPct: cpuTargetPct(fleet),
      cpuTarget: verdict(cpuPct, cpuTargetPct(fleet)),
      wireTarget: verdict(perAgent, CLUSTER_TARGETS.wireBytes),
      runStatus: run.status,
    };
    record.targetCount = sent;
    if (merged !== null) record.countDelta = merged - sent;
    record.ok = merged === sent && mergedDuration === sent;
    if (!record.ok) record.error = `the controller merged http_reqs ${merged} and http_req_duration count ${mergedDuration}, the agents sent ${sent}`;
  } catch (error) {
    record.ok = false;
    record.error = error instanceof Error ? error.message : String(error);
  } finally {
    clearInterval(sampler);
    for (const a of agents) a.close();
    await ctrl?.job.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  env.records.push(record);
  printRecord(record);
  await Bun.sleep(SETTLE_MS);
}
