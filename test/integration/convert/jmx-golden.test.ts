// Golden tests of `loadr convert jmx`: each fixture under test/fixtures/convert/jmx/ (written to
// cover every mapping of docs/convert-jmx.md) is converted by the real command, the written plan
// (report comments included) and hooks module are compared with expected/, the plan validates
// with loadPlan, and it runs against the counting target (test/helpers/jmx-target.ts), which must
// see, per VU and iteration, the requests in the order the .jmx describes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startCountingTarget, type CountingTarget } from "../../helpers/jmx-target.ts";
import { convertFixture, iterations, JMX_FIXTURES, planProblems, runPlan, type Converted } from "./jmx-helpers.ts";

let target: CountingTarget;
const converted: Converted[] = [];
beforeAll(() => {
  target = startCountingTarget();
});
afterAll(() => {
  target.stop();
  for (const c of converted) c.cleanup();
});

/** Each test converts, loads and runs a plan (worker start-up included): generous for a loaded machine. */
const RUN_TIMEOUT_MS = 120_000;

const env = () => ({ host: "127.0.0.1", port: String(target.port) });

function convert(name: string): Converted {
  const c = convertFixture(`${name}.jmx`);
  converted.push(c);
  return c;
}

function expectGolden(c: Converted, name: string): void {
  expect(readFileSync(c.planPath, "utf8")).toBe(readFileSync(join(JMX_FIXTURES, "expected", `${name}.yaml`), "utf8"));
  const hooksExpected = join(JMX_FIXTURES, "expected", `${name}.hooks.js`);
  const hooksWritten = join(c.dir, "plan.hooks.js");
  expect(existsSync(hooksWritten)).toBe(existsSync(hooksExpected));
  if (existsSync(hooksExpected)) expect(readFileSync(hooksWritten, "utf8")).toBe(readFileSync(hooksExpected, "utf8"));
}

