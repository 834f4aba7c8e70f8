// Suite 4, startup: wall time of `loadr version` and of `loadr run` on a one-iteration plan
// (plans/startup.yaml, against nginx), `startupReps` times each per round.
import { join } from "node:path";
import type { Target } from "../nginx.ts";
import { runJob } from "../proc.ts";
import { fmt, spread } from "../stats.ts";
import { writePlan } from "../template.ts";
import type { LoadrCommand } from "../tools/loadr.ts";
import type { RunRecord } from "../types.ts";
import type { SuiteEnv } from "./common.ts";

const STARTUP_TIMEOUT_MS = 60_000;

export async function startupRound(env: SuiteEnv, nginx: Target, round: number, command: LoadrCommand): Promise<void> {
  const plan = writePlan("startup.yaml", env.dir, `r${round}-startup-loadr.yaml`, { URL: nginx.url });
  const summary = join(env.dir, `r${round}-startup-loadr-summary.json`);
  const cases: Array<[string, string[]]> = [
    ["version", [...command.argv, "version"]],
    ["run 1 iteration", [...command.argv, "run", plan, "--summary-json", summary, "--quiet"]],
  ];
  for (const [label, cmd] of cases) {
    const walls: number[] = [];
    for (let rep = 1; rep <= env.opts.startupReps; rep++) {
      const record: RunRecord = { kind: "startup", tool: "loadr", round, label, ok: false };
      const before = await nginx.counter();
      const started = performance.now();
      const r = await runJob({ name: `loadr ${label}`, cmd, timeoutMs: STARTUP_TIMEOUT_MS });
      const wallMs = performance.now() - started;
      record.targetCount = nginx.served(before, await nginx.counter());
      const expected = label === "version" ? 0 : 1;
      record.ok = !r.timedOut && (r.exitCode === 0 || r.exitCode === 99) && record.targetCount === expected;
      if (record.ok === false && !r.timedOut && (r.exitCode === 0 || r.exitCode === 99)) {
        r.stderr += `\nthe target counted ${record.targetCount} request(s), expected ${expected}`;
      }
      if (!record.ok) record.error = `exit ${r.exitCode ?? r.signal}${r.timedOut ? " (timed out)" : ""}: ${r.stderr.trim().split("\n").slice(-4).join(" | ")}`;
      record.usage = { wallSec: wallMs / 1000, cpuSec: r.cpuSec, peakRssMb: r.peakRssMb };
      record.extra = { wallMs, rep };
      env.records.push(record);
      if (record.ok) walls.push(wallMs);
      else {
        process.stdout.write(`  [round ${round}] startup ${label}: FAILED: ${record.error}\n`);
        break;
      }
    }
    const s = spread(walls);
    if (s) process.stdout.write(`  [round ${round}] startup ${label.padEnd(16)} wall ms ${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)}) over ${s.n}\n`);
  }
}
