// "Real" JMeter plans — test/fixtures/convert/jmx/real/, written in the style of public ones
// (JMeter 5 files with listeners, cache managers, Groovy and BeanShell, plugin thread groups,
// ForEach controllers, …) rather than to cover the converter: they convert without a crash,
// list what did not map with its position, validate once the report's instructions are followed,
// and run against the counting target with the base URL (or its properties) pointed at it and the
// load shrunk to one iteration per scenario (the flows are what is under test, not a 30-minute soak).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { startCountingTarget, type CountingTarget } from "../../helpers/jmx-target.ts";
import { convertFixture, planProblems, runPlan, type Converted } from "./jmx-helpers.ts";

const RUN_TIMEOUT_MS = 120_000;

let target: CountingTarget;
const converted: Converted[] = [];
beforeAll(() => {
  target = startCountingTarget();
});
afterAll(() => {
  target.stop();
  for (const c of converted) c.cleanup();
});

/** Every scenario of the written plan → per-vu-iterations, 1 VU, 1 iteration (flows untouched). */
function shrinkLoad(planPath: string): void {
  const doc = parseDocument(readFileSync(planPath, "utf8"));
  const scenarios = doc.toJS().scenarios as Record<string, Record<string, unknown>>;
  for (const [name, scenario] of Object.entries(scenarios)) {
    doc.setIn(["scenarios", name], { executor: "per-vu-iterations", vus: 1, iterations: 1, flow: scenario.flow });
  }
  writeFileSync(planPath, doc.toString());
}

/** The report's dropped lines; each must name the element's path and its line in the input. */
function droppedLines(report: string, input: string): string[] {
  const section = report.slice(report.indexOf("Dropped ("), report.indexOf("\nwrote") === -1 ? undefined : report.indexOf("\nwrote"));
  const lines = section.split("\n").slice(1).filter((l) => l.startsWith("  "));
  for (const line of lines) expect(line).toMatch(new RegExp(`^  Test Plan '[^']+'.* \\(${input.replace(/[.]/g, "\\.")}:\\d+\\)  `));
  return lines;
}

describe("real-world JMeter plans", () => {
  test(
    "shop-journey.jmx (JMeter 5.4 browser journey): converts, lists 13 unmapped things with positions, validates and runs",
    async () => {
      const c = convertFixture("real/shop-journey.jmx");
      converted.push(c);
      expect(c.code).toBe(2);
      const dropped = droppedLines(c.report, "real/shop-journey.jmx");
      expect(dropped).toHaveLength(13);
      for (const what of [
        "HTTP Cache Manager",
        "clear cookies each iteration",
        "CSV without a header line",
        "on sample error",
        "embedded resources",
        "JSR223 PostProcessor — warning: a groovy script",
        "match number",
        "Constant Throughput Timer",
        "multipart form",
        "View Results Tree",
        "Summary Report",
        "Backend Listener",
      ]) {
        expect(dropped.some((l) => l.includes(what))).toBe(true);
      }
      // The report says what to do about the CSV file: do it, as a user would.
      expect(c.report).toContain('add the line "email,password" at the top of data/credentials.csv');
      const csv = join(c.dir, "data/credentials.csv");
      writeFileSync(csv, `email,password\n${readFileSync(csv, "utf8")}`);

      shrinkLoad(c.planPath);
      const env = { BASE_URL: target.url };
      expect(await planProblems(c.planPath, env)).toEqual([]);
      target.reset();
      const run = await runPlan(c.planPath, env, c.dir);
      expect(run.code).toBe(0);
      const seen = target.seen.map((s) => `${s.method} ${s.path}`);
      expect(seen.slice(0, 5)).toEqual(["GET /", "GET /account/login", "POST /account/login", "GET /search?q=running+shoes&sort=relevance", "POST /api/cart"]);
      // The If Controller checks out one time in four (randomInt(1, 4) == 1).
      expect(seen.slice(5)).toBeOneOf([[], ["POST /checkout"]]);
      expect(target.seen[2]!.body).toBe("email=alice%40example.test&password=pw-a&csrf_token=CSRF_NOT_FOUND");
      expect(run.summary.metrics.checks?.fails).toBe(0);
    },
    RUN_TIMEOUT_MS,
  );

  test(
    "api-soak.jmx (plugins, setUp group, ForEach, Counter, Groovy/JavaScript/BeanShell): converts, lists what did not map, validates and runs",
    async () => {
      const c = convertFixture("real/api-soak.jmx");
      converted.push(c);
      expect(c.code).toBe(2);
      const dropped = droppedLines(c.report, "real/api-soak.jmx");
      for (const what of ["run thread groups consecutively", "share token", "ForEach Controller", "match number -1", "BeanShell PreProcessor", "yyyy-MM-dd", "Graphs"]) {
        expect(dropped.some((l) => l.includes(what))).toBe(true);
      }
      expect(c.report).toContain("JSR223 Sampler — the function bookkeeping in the hooks module");

      shrinkLoad(c.planPath);
      // The base URL is built from JMeter properties: point them at the target.
      const env = { protocol: "http", api_host: "127.0.0.1", api_port: String(target.port) };
      expect(await planProblems(c.planPath, env)).toEqual([]);
      target.reset();
      const run = await runPlan(c.planPath, env, c.dir);
      expect(run.code).toBe(0);
      const order = target.seen.filter((s) => s.path.startsWith("/v1/")).map((s) => `${s.method} ${s.path}`);
      // No status comes back, so the poll loop ends at once (its default "unknown"); thread 1 of 1 cancels nothing.
      expect(order).toEqual(["GET /v1/products?limit=20", "POST /v1/orders"]);
      expect(target.seen.filter((s) => s.path === "/oauth/token")).toHaveLength(1);
      const body = JSON.parse(target.seen.find((s) => s.path === "/v1/orders")!.body);
      expect(body.reference).toBe("LT-1-1"); // __threadNum and the Counter's first value
    },
    RUN_TIMEOUT_MS,
  );
});
