// A child process that runs one in-process rung of the cost ladder and prints its RungOutput as
// the last line of stdout: `bun bench/ladder/rung-main.ts '<RungSpec JSON>'`. One rung per
// process, so the harness measures its CPU alone (the kernel's rusage of this process: every
// thread, user and system apart). The `binary` rung is the compiled CLI, run by the harness itself.
import { runBare, runBareAsync } from "./bare.ts";
import { ladderPlanYaml, runEngineInline, runLocal, writeLadderPlan } from "./engine.ts";
import type { LoopTally } from "./drive.ts";
import { runConnection, runSession } from "./http1-rungs.ts";
import { isRung, type RungOutput, type RungSpec } from "./rungs.ts";

/** How often the heap is sampled (after a forced GC) when `heap` is asked. */
const HEAP_SAMPLE_MS = 1000;

async function runRung(spec: RungSpec): Promise<LoopTally> {
  switch (spec.rung) {
    case "bare":
      return runBare(spec);
    case "bare-async":
      return runBareAsync(spec);
    case "connection":
      return runConnection(spec);
    case "session": {
      const tally = await runSession(spec);
      if (tally.recorded !== tally.requests || tally.recordedErrors !== tally.errors) {
        throw new Error(`the MetricStore recorded ${tally.recorded} requests (${tally.recordedErrors} failed), the loops counted ${tally.requests} (${tally.errors})`);
      }
      return tally;
    }
    case "engine-inline":
    case "local-run": {
      const { source } = writeLadderPlan(spec.dir, `${spec.rung}-plan.yaml`, ladderPlanYaml(spec.url, spec.connections, spec.budget));
      const started = performance.now();
      const tally = spec.rung === "engine-inline" ? await runEngineInline(source) : await runLocal(source);
      return { requests: tally.requests, errors: tally.errors, loadSec: (performance.now() - started) / 1000 };
    }
    case "binary":
      throw new Error("the binary rung is run by the harness (bench/ladder/ladder.ts), not in a rung child");
  }
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? "null") as RungSpec | null;
  if (spec === null || !isRung(spec.rung)) throw new Error(`usage: rung-main.ts '<RungSpec JSON>' (got ${process.argv[2]})`);
  const heap: number[] = [];
  const sampleHeap = () => {
    Bun.gc(true);
    heap.push(process.memoryUsage().heapUsed / 1e6);
  };
  // The local run's VUs live in its worker thread, whose heap this thread does not see.
  const sampler = spec.heap && spec.rung !== "local-run" ? setInterval(sampleHeap, HEAP_SAMPLE_MS) : undefined;
  const tally = await runRung(spec);
  clearInterval(sampler);
  const out: RungOutput = { rung: spec.rung, requests: tally.requests, errors: tally.errors, loadSec: tally.loadSec };
  if (heap.length > 0) {
    out.heapBeforeMb = heap[0]!;
    out.heapAfterMb = heap[heap.length - 1]!;
  }
  await Bun.write(Bun.stdout, `${JSON.stringify(out)}\n`);
}

await main();
// Every socket and timer of the rung is closed; exit now rather than wait for the runtime's idle.
process.exit(0);
