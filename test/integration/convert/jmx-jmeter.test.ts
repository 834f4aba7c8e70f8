// The same .jmx run by Debian's JMeter 2.13 (non-GUI) and, converted, by loadr, against one
// counting target (test/helpers/jmx-target.ts): per thread/VU, the same method + path sequence,
// iteration by iteration. The fixtures use only elements JMeter 2.13 has, and send the thread
// number (`${__threadNum}`, loadr's `${vu}`) in an X-VU header so the target can tell threads
// apart. Needs the Debian packages jmeter and jmeter-http (and a Java runtime): without them the
// test fails saying so.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCountingTarget, type CountingTarget } from "../../helpers/jmx-target.ts";
import { jmeterProblem, JMETER_TIMEOUT_MS, runJMeter } from "../../helpers/jmeter.ts";
import { convertFixture, JMX_FIXTURES, runPlan } from "./jmx-helpers.ts";

let target: CountingTarget;
const dirs: string[] = [];
beforeAll(() => {
  target = startCountingTarget();
});
afterAll(() => {
  target.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** JMeter's start-up plus both runs, on a machine other tests also load. */
const TIMEOUT_MS = JMETER_TIMEOUT_MS + 120_000;

/** Runs `fixture` with JMeter, then its conversion with loadr; each run's sequences per VU. */
async function bothRuns(fixture: string) {
  const problem = jmeterProblem();
  if (problem) throw new Error(problem);
  const work = mkdtempSync(join(tmpdir(), "loadr-jmeter-"));
  dirs.push(work);
  const props = { host: "127.0.0.1", port: String(target.port) };

  target.reset();
  const jmeter = await runJMeter(join(JMX_FIXTURES, fixture), props, work);
  expect(jmeter.code, jmeter.output).toBe(0);
  const samples = jmeter.jtl.trim().split("\n").filter(Boolean);
  const jmeterSeen = target.byVu();

  const converted = convertFixture(fixture);
  dirs.push(converted.dir);
  expect(converted.code, converted.report).toBe(0);
  target.reset();
  const loadr = await runPlan(converted.planPath, props, converted.dir);
  expect(loadr.code, loadr.stderr).toBe(0);
  return { jmeterSeen, samples, loadrSeen: target.byVu(), loadr };
}

describe("JMeter 2.13 and loadr send the same requests for the same .jmx", () => {
  test(
    "basic.jmx: per thread/VU, the same sequence (defaults, headers, CSV, extractors, If/Loop/While/Transaction/Once Only/Simple controllers, timers)",
    async () => {
      const { jmeterSeen, samples, loadrSeen, loadr } = await bothRuns("basic.jmx");
      // Every JMeter sample passed its assertions (success column), and every loadr check passed.
      // 2 threads × (13 + 9 + 9) HTTP samples, plus one Transaction Controller sample per iteration.
      expect(samples.length).toBe(2 * (13 + 9 + 9) + 2 * 3);
      // The JTL's columns end with success, bytes, grpThreads, allThreads, Latency.
      expect(samples.filter((line) => /,(true|false),\d+,\d+,\d+,\d+$/.exec(line)?.[1] !== "true")).toEqual([]);
      expect(loadr.summary.metrics.checks?.fails).toBe(0);
      expect([...jmeterSeen.keys()].sort()).toEqual(["1", "2"]);
      expect(Object.fromEntries(loadrSeen)).toEqual(Object.fromEntries(jmeterSeen));
    },
    TIMEOUT_MS,
  );

  test(
    "two-groups.jmx: two thread groups, a property-driven loop count, Throughput/Random controllers, a pause, a PUT form and a raw POST",
    async () => {
      const { jmeterSeen, loadrSeen } = await bothRuns("two-groups.jmx");
      expect([...jmeterSeen.keys()].sort()).toEqual(["a-1", "a-2", "b-1"]);
      expect(Object.fromEntries(loadrSeen)).toEqual(Object.fromEntries(jmeterSeen));
    },
    TIMEOUT_MS,
  );
});
