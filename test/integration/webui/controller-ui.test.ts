// The controller's web UI in Debian's chromium, against real processes on loopback: `loadr
// controller`, three `loadr agent`s with labels (from source, spawned and killed by PID), the
// demo target in-process. What a user would check: the fleet lists every agent with its labels
// and shows a stopped one unhealthy without a reload; the reference plan submitted from the page
// (YAML and users.csv uploaded) shows live req/s and p95 that move, pause and resume reach the
// target, and the final figures equal the run's summary; the history survives a controller
// restart and the run's page then draws from the stored series.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startDemoServer, type DemoServer } from "../../../src/demo/server.ts";
import { openBrowser, type TestBrowser } from "../../helpers/browser.ts";
import { tempDir, waitFor } from "../cluster/helpers.ts";
import { killAll, loadr, startController, type Loadr } from "../cluster/spawn.ts";

const REFERENCE = join(import.meta.dir, "../../fixtures/config/reference");

let tmp: ReturnType<typeof tempDir>;
let demo: DemoServer;
let ctrl: Awaited<ReturnType<typeof startController>>;
let browser: TestBrowser;
const agents = new Map<string, Loadr>();
let runId = "";

const AGENTS: Array<[string, string]> = [
  ["alpha", "pool=default,region=eu"],
  ["bravo", "pool=default,region=us"],
  ["charlie", "pool=spare,region=eu"],
];

beforeAll(async () => {
  tmp = tempDir("loadr-webui-");
  demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
  ctrl = await startController(join(tmp.dir, "data"));
  for (const [name, labels] of AGENTS) agents.set(name, loadr(["agent", "--join", ctrl.grpc, "--name", name, "--labels", labels, "--workers", "1"]));
  await waitFor("3 idle agents", async () => {
    const list = ((await (await fetch(`${ctrl.http}/api/agents`)).json()) as { agents: Array<{ state: string }> }).agents;
    return list.filter((a) => a.state === "idle").length === 3;
  }, 30_000);
  browser = await openBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  killAll();
  await demo?.stop();
  tmp?.cleanup();
});

const stats = async () => (await (await fetch(`${demo.url}/_stats`)).json()) as { total: number; byPath: Record<string, number> };
const dataValue = async (page: Page, testId: string) => Number(await page.getByTestId(testId).getAttribute("data-value"));

test("the fleet lists the three agents with their labels, filters by selector, and shows a stopped agent unhealthy without a reload", async () => {
  const page = await browser.page();
  await page.goto(`${ctrl.http}/`);
  const rows = page.locator("[data-testid=fleet-table] tbody tr");
  await waitFor("three rows", async () => (await rows.count()) === 3, 15_000);
  for (const [name, labels] of AGENTS) {
    const row = page.locator(`tr[data-agent=${name}]`);
    for (const label of labels.split(",")) expect(await row.innerText()).toContain(label);
    expect(await row.getAttribute("data-health")).toBe("healthy");
  }
  // The selector has the syntax of a plan's cluster.selector.
  await page.getByTestId("selector").fill("pool: default, region: eu");
  await waitFor("one match", async () => (await rows.count()) === 1);
  expect(await rows.first().getAttribute("data-agent")).toBe("alpha");
  await page.getByTestId("selector").fill("");
  await waitFor("all rows again", async () => (await rows.count()) === 3);

  const charlie = agents.get("charlie")!;
  charlie.kill("SIGSTOP");
  try {
    // Liveness window 6 s, checked every 500 ms, pushed every second.
    await waitFor("charlie unhealthy on the page", async () => (await page.locator("tr[data-agent=charlie]").getAttribute("data-health")) === "unhealthy", 15_000);
    expect(await page.locator("tr[data-agent=charlie] [data-testid=liveness]").innerText()).toMatch(/^silent for /);
    expect(await page.locator("tr[data-agent=alpha]").getAttribute("data-health")).toBe("healthy");
  } finally {
    charlie.kill("SIGCONT");
  }
  await waitFor("charlie healthy again", async () => (await page.locator("tr[data-agent=charlie]").getAttribute("data-health")) === "healthy", 20_000);
  expect(browser.problems).toEqual([]);
  await page.context().close();
}, 60_000);

