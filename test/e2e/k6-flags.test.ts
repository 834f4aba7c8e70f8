// k6's CLI spellings on the compiled binary against `loadr demo` (port 0): --vus/--duration and
// --iterations replace the plan's load model (locally and through --local-agents, whose agents
// get the plan text with the flags written in), --vsu is refused naming --vus, and the flags'
// LOADR_* environment forms work. Counts are checked against the target's own.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { requireBinary, spawnUntil } from "../helpers/binary.ts";
import { demoStats, writePlan, type PlanDir } from "../helpers/plans.ts";

let demo: Bun.Subprocess;
let demoUrl: string;
let plan: PlanDir;

// One scenario whose own load model (5 iterations of one VU) every test replaces with flags.
const PLAN = `
name: k6-flags
baseUrl: \${env.BASE_URL}
scenarios:
  browse:
    executor: per-vu-iterations
    vus: 1
    iterations: 5
    flow:
      - request: { name: item, url: /json, checks: [{ status: 200 }] }
      - sleep: 50ms
`;

beforeAll(async () => {
  const started = await spawnUntil(["demo", "--port", "0"], /listening on (http:\/\/\S+)/);
  demo = started.process;
  demoUrl = started.match[1]!;
  plan = writePlan(PLAN);
});

afterAll(() => {
  demo?.kill();
  plan?.cleanup();
});

async function run(args: string[], env: Record<string, string> = {}, workers = ["--workers", "2"]) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("LOADR_")));
  const child = Bun.spawn([requireBinary(), "run", plan.planPath, ...workers, "--summary-json", plan.path("s.json"), ...args], {
    env: { ...clean, BASE_URL: demoUrl, NO_COLOR: "1", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr, summary: () => JSON.parse(readFileSync(plan.path("s.json"), "utf8")) };
}

const served = async () => (await demoStats(demoUrl)).byPath["/json"] ?? 0;

describe("k6's load flags", () => {
  test("--vus 7 --duration 3s: a constant-vus run of 7 VUs that lasts the 3 s asked", async () => {
    const { code, stderr, summary } = await run(["--vus", "7", "--duration", "3s"]);
    expect(code).toBe(0);
    expect(stderr).toContain("browse (constant-vus)");
    const s = summary();
    expect(s.scenarios).toMatchObject([{ name: "browse", executor: "constant-vus", vus_max: 7, iterations_interrupted: 0 }]);
    expect(s.metrics.vus_max.value).toBe(7);
    // Bounded by the plan: 3 s of load, then at most the in-flight iterations (a 50 ms sleep).
    expect(s.state.testRunDurationMs).toBeGreaterThanOrEqual(3000);
    expect(s.state.testRunDurationMs).toBeLessThan(5000);
  });

  test("--iterations 12 --vus 3: exactly 12 iterations, and the target counted 12 requests", async () => {
    const before = await served();
    const { code, summary } = await run(["--iterations", "12", "--vus", "3"]);
    expect(code).toBe(0);
    const s = summary();
    expect(s.metrics.iterations.count).toBe(12);
    expect(s.metrics.http_reqs.count).toBe(12);
    expect((await served()) - before).toBe(12);
    expect(s.metrics.vus_max.value).toBe(3);
  });

  test("through --local-agents 2 the agents run the flags' load model: 10 iterations in all", async () => {
    const before = await served();
    const { code, stderr, summary } = await run(["--local-agents", "2", "--iterations", "10", "--vus", "2"]);
    expect(code, stderr).toBe(0);
    const s = summary();
    expect(s.scenarios).toEqual([
      { name: "browse", executor: "shared-iterations", iterations_complete: 10, iterations_interrupted: 0, dropped_iterations: 0, vus_max: 2 },
    ]);
    expect(s.metrics.iterations.count).toBe(10);
    expect((await served()) - before).toBe(10);
  });

  test("--vsu 10 is refused with exit 104, naming --vus", async () => {
    const { code, stderr } = await run(["--vsu", "10"]);
    expect(code).toBe(104);
    expect(stderr).toContain("unknown flag --vsu for `loadr run` (did you mean --vus?)");
  });
});

describe("LOADR_* forms of the flags", () => {
  test("LOADR_SUMMARY_TREND_STATS picks the trend columns; LOADR_LOG_FORMAT=json makes stderr JSON", async () => {
    const { code, stdout, stderr, summary } = await run(["--iterations", "2"], { LOADR_SUMMARY_TREND_STATS: "avg,p(99.9)", LOADR_LOG_FORMAT: "json" });
    expect(code).toBe(0);
    expect(Object.keys(summary().metrics.http_req_duration)).toEqual(["avg", "p(99.9)"]);
    expect(stdout).toMatch(/http_req_duration\.+: avg=\S+ p\(99\.9\)=\S+\n/);
    for (const line of stderr.trimEnd().split("\n")) expect(Object.keys(JSON.parse(line))).toEqual(["time", "level", "subsystem", "message"]);
  });

  test("LOADR_HTTP_DEBUG=full prints the exchanges; a bad LOADR_WORKERS is refused naming the variable", async () => {
    const debug = await run(["--iterations", "1"], { LOADR_HTTP_DEBUG: "full" });
    expect(debug.code).toBe(0);
    expect(debug.stderr).toContain("Request:\nGET /json HTTP/1.1\n");
    expect(debug.stderr).toMatch(/Response:\nHTTP\/1\.1 200 OK\n[\s\S]*"service":"loadr-demo"/);
    const workers = await run([], { LOADR_WORKERS: "many" }, []);
    expect(workers.code).toBe(104);
    expect(workers.stderr).toContain('LOADR_WORKERS expects a whole number from 1 to 256, got "many"');
  });
});
