// Hermetic tests of the cluster suite's pure helpers: /proc parsing, the controller's ready line,
// wire-rate arithmetic, verdicts, and the realistic delta generator (no processes, no network).
// Run: node scripts/bun.mjs test ./bench/test
import { describe, expect, test } from "bun:test";
import { decodeSparse } from "../../src/metrics/hdr-codec.ts";
import { loadPlanInfo } from "../../src/cluster/controller/load-plan.ts";
import { shippedFiles } from "../../src/config/plan-files.ts";
import { parseReadyLine } from "../lib/cluster/controller-proc.ts";
import { clusterPlanYaml, countHttpReqs, deltaPool, FLOW, generateDelta, prng } from "../lib/cluster/delta.ts";
import { cpuPercent, parseStatTicks, parseStatusKb } from "../lib/cluster/procstat.ts";
import { bytesPerAgentSec, cpuTargetPct, verdict } from "../lib/cluster/targets.ts";
import { parseArgs } from "../lib/args.ts";

describe("procstat", () => {
  test("utime + stime from /proc/<pid>/stat, with spaces and ) in comm", () => {
    const stat = "4242 (loadr (ctl) x) S 1 4242 4242 0 -1 4194560 9005 0 0 0 1234 567 0 0 20 0 9 0 1000 300000000 40000 18446744073709551615";
    expect(parseStatTicks(stat)).toBe(1234 + 567);
    expect(parseStatTicks("garbage")).toBeNull();
  });
  test("status fields in kB", () => {
    const status = "Name:\tloadr\nVmHWM:\t  163840 kB\nVmRSS:\t  120000 kB\n";
    expect(parseStatusKb(status, "VmRSS")).toBe(120000);
    expect(parseStatusKb(status, "VmHWM")).toBe(163840);
    expect(parseStatusKb(status, "VmSwap")).toBeNull();
  });
  test("CPU % of one core", () => {
    expect(cpuPercent(1000, 1375, 15)).toBeCloseTo(25, 6);
    expect(cpuPercent(0, 10, 0)).toBe(0);
  });
});

test("the controller's ready line", () => {
  expect(parseReadyLine("loadr controller ctrl-1a2b3c4d: agents join 127.0.0.1:40111; HTTP API http://127.0.0.1:40112\n")).toEqual({
    grpc: "127.0.0.1:40111",
    http: "http://127.0.0.1:40112",
  });
  expect(parseReadyLine("controller: starting")).toBeNull();
});

test("bytes per agent per second at the fleet cadence, and verdicts", () => {
  // 1 batch/s of 9,000 bytes + 1 heartbeat per 2 s of 50 bytes.
  expect(bytesPerAgentSec({ batches: 3000, batchBytes: 27_000_000, heartbeats: 1500, heartbeatBytes: 75_000 })).toBe(9025);
  expect(bytesPerAgentSec({ batches: 0, batchBytes: 0, heartbeats: 4, heartbeatBytes: 200 })).toBeNull();
  expect(verdict(24.9, 25)).toBe("pass");
  expect(verdict(25, 25)).toBe("FAIL");
  expect(verdict(null, 25)).toBeNull();
});

test("--agents sizes the simulated fleet; the CPU target keeps issue 5's cost per agent", () => {
  const opts = (argv: string[]) => parseArgs(argv) as Exclude<ReturnType<typeof parseArgs>, "help">;
  expect(opts(["--only", "cluster"]).clusterAgents).toBe(200);
  expect(opts(["--only", "cluster", "--agents", "1000"]).clusterAgents).toBe(1000);
  expect(() => parseArgs(["--agents", "0"])).toThrow("--agents needs a positive number");
  expect(cpuTargetPct(200)).toBe(25);
  expect(cpuTargetPct(1000)).toBe(125);
});

describe("realistic deltas", () => {
  test("the PRNG is seeded", () => {
    const a = prng(7);
    const b = prng(7);
    const xs = Array.from({ length: 5 }, () => a());
    expect(xs).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
  test("one agent-second: every request counted, the usual tags, HDR trends", () => {
    const g = generateDelta(prng(1), 40);
    expect(g.httpReqs).toBe(40 * FLOW.length);
    expect(countHttpReqs(g.delta)).toBe(g.httpReqs);
    expect(g.samples).toBeGreaterThan(2000);
    const keys = Object.keys(g.delta.trends);
    expect(keys).toContain("http_req_duration{group=::account,method=POST,name=login,scenario=shoppers,status=200}");
    expect(keys.filter((k) => k.startsWith("http_req_")).length).toBeGreaterThanOrEqual(7 * FLOW.length);
    // Every trend is an HDR V2 histogram of ours, with samples.
    expect(Object.values(g.delta.trends).every((v) => (decodeSparse(v)?.totalCount ?? 0) > 0)).toBe(true);
    expect(JSON.parse(new TextDecoder().decode(g.bytes))).toEqual(g.delta);
  });
  test("countHttpReqs sums only http_reqs series", () => {
    expect(countHttpReqs({ counters: { http_reqs: 2, "http_reqs{a=b}": 3, iterations: 9, "http_reqsx{a=b}": 4 }, rates: {}, gauges: {}, trends: {} })).toBe(5);
  });
  test("a pool of distinct seconds within the iteration range", () => {
    const pool = deltaPool(4, 3, 10, 12);
    expect(pool).toHaveLength(4);
    for (const g of pool) expect(g.httpReqs / FLOW.length).toBeWithin(10, 13);
  });
  test("the fleet's plan is a valid loadr plan asking for every agent", () => {
    const info = loadPlanInfo({ text: clusterPlanYaml(200, 60, 30), file: "bench-cluster.yaml", baseDir: "/tmp", env: {} }, shippedFiles(new Map()));
    expect(info.cluster?.agents).toBe(200);
    expect(info.scenarios.map((s) => s.name)).toEqual(["shoppers"]);
  });
});