describe("loadr convert jmx: golden plans", () => {
  test("basic.jmx (every common element, all mapped): exit 0, the expected plan, validates, and the requests per VU and iteration", async () => {
    const c = convert("basic");
    expect(c.code).toBe(0);
    expect(c.report).toContain("copied users.csv next to the plan");
    expectGolden(c, "basic");
    expect(await planProblems(c.planPath, env())).toEqual([]);

    target.reset();
    const run = await runPlan(c.planPath, env(), c.dir);
    expect(run.stderr).not.toContain("failed");
    expect(run.code).toBe(0);
    // Every Response/Duration/Size Assertion became a check, and they all hold against the target.
    expect(run.summary.metrics.checks?.fails).toBe(0);
    expect(run.summary.metrics.checks?.passes).toBeGreaterThan(0);

    const first = [
      "GET /home?q=hello&n=5",
      "POST /login",
      "GET /me",
      "GET /items",
      "GET /items",
      "POST /cart",
      "GET /cart",
      "DELETE /cart?all=1",
      "GET /welcome",
      "GET /cursor?c=0",
      "GET /cursor?c=1",
      "GET /cursor?c=2",
      "GET /bye",
    ];
    // Later iterations: no Once Only child, and the While loop's variable (a User Defined
    // Variable an extractor also writes, so set on the first iteration only) is already "end".
    const later = first.filter((r) => r !== "GET /welcome" && !r.startsWith("GET /cursor"));
    const byVu = target.byVu();
    expect([...byVu.keys()].sort()).toEqual(["1", "2"]);
    for (const sequence of byVu.values()) expect(iterations(sequence, "GET /home?q=hello&n=5")).toEqual([first, later, later]);

    // The CSV feed's columns reached the form, the extracted token the If Controller.
    const logins = target.seen.filter((s) => s.path === "/login").map((s) => s.body);
    expect(logins).toHaveLength(6);
    for (const body of logins) expect(body).toMatch(/^user=(alice|bob|carol)&password=pw-[abc]$/);
    const cart = target.seen.find((s) => s.method === "POST" && s.path === "/cart")!;
    expect(JSON.parse(cart.body)).toMatchObject({ user: expect.stringMatching(/^(alice|bob|carol)$/) });
    expect(JSON.parse(cart.body).item).toBeGreaterThanOrEqual(40);
  }, RUN_TIMEOUT_MS);

  test("the loadr binary's entry (src/main.ts) converts basic.jmx to stdout, the same plan, exit 0", async () => {
    const child = Bun.spawn([process.execPath, join(import.meta.dir, "../../../src/main.ts"), "convert", "jmx", "basic.jmx"], { cwd: JMX_FIXTURES, stdout: "pipe", stderr: "pipe" });
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    expect(code).toBe(0);
    expect(stdout).toBe(readFileSync(join(JMX_FIXTURES, "expected", "basic.yaml"), "utf8"));
    expect(stderr).toContain("(33 mapped, 0 into hooks, 0 dropped)");
  }, RUN_TIMEOUT_MS);

  test("assertions-extractors.jmx: exit 2 (a header extraction and a multipart upload dropped), the expected plan, and every mapped check passes", async () => {
    const c = convert("assertions-extractors");
    expect(c.code).toBe(2);
    expect(c.report).toContain("Regular Expression Extractor — extracting from the response headers is not mapped");
    expectGolden(c, "assertions-extractors");
    expect(await planProblems(c.planPath, env())).toEqual([]);

    target.reset();
    const run = await runPlan(c.planPath, env(), c.dir);
    expect(run.code).toBe(0);
    // 14 assertions → 10 checks on "item" (the json and regex families each one check per
    // assertion): all pass against a body that satisfies the JMeter assertions.
    expect(run.summary.metrics.checks).toMatchObject({ passes: 10, fails: 0 });
    // JSON, JSON Path (plugin), Boundary and Regex extractions, then a JSON extractor's default;
    // a file as the whole body, and a multipart form sent without its file (dropped, noted).
    expect(target.byVu().get("1")).toEqual(["GET /items", "GET /items/42/widget/a/widget/42", "GET /cursor?c=0", "POST /upload", "POST /multipart"]);
    expect(c.report).toContain("copied upload.txt next to the plan");
    expect(target.seen.find((s) => s.path === "/upload")?.body).toBe("uploaded by loadr\n");
    expect(target.seen.find((s) => s.path === "/multipart")?.body).toBe("title=report");
  }, RUN_TIMEOUT_MS);

  test("controllers-scripts.jmx: exit 2 (Groovy, BeanShell, Switch, Debug, a listener dropped), JavaScript into hooks, and the controllers' request sequence", async () => {
    const c = convert("controllers-scripts");
    expect(c.code).toBe(2);
    for (const dropped of ["JSR223 PostProcessor — warning: a groovy script", "BeanShell Sampler — warning", "Switch Controller", "Debug Sampler", "View Results Tree"]) {
      expect(c.report).toContain(dropped);
    }
    expect(c.report).toContain("Into hooks (3)");
    expectGolden(c, "controllers-scripts");
    expect(await planProblems(c.planPath, env())).toEqual([]);

    target.reset();
    const run = await runPlan(c.planPath, env(), c.dir);
    expect(run.code).toBe(0);
    const iteration = [
      "GET /loop", // Loop Controller over ${count} (a User Defined Variable): 2 times
      "GET /loop",
      "GET /jexl", // If Controller, __jexl3 expression
      "GET /js", // If Controller, JavaScript translated to an expression
      "GET /hooked", // If Controller, JavaScript computed by a hook
      "GET /throughput", // Throughput Controller at 100%
      "GET /random", // Random Controller with one child
      "GET /signed?sig=s-2", // JSR223 PreProcessor (JavaScript) → a hook before the request
      "GET /after?v=yes", // JSR223 Sampler (JavaScript) → a hook at its place
    ];
    expect(target.byVu().get("1")).toEqual([...iteration, ...iteration]);
    expect(target.seen.some((s) => s.path === "/never" || s.path === "/off" || s.path === "/switched")).toBe(false);
  }, RUN_TIMEOUT_MS);

  test("two-groups.jmx (also run by JMeter in jmx-jmeter.test.ts): two scenarios, each VU's requests in order", async () => {
    const c = convert("two-groups");
    expect(c.code).toBe(0);
    expect(c.report).toContain("loops from the JMeter property loops: its default 2 written");
    expectGolden(c, "two-groups");
    target.reset();
    const run = await runPlan(c.planPath, env(), c.dir);
    expect(run.code).toBe(0);
    const reader = (first: boolean) => [
      "GET /api/list?page=1&tag=a+b%26c",
      ...(first ? ["GET /api/first"] : []),
      "GET /api/throughput",
      "GET /api/random",
      "GET /api/poll",
      "GET /api/poll",
      "GET /api/poll",
      "PUT /api/state",
    ];
    const writer = (first: boolean) => ["POST /api/write", ...(first ? ["POST /api/init"] : []), "GET /api/read", "DELETE /api/read"];
    expect(Object.fromEntries(target.byVu())).toEqual({
      "a-1": [...reader(true), ...reader(true)],
      "a-2": [...reader(false), ...reader(false)],
      "b-1": [...writer(true), ...writer(false), ...writer(false)],
    });
    // The PUT's form carries the value the Regular Expression Extractor took from the last poll.
    expect(target.seen.find((s) => s.method === "PUT")?.body).toBe("state=%2Fapi%2Fpoll");
  }, RUN_TIMEOUT_MS);

  test("thread-groups.jmx: every thread group kind becomes its executor, validates, and runs its load", async () => {
    const c = convert("thread-groups");
    expect(c.code).toBe(2); // the ramp-up of an iteration-count group is dropped
    expectGolden(c, "thread-groups");
    expect(await planProblems(c.planPath, env())).toEqual([]);

    target.reset();
    const run = await runPlan(c.planPath, env(), c.dir);
    expect(run.code).toBe(0);
    const count = (path: string) => target.seen.filter((s) => s.path === path).length;
    expect(count("/iterations")).toBe(4); // 2 threads × 2 loops
    expect(count("/ramped")).toBe(3); // 3 threads × 1 loop
    expect(count("/setup")).toBe(1);
    expect(count("/off")).toBe(0); // disabled
    // Arrivals: 0 → 4/s over 1s, then 4/s for 1s: about 6 arrivals.
    expect(count("/arrivals")).toBeGreaterThanOrEqual(4);
    expect(count("/arrivals")).toBeLessThanOrEqual(8);
    for (const timed of ["/timed", "/ramp-hold", "/concurrency", "/spikes"]) expect(count(timed)).toBeGreaterThan(2);
  }, RUN_TIMEOUT_MS);
});
