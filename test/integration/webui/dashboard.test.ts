// `loadr run --dashboard` in Debian's chromium: a real `loadr run` process (from source) against
// the demo target; the page at the address it prints shows the run live, pauses it, and ends
// with the figures of its --summary-json; the process keeps the page up until SIGINT.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { parseDashboardFlag } from "../../../src/cli/run/dashboard-flag.ts";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { openBrowser, type TestBrowser } from "../../helpers/browser.ts";
import { tempDir, waitFor } from "../cluster/helpers.ts";
import { killAll, loadr } from "../cluster/spawn.ts";

let tmp: ReturnType<typeof tempDir>;
let demo: DemoServer;
let browser: TestBrowser;

beforeAll(async () => {
  tmp = tempDir("loadr-dashboard-");
  demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
  browser = await openBrowser();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  killAll();
  await demo?.stop();
  tmp?.cleanup();
});

const dataValue = async (page: Page, testId: string) => Number(await page.getByTestId(testId).getAttribute("data-value"));

test("--dashboard: the printed address shows the run live, and its final figures equal --summary-json", async () => {
  const plan = join(tmp.dir, "plan.yaml");
  const summaryFile = join(tmp.dir, "summary.json");
  writeFileSync(plan, `name: dashboard
baseUrl: \${env.BASE_URL}
scenarios:
  steady:
    executor: constant-vus
    vus: 3
    duration: 8s
    flow:
      - request: { name: home, url: /, checks: [{ status: 200 }] }
      - request: { name: items, url: /json }
      - sleep: 20ms
thresholds:
  http_req_duration: ["p(95)<2000"]
`);
  const run = loadr(["run", plan, "--env", `BASE_URL=${demo.url}`, "--workers", "1", "--dashboard=127.0.0.1:0", "--summary-json", summaryFile]);
  const url = (await waitFor("the dashboard address", () => /dashboard on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output())?.[1], 20_000))!;
  const page = await browser.page();
  await page.goto(url);
  await waitFor("live req/s", async () => (await page.getByTestId("live-rps").getAttribute("data-value").catch(() => "")) !== "" && (await dataValue(page, "live-rps")) > 0, 20_000);
  expect(await page.getByTestId("run-status").innerText()).toBe("running");

  await page.getByTestId("pause").click();
  await waitFor("paused", async () => (await page.getByTestId("run-status").innerText()) === "paused", 5_000);
  await page.getByTestId("resume").click();
  await waitFor("running again", async () => (await page.getByTestId("run-status").innerText()) === "running", 5_000);

  await waitFor("finished", async () => (await page.getByTestId("run-status").innerText()) === "finished", 40_000);
  await page.getByTestId("final").waitFor({ timeout: 10_000 });
  await waitFor("the summary file", () => run.output().includes("summary written"), 10_000);
  const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as { metrics: Record<string, Record<string, number>> };
  expect(await dataValue(page, "final-requests")).toBe(summary.metrics.http_reqs!.count!);
  expect(await dataValue(page, "final-rps")).toBe(summary.metrics.http_reqs!.rate!);
  expect(await dataValue(page, "final-p95")).toBe(summary.metrics.http_req_duration!["p(95)"]!);
  expect(await dataValue(page, "final-p99")).toBe(summary.metrics.http_req_duration!["p(99)"]!);
  expect(await dataValue(page, "final-checks")).toBe(summary.metrics.checks!.rate!);
  expect(Number(await page.locator("[data-testid=names] tr[data-name=home]").getAttribute("data-requests"))).toBe((await (await fetch(`${demo.url}/_stats`)).json() as { byPath: Record<string, number> }).byPath["/"]!);
  await page.locator("[data-testid=chart-rps] .uplot").waitFor();

  // The page stays up after the run until Ctrl-C; then the process exits with the run's code.
  await waitFor("the stays-up notice", () => run.output().includes("the dashboard stays up"), 10_000);
  expect(run.exitCode).toBeNull();
  expect((await fetch(`${url}/api/ui`)).status).toBe(200);
  run.kill("SIGINT");
  expect(await run.exited).toBe(0);
  expect(browser.problems).toEqual([]);
  await page.context().close();
}, 90_000);

/**
 * `loadr run --dashboard-exit` of an externally-controlled scenario (1 VU, up to `maxVUs`), and
 * its page once it shows the one VU running.
 */