test("the reference plan submitted from the page runs live, pauses and resumes, and ends with the summary's figures", async () => {
  const page = await browser.page();
  await page.goto(`${ctrl.http}/#/submit`);
  await page.getByTestId("plan-file").setInputFiles(join(REFERENCE, "plan.yaml"));
  await page.getByTestId("data-files").setInputFiles(join(REFERENCE, "users.csv"));
  await waitFor("the plan in the editor", async () => (await page.getByTestId("plan-yaml").inputValue()).includes("name: reference"));
  // Without BASE_URL the plan is invalid: the problem is listed with its line:col.
  await page.getByTestId("validate").click();
  await page.getByTestId("problems").waitFor();
  expect(await page.getByTestId("problems").innerText()).toMatch(/line \d+:\d+/);
  await page.getByTestId("plan-env").fill(`BASE_URL=${demo.url}`);
  await page.getByTestId("validate").click();
  await waitFor("valid", async () => (await page.getByTestId("submit-result").innerText()).includes('valid: plan "reference"'));
  await page.getByTestId("submit").click();
  await page.waitForURL(/#\/runs\/r/, { timeout: 15_000 });
  runId = decodeURIComponent(page.url().split("#/runs/")[1]!);

  // Live: req/s above zero and a p95 that changes from one second to the next.
  await waitFor("live req/s", async () => (await page.getByTestId("live-rps").getAttribute("data-value")) !== "" && (await dataValue(page, "live-rps")) > 0, 30_000);
  const p95s = new Set<number>();
  await waitFor("p95 updating", async () => {
    const v = await page.getByTestId("live-p95").getAttribute("data-value");
    if (v) p95s.add(Number(v));
    return p95s.size >= 2;
  }, 20_000);

  await page.getByTestId("pause").click();
  await waitFor("paused on the page", async () => (await page.getByTestId("run-status").innerText()) === "paused", 5_000);
  await waitFor("the target's request rate at zero", async () => {
    const before = (await stats()).total;
    await Bun.sleep(700);
    return (await stats()).total === before;
  }, 10_000);
  const pausedAt = (await stats()).total;
  await page.getByTestId("resume").click();
  await waitFor("running again", async () => (await page.getByTestId("run-status").innerText()) === "running", 5_000);
  await waitFor("requests again", async () => (await stats()).total > pausedAt + 10, 10_000);

  await waitFor("finished", async () => (await page.getByTestId("run-status").innerText()) === "finished", 60_000);
  await page.getByTestId("final").waitFor({ timeout: 10_000 });
  const view = (await (await fetch(`${ctrl.http}/api/runs/${runId}`)).json()) as { exitCode: number; summary: { thresholdsOk: boolean; metrics: Array<{ name: string; values: Record<string, number> }> } };
  const figure = (metric: string, name: string) => view.summary.metrics.find((m) => m.name === metric)!.values[name];
  expect(await dataValue(page, "final-requests")).toBe(figure("http_reqs", "count")!);
  expect(await dataValue(page, "final-rps")).toBe(figure("http_reqs", "rate")!);
  expect(await dataValue(page, "final-p95")).toBe(figure("http_req_duration", "p(95)")!);
  expect(await dataValue(page, "final-p99")).toBe(figure("http_req_duration", "p(99)")!);
  expect(await dataValue(page, "final-failed")).toBe(figure("http_req_failed", "rate")!);
  expect(await dataValue(page, "final-checks")).toBe(figure("checks", "rate")!);
  // Every request reached the target; /login as often as the page's per-name table says.
  const target = await stats();
  expect(figure("http_reqs", "count")).toBe(target.total);
  expect(Number(await page.locator("[data-testid=names] tr[data-name=login]").getAttribute("data-requests"))).toBe(target.byPath["/login"]!);
  // The verdict is the summary's (on a loaded machine the plan's p95 < 500 ms may fail: then it says so).
  expect(await page.getByTestId("verdict").innerText()).toBe(view.summary.thresholdsOk ? "passed" : "thresholds failed");
  expect(view.exitCode).toBe(view.summary.thresholdsOk ? 0 : 99);
  expect(await page.getByTestId("events").innerText()).toContain("paused");
  expect(browser.problems).toEqual([]);
  await page.context().close();
}, 120_000);

test("stop asks first: dismissed, the run goes on; confirmed, it stops (exit 105) and the page says so", async () => {
  const plan = `name: long-run\nbaseUrl: ${demo.url}\nscenarios:\n  steady:\n    executor: constant-vus\n    vus: 2\n    duration: 120s\n    flow:\n      - request: { name: home, url: / }\n      - sleep: 50ms\ncluster:\n  agents: 1\n  selector: { pool: default }\n`;
  const submitted = (await (await fetch(`${ctrl.http}/api/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ plan, planFile: "long.yaml" }) })).json()) as { id: string };
  const page = await browser.page();
  await page.goto(`${ctrl.http}/#/runs/${submitted.id}`);
  await waitFor("running", async () => (await page.getByTestId("run-status").innerText()) === "running", 30_000);
  const dialogs: string[] = [];
  page.once("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.getByTestId("stop").click();
  await waitFor("the question", () => dialogs.length === 1);
  expect(dialogs[0]).toContain(`Stop run ${submitted.id}?`);
  const after = (await (await fetch(`${ctrl.http}/api/runs/${submitted.id}`)).json()) as { status: string };
  expect(after.status).toBe("running");
  page.once("dialog", (d) => void d.accept());
  await page.getByTestId("stop").click();
  await waitFor("stopped on the page", async () => (await page.getByTestId("final").count()) === 1, 30_000);
  expect(await page.getByTestId("verdict").innerText()).toBe("stopped");
  expect(((await (await fetch(`${ctrl.http}/api/runs/${submitted.id}`)).json()) as { exitCode: number }).exitCode).toBe(105);
  expect(browser.problems).toEqual([]);
  await page.context().close();
}, 60_000);

test("after a controller restart the history lists the run and its page draws from the stored series", async () => {
  expect(runId).not.toBe("");
  ctrl.process.kill("SIGTERM");
  await ctrl.process.exited;
  ctrl = await startController(join(tmp.dir, "data"));
  const page = await browser.page();
  await page.goto(`${ctrl.http}/#/runs`);
  const row = page.locator(`[data-testid=runs-table] tr[data-run="${runId}"]`);
  await row.waitFor({ timeout: 15_000 });
  expect(await row.innerText()).toContain("reference");
  await page.getByTestId("run-search").fill("no-such-plan");
  await waitFor("search filters", async () => (await row.count()) === 0);
  await page.getByTestId("run-search").fill("refer");
  await row.waitFor();
  await row.locator("a").click();
  await page.getByTestId("final").waitFor({ timeout: 15_000 });
  // Drawn from the stored series: the charts have their plots.
  await page.locator("[data-testid=chart-rps] .uplot").waitFor({ timeout: 10_000 });
  await page.locator("[data-testid=chart-latency] .uplot").waitFor();
  const view = (await (await fetch(`${ctrl.http}/api/runs/${runId}`)).json()) as { summary: { metrics: Array<{ name: string; values: Record<string, number> }> } };
  expect(await dataValue(page, "final-requests")).toBe(view.summary.metrics.find((m) => m.name === "http_reqs")!.values.count!);
  expect(await page.locator("[data-testid=names] tr[data-name=login]").count()).toBe(1);
  // Per-agent req/s from the stored series, one line per agent of the run.
  await page.locator("[data-testid=chart-agents] .uplot").waitFor();
  expect(await page.locator("[data-testid=chart-agents] .u-legend .u-series").count()).toBe(1 + 2);
  // The downloads: the HTML report (src/report/) of the stored run.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-report").click()]);
  const report = await Bun.file((await download.path())!).text();
  expect(report).toContain("<html");
  expect(report).toContain("reference");

  // Compare the reference run with the stopped one: both picked in the history, their figures side by side.
  await page.goto(`${ctrl.http}/#/runs`);
  const boxes = page.locator("[data-testid=runs-table] input[type=checkbox]");
  await waitFor("two runs in the history", async () => (await boxes.count()) === 2, 15_000);
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByTestId("compare-link").click();
  await page.getByTestId("compare-table").waitFor({ timeout: 15_000 });
  const requestsRow = await page.locator("[data-testid=compare-table] tbody tr").first().innerText();
  expect(requestsRow).toMatch(/^requests\t[\d,]+\t[\d,]+\t[+-]?[\d.]+%$/);
  await page.locator(".uplot").first().waitFor();
  expect(browser.problems).toEqual([]);
  await page.context().close();
}, 60_000);

test("with --api-token: no token shows the login, a wrong one a clear error, the right one the fleet", async () => {
  const secured = loadr(["controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", join(tmp.dir, "secured"), "--api-token", "s3cret-token"]);
  const http = (await waitFor("secured controller", () => /HTTP API (http:\/\/[\d.:]+)/.exec(secured.output())?.[1], 15_000))!;
  const page = await browser.page();
  await page.goto(`${http}/`);
  await page.getByTestId("token").waitFor({ timeout: 10_000 });
  expect(await page.getByTestId("login-error").count()).toBe(0);
  await page.getByTestId("token").fill("wrong-token");
  await page.getByTestId("login").click();
  await page.getByTestId("login-error").waitFor({ timeout: 10_000 });
  expect(await page.getByTestId("login-error").innerText()).toContain("refused that token");
  await page.getByTestId("token").fill("s3cret-token");
  await page.getByTestId("login").click();
  await page.getByRole("heading", { name: "Fleet" }).waitFor({ timeout: 10_000 });
  // The token is in session storage only, never in the URL.
  expect(page.url()).not.toContain("s3cret");
  expect(await page.evaluate(() => sessionStorage.getItem("loadr.apiToken"))).toBe("s3cret-token");
  expect(browser.problems).toEqual([]);
  await page.context().close();
}, 60_000);

test("keyboard only: Tab reaches the navigation and Enter follows it; dark mode follows the system", async () => {
  const page = await browser.page({ colorScheme: "dark" });
  await page.goto(`${ctrl.http}/`);
  await page.getByRole("heading", { name: "Fleet" }).waitFor({ timeout: 10_000 });
  // (Page code as strings: this program is typed without the DOM.)
  const background = (await page.evaluate("getComputedStyle(document.body).backgroundColor")) as string;
  const [r, g, b] = background.match(/\d+/g)!.map(Number);
  expect(r! + g! + b!).toBeLessThan(3 * 60);
  let focused = "";
  for (let i = 0; i < 10 && focused !== "Runs"; i++) {
    await page.keyboard.press("Tab");
    focused = (await page.evaluate("document.activeElement?.innerText ?? ''")) as string;
  }
  expect(focused).toBe("Runs");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Runs" }).waitFor({ timeout: 10_000 });
  expect(page.url()).toEndWith("#/runs");
  // The theme can be picked, and it sticks.
  await page.getByLabel("Theme").selectOption("light");
  // Applied by an effect after the render that the selection causes: wait for it, do not race it.
  await page.waitForFunction("document.documentElement.dataset.theme === \"light\"", undefined, { timeout: 10_000 });
  expect(await page.evaluate("document.documentElement.dataset.theme")).toBe("light");
  expect(browser.problems).toEqual([]);
  await page.context().close();
}, 30_000);
