// `--out jsonl=FILE` and Ctrl-C on the compiled binary against `loadr demo` (port 0): the JSONL
// file, the summary and the target's own count agree, to the request, whether the run ends on
// its own or is interrupted (exit 105, summary printed).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { requireBinary, spawnUntil } from "../helpers/binary.ts";
import { demoStats, writePlan } from "../helpers/plans.ts";

let demo: Bun.Subprocess;
let demoUrl: string;

beforeAll(async () => {
  const started = await spawnUntil(["demo", "--port", "0"], /listening on (http:\/\/\S+)/);
  demo = started.process;
  demoUrl = started.match[1]!;
});

afterAll(() => {
  demo?.kill();
});

const plan = (duration: string) => `
name: jsonl-e2e
baseUrl: \${env.BASE_URL}
scenarios:
  steady:
    executor: constant-vus
    vus: 3
    duration: ${duration}
    gracefulStop: 2s
    flow:
      - request: { name: home, url: /json, checks: [{ status: 200 }] }
      - request: { name: missing, url: /status/404 }
      - sleep: 20ms
`;

function spawnRun(planPath: string, args: string[]) {
  return Bun.spawn([requireBinary(), "run", planPath, "--workers", "2", ...args], {
    env: { ...process.env, BASE_URL: demoUrl, NO_COLOR: "1" },
    stdout: "pipe",
    stderr: "pipe",
  });
}

interface Line {
  type: string;
  metric: string;
  tags?: Record<string, string>;
  data: Record<string, number | string>;
}

function readJsonl(path: string): Line[] {
  return readFileSync(path, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Line);
}

const pointCount = (lines: Line[], metric: string, tags: Record<string, string> = {}) =>
  lines
    .filter((l) => l.type === "Point" && l.metric === metric && Object.entries(tags).every(([k, v]) => l.tags?.[k] === v))
    .reduce((n, l) => n + (l.data.count as number), 0);

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(50);
  }
}

describe("--out jsonl=FILE", () => {
  test("the http_reqs Points add up to the summary's count and to the target's own count", async () => {
    const dir = writePlan(plan("3s"));
    try {
      const before = (await demoStats(demoUrl)).total;
      const child = spawnRun(dir.planPath, ["--out", `jsonl=${dir.path("metrics.jsonl")}`, "--summary-json", dir.path("summary.json"), "--quiet"]);
      const code = await child.exited;
      expect(code).toBe(0);
      const served = (await demoStats(demoUrl)).total - before;
      const summary = JSON.parse(readFileSync(dir.path("summary.json"), "utf8"));
      const lines = readJsonl(dir.path("metrics.jsonl"));
      expect(served).toBeGreaterThan(20);
      expect(summary.metrics.http_reqs.count).toBe(served);
      expect(pointCount(lines, "http_reqs")).toBe(served);
      // Per series too: the 404s are their own series.
      expect(pointCount(lines, "http_reqs", { name: "missing", status: "404" })).toBe(served / 2);
      expect(pointCount(lines, "http_req_duration")).toBe(served);
      expect(lines.find((l) => l.type === "Metric" && l.metric === "http_req_duration")?.data).toEqual({ name: "http_req_duration", type: "trend", contains: "time" });
      // Each interval holds the requests of the span it measures: the first second's are in the
      // first interval, and no interval's rate is far above the run's (a short last interval
      // holding a whole second read as many times the real rate).
      const byInterval = new Map<number, number>();
      for (const l of lines) {
        if (l.type !== "Point" || l.metric !== "http_reqs") continue;
        const at = (l as unknown as { elapsedMs: number }).elapsedMs;
        byInterval.set(at, (byInterval.get(at) ?? 0) + (l.data.rate as number));
      }
      const ends = [...byInterval.keys()].sort((a, b) => a - b);
      expect(ends[0]!).toBeLessThan(1600);
      const runRate = summary.metrics.http_reqs.rate as number;
      const rates = ends.map((end) => ({ end, rate: Math.round(byInterval.get(end)!) }));
      expect(rates.filter((r) => r.rate > 2 * runRate)).toEqual([]);
    } finally {
      dir.cleanup();
    }
  });

  test("Ctrl-C mid-run: exit 105, the summary printed, the JSONL file complete", async () => {
    const dir = writePlan(plan("60s"));
    try {
      const before = (await demoStats(demoUrl)).total;
      const child = spawnRun(dir.planPath, ["-o", `jsonl=${dir.path("metrics.jsonl")}`, "--summary-json", dir.path("summary.json")]);
      await waitFor(async () => (await demoStats(demoUrl)).total - before > 30);
      const started = performance.now();
      child.kill("SIGINT");
      const code = await child.exited;
      const stdout = await new Response(child.stdout).text();
      expect(code).toBe(105);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(stdout).toContain("the run was interrupted (Ctrl-C) before the plan's end");
      expect(stdout).toMatch(/http_reqs\.+: \d+/);
      const served = (await demoStats(demoUrl)).total - before;
      const summary = JSON.parse(readFileSync(dir.path("summary.json"), "utf8"));
      expect(summary.metrics.http_reqs.count).toBe(served);
      expect(pointCount(readJsonl(dir.path("metrics.jsonl")), "http_reqs")).toBe(served);
    } finally {
      dir.cleanup();
    }
  });

  test("an unknown output is a config error (104) that names --out and suggests the nearest", async () => {
    const dir = writePlan(plan("1s"));
    try {
      const before = (await demoStats(demoUrl)).total;
      const child = spawnRun(dir.planPath, ["--out", "jsnl=x.jsonl"]);
      expect(await child.exited).toBe(104);
      const stderr = await new Response(child.stderr).text();
      expect(stderr).toContain('--out jsnl=x.jsonl: there is no output "jsnl"; did you mean "jsonl"?');
      expect(stderr).toContain("outputs: jsonl=FILE");
      expect((await demoStats(demoUrl)).total).toBe(before); // nothing ran
    } finally {
      dir.cleanup();
    }
  });
});