async function knobRun(name: string, maxVUs: number) {
  const plan = join(tmp.dir, `${name}.yaml`);
  writeFileSync(plan, `name: ${name}\nbaseUrl: \${env.BASE_URL}\nscenarios:\n  knob:\n    executor: externally-controlled\n    vus: 1\n    maxVUs: ${maxVUs}\n    duration: 120s\n    flow:\n      - request: { name: home, url: / }\n      - sleep: 100ms\n`);
  const run = loadr(["run", plan, "--env", `BASE_URL=${demo.url}`, "--workers", "1", "--dashboard=127.0.0.1:0", "--dashboard-exit"]);
  const url = (await waitFor("the dashboard address", () => /dashboard on (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output())?.[1], 20_000))!;
  const page = await browser.page();
  await page.goto(url);
  await waitFor("one VU", async () => (await page.getByTestId("live-vus").getAttribute("data-value").catch(() => "")) === "1", 20_000);
  return { run, page };
}

test("--dashboard: scale an externally-controlled scenario from the page, then stop it (asked first)", async () => {
  const { run, page } = await knobRun("scale", 6);
  await page.getByLabel("VUs", { exact: true }).fill("4");
  await page.getByRole("button", { name: "Scale" }).click();
  await waitFor("four VUs", async () => (await page.getByTestId("live-vus").getAttribute("data-value")) === "4", 15_000);
  expect(await page.getByTestId("control-message").innerText()).toContain("scale: done");
  page.once("dialog", (d) => void d.accept());
  await page.getByTestId("stop").click();
  // --dashboard-exit: the process leaves at the end of the run; a stop is exit 105. The page keeps
  // the end it was told (the server is gone: its refetch is refused, which is all the console says).
  await page.getByTestId("final").waitFor({ timeout: 20_000 });
  expect(await page.getByTestId("verdict").innerText()).toBe("stopped");
  expect(await run.exited).toBe(105);
  expect(browser.problems.filter((p) => !p.includes("net::ERR_CONNECTION_REFUSED"))).toEqual([]);
  browser.problems.length = 0;
  await page.context().close();
}, 60_000);

test("--dashboard-exit: a stop's answer that arrives after the run's end does not take the page back to running", async () => {
  const { run, page } = await knobRun("late-answer", 2);
  // The control answer (the run as it was when asked: stopping) reaches the page 1.5 s late, after
  // the finished event; the page must keep the end.
  let answered = false;
  await page.route("**/control", async (route) => {
    const answer = await route.fetch();
    await Bun.sleep(1500);
    await route.fulfill({ response: answer });
    answered = true;
  });
  page.once("dialog", (d) => void d.accept());
  await page.getByTestId("stop").click();
  await page.getByTestId("final").waitFor({ timeout: 20_000 });
  expect(await run.exited).toBe(105);
  await waitFor("the late answer delivered", () => answered, 10_000);
  // Let the page's fetch continuation and its re-render run (two frames and a task).
  await page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0))))");
  expect(await page.getByTestId("verdict").innerText()).toBe("stopped");
  expect(await page.getByTestId("final").count()).toBe(1);
  browser.problems.length = 0;
  await page.context().close();
}, 60_000);

test("--dashboard takes a bare flag (127.0.0.1:5665), HOST:PORT or PORT, and names a bad address", () => {
  expect(parseDashboardFlag(["run", "plan.yaml"])).toBeUndefined();
  expect(parseDashboardFlag(["run", "--dashboard", "plan.yaml"])).toEqual({ hostname: "127.0.0.1", port: 5665 });
  expect(parseDashboardFlag(["run", "plan.yaml", "--dashboard=0.0.0.0:8000"])).toEqual({ hostname: "0.0.0.0", port: 8000 });
  expect(parseDashboardFlag(["--dashboard=7000"])).toEqual({ hostname: "127.0.0.1", port: 7000 });
  expect(() => parseDashboardFlag(["--dashboard=nope"])).toThrow('--dashboard expects HOST:PORT or PORT, got "nope"');
});

test("--dashboard-exit without --dashboard, and --dashboard on a distributed run, are refused", async () => {
  const lone = loadr(["run", "plan.yaml", "--dashboard-exit"]);
  expect(await lone.exited).toBe(104);
  expect(lone.output()).toContain("--dashboard-exit needs --dashboard");
  const remote = loadr(["run", "plan.yaml", "--dashboard", "--controller", "http://127.0.0.1:9"]);
  expect(await remote.exited).toBe(104);
  expect(remote.output()).toContain("--dashboard works for local runs only");
}, 30_000);
