// The HTML report end to end with the compiled binary: `loadr run --report` of a local run and of
// a `--local-agents 3` run, `loadr report results.jsonl.gz`, and `loadr report RUN_ID
// --controller URL` of a run a controller stored. Each is one file that names no URL; opened in
// Debian's chromium (headless, playwright-core) it makes no request, draws its charts (canvases
// with a size, one uPlot series per line) and shows the summary's own numbers in its tables.
// With LOADR_UPDATE_SCREENSHOTS=1 the screenshots are written to docs/ (README "Reports").
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { requireBinary, spawnUntil } from "../helpers/binary.ts";
import { launchChromium } from "../helpers/chromium.ts";
import { startDemoServer, type DemoServer } from "../../src/demo/server.ts";
import { formatCount, formatDuration, formatPercent } from "../../src/ui-kit/format.ts";
import { fetchingReferences } from "../helpers/html-refs.ts";

const DOCS = join(import.meta.dir, "..", "..", "docs");
const PLAN = `name: checkout
baseUrl: \${env.BASE_URL}
scenarios:
  browse:
    executor: ramping-vus
    startVUs: 1
    stages:
      - { duration: 2s, target: 6 }
      - { duration: 2s, target: 6 }
    flow:
      - group: shop
        steps:
          - request: { name: home, url: /, checks: [{ status: 200 }] }
          - request: { name: items, url: /json, checks: [{ status: 200 }] }
      - request: { name: old page, url: /gone, checks: [{ status: 200 }] }
      - sleep: 50ms
thresholds:
  http_req_duration: ["p(95)<2000"]
  http_req_failed: ["rate<0.5"]
  checks: ["rate>0.5"]
`;

let dir: string;
let demo: DemoServer;
let browser: Browser;
const children: Bun.Subprocess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "loadr-e2e-report-"));
  demo = await startDemoServer({ port: 0, hostname: "127.0.0.1" });
  writeFileSync(join(dir, "plan.yaml"), PLAN);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await browser?.close();
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function loadr(args: string[]) {
  const child = Bun.spawn([requireBinary(), ...args], { cwd: dir, env: { ...process.env, BASE_URL: demo.url, NO_COLOR: "1", GITHUB_STEP_SUMMARY: "" }, stdout: "pipe", stderr: "pipe" });
  children.push(child);
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

interface Opened {
  page: import("playwright-core").Page;
  requests: string[];
  errors: string[];
  charts: Array<{ chart: string; drawn: boolean; canvas: { width: number; height: number } | null; series: number }>;
  text: (selector: string) => Promise<string[]>;
  screenshot: (name: string) => Promise<void>;
}

/** Opens the report file; waits until the script drew every chart (or the page said why not). */
async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`file://${join(dir, file)}`);
  // Page-side code as strings: this file is type-checked without the DOM (tsconfig.json).
  await page.waitForFunction(`[...document.querySelectorAll(".chart-host")].every((h) => h.dataset.drawn === "true" || h.classList.contains("kit-chart-empty"))`, undefined, { timeout: 30_000 });
  const charts = (await page.evaluate(`[...document.querySelectorAll(".chart-host")].map((host) => {
    const canvas = host.querySelector("canvas");
    return {
      chart: host.dataset.chart ?? "",
      drawn: host.dataset.drawn === "true",
      canvas: canvas ? { width: canvas.width, height: canvas.height } : null,
      // uPlot's legend has a row per series, the x series first.
      series: host.querySelectorAll(".u-legend .u-series").length - 1,
    };
  })`)) as Opened["charts"];
  return {
    page,
    requests,
    errors,
    charts,
    text: (selector) => page.locator(selector).allInnerTexts(),
    screenshot: async (name) => {
      const path = join(dir, name);
      await page.screenshot({ path, fullPage: true });
      expect(readFileSync(path).subarray(1, 4).toString()).toBe("PNG");
      if (process.env.LOADR_UPDATE_SCREENSHOTS === "1") copyFileSync(path, join(DOCS, name));
    },
  };
}

type SummaryJson = { metrics: Record<string, Record<string, number>>; root_group: { checks: Record<string, { passes: number; fails: number }>; groups: Record<string, { checks: Record<string, { passes: number; fails: number }> }> } };

/** What every report of PLAN must show, checked against the run's own summary export. */
async function expectReport(file: string, summaryFile: string): Promise<Opened> {
  const html = readFileSync(join(dir, file), "utf8");
  expect(fetchingReferences(html)).toEqual([]);
  const opened = await open(file);
  expect(opened.errors).toEqual([]);
  expect(opened.requests).toEqual([`file://${join(dir, file)}`]);
  const byChart = Object.fromEntries(opened.charts.map((c) => [c.chart, c]));
  for (const [chart, series] of [["requests", 1], ["errors", 1], ["vus", 1], ["latency", 4]] as const) {
    expect({ chart, drawn: byChart[chart]?.drawn, series: byChart[chart]?.series }).toEqual({ chart, drawn: true, series });
    expect(byChart[chart]!.canvas!.width).toBeGreaterThan(100);
    expect(byChart[chart]!.canvas!.height).toBeGreaterThan(100);
  }
  const summary = JSON.parse(readFileSync(join(dir, summaryFile), "utf8")) as SummaryJson;
  const m = summary.metrics;
  // The verdict first: the plan's thresholds hold.
  expect((await opened.text("#verdict .headline"))[0]).toStartWith("PASSED — all 3 thresholds passed");
  const thresholdRows = await opened.text("#thresholds tbody tr");
  expect(thresholdRows.map((r) => r.split("\t").slice(0, 4).map((c) => c.trim()))).toEqual([
    ["pass", "checks", "rate>0.5", formatPercent(m.checks!.rate!)],
    ["pass", "http_req_duration", "p(95)<2000", formatDuration(m.http_req_duration!["p(95)"]!)],
    ["pass", "http_req_failed", "rate<0.5", formatPercent(m.http_req_failed!.rate!)],
  ]);
  const figures = await opened.text("#figures .kit-card");
  expect(figures).toContain(`Requests\n${formatCount(m.http_reqs!.count!)}`);
  expect(figures).toContain(`Iterations\n${formatCount(m.iterations!.count!)}`);
  expect(figures).toContain(`p95 latency\n${formatDuration(m.http_req_duration!["p(95)"]!)}`);
  const names = (await opened.text("#latency-by-name tbody tr")).map((r) => r.split("\t").map((c) => c.trim()));
  const iterations = m.iterations!.count!;
  expect(names.map((r) => r[0]).sort()).toEqual(["home", "items", "old page"]);
  // Every iteration requests each name once (an iteration cut off at the end may miss the last ones).
  for (const row of names) expect(Math.abs(Number(row[1]!.replace(/,/g, "")) - iterations)).toBeLessThanOrEqual(6);
  // A 404 is a failed request (k6's http_req_failed), the others never failed.
  expect(names.map((r) => [r[0], r[2]]).sort()).toEqual([["home", "0%"], ["items", "0%"], ["old page", "100%"]]);
  const checks = (await opened.text("#checks tbody tr")).map((r) => r.split("\t").map((c) => c.trim()));
  const shop = summary.root_group.groups.shop!.checks["status is 200"]!;
  const root = summary.root_group.checks["status is 200"]!;
  expect(checks).toContainEqual(["fail", "status is 200", formatCount(root.passes), formatCount(root.fails), formatPercent(root.passes / (root.passes + root.fails))]);
  expect(checks).toContainEqual(["pass", "::shop status is 200", formatCount(shop.passes), formatCount(shop.fails), "100%"]);
  return opened;
}

test("loadr run --report (local): one self-contained file; drawn charts and the summary's numbers in chromium", async () => {
  const run = await loadr(["run", "plan.yaml", "--report", "local.html", "--summary-json", "local.json", "--out", "jsonl=local.jsonl.gz", "--summary-junit", "junit.xml", "--summary-markdown", "summary.md", "--quiet", "--no-summary"]);
  expect(run.stderr).not.toContain("unexpected failure");
  expect(run.code).toBe(0);
  expect(run.stderr).toContain(`report written to ${join(dir, "local.html")}`);
  const opened = await expectReport("local.html", "local.json");
  expect(await opened.text("#fleet")).toEqual([]);
  await opened.screenshot("report-local.png");
  // Printed: the verdict and the charts are on the page, nothing is hidden but what is marked so.
  await opened.page.emulateMedia({ media: "print" });
  expect(await opened.page.locator("#verdict").isVisible()).toBe(true);
  expect(await opened.page.locator(".kit-chart canvas").count()).toBe(4);
  const pdf = await opened.page.pdf({ format: "A4", printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  expect(pdf.byteLength).toBeGreaterThan(20_000);
  expect(readFileSync(join(dir, "junit.xml"), "utf8")).toContain('<testsuite name="thresholds" tests="3" failures="0"');
  expect(readFileSync(join(dir, "summary.md"), "utf8")).toStartWith("### ✅ loadr: checkout — passed");

  // The same run rebuilt from its JSONL output: the same counts (per-second points add up exactly).
  const rebuilt = await loadr(["report", "local.jsonl.gz", "-o", "from-jsonl.html"]);
  expect(rebuilt.code).toBe(0);
  const fromJsonl = await open("from-jsonl.html");
  expect(fromJsonl.requests).toEqual([`file://${join(dir, "from-jsonl.html")}`]);
  expect(fromJsonl.charts.every((c) => c.drawn)).toBe(true);
  const summary = JSON.parse(readFileSync(join(dir, "local.json"), "utf8")) as SummaryJson;
  expect(await fromJsonl.text("#figures .kit-card")).toContain(`Requests\n${formatCount(summary.metrics.http_reqs!.count!)}`);
  expect((await fromJsonl.text("#verdict .headline"))[0]).toStartWith("NO VERDICT");
}, 120_000);

test("loadr run --local-agents 3 --report: the fleet with its three agents and their req/s", async () => {
  const run = await loadr(["run", "plan.yaml", "--local-agents", "3", "--report", "cluster.html", "--summary-json", "cluster.json", "--quiet", "--no-summary"]);
  expect(run.stderr).not.toContain("unexpected failure");
  expect(run.code).toBe(0);
  const opened = await expectReport("cluster.html", "cluster.json");
  const agents = opened.charts.find((c) => c.chart === "agents")!;
  expect(agents).toMatchObject({ drawn: true, series: 3 });
  const fleet = (await opened.text("#fleet tbody tr")).map((r) => r.split("\t").map((c) => c.trim()));
  expect(fleet.map((r) => [r[0]!.split("\n")[0], r[2], r[3]])).toEqual([
    ["local-1", "partition 1/3 (browse 1/3)", "finished"],
    ["local-2", "partition 2/3 (browse 2/3)", "finished"],
    ["local-3", "partition 3/3 (browse 3/3)", "finished"],
  ]);
  expect((await opened.text("#fleet p"))[0]).toBe("3 agents took part, none lost.");
  await opened.screenshot("report-cluster.png");
}, 120_000);

test("loadr report RUN_ID --controller URL: the report of a run the controller stored", async () => {
  const controller = await spawnUntil(["controller", "--bind", "127.0.0.1:0", "--http", "127.0.0.1:0", "--data-dir", join(dir, "data")], /agents join (\S+); HTTP API (http:\/\/\S+)/);
  children.push(controller.process);
  const [, grpc, http] = controller.match;
  for (const name of ["east", "west"]) children.push(Bun.spawn([requireBinary(), "agent", "--join", grpc!, "--name", name, "--workers", "1"], { stdout: "ignore", stderr: "ignore" }));
  const plan = PLAN.replace("thresholds:", "cluster:\n  agents: 2\n  wait: 20s\nthresholds:");
  writeFileSync(join(dir, "fleet-plan.yaml"), plan);
  const run = await loadr(["run", "fleet-plan.yaml", "--controller", http!, "--summary-json", "stored.json", "--quiet", "--no-summary"]);
  expect(run.code).toBe(0);
  const runId = (JSON.parse(readFileSync(join(dir, "stored.json"), "utf8")) as { run_id: string }).run_id;
  const got = await loadr(["report", runId, "--controller", http!, "-o", "stored.html"]);
  expect(got.stderr).toContain(`report written to ${join(dir, "stored.html")}`);
  expect(got.code).toBe(0);
  const opened = await expectReport("stored.html", "stored.json");
  expect((await opened.text("header"))[0]).toContain(`run ${runId}`);
  expect(opened.charts.find((c) => c.chart === "agents")).toMatchObject({ drawn: true, series: 2 });
  const missing = await loadr(["report", "r-nope", "--controller", http!, "-o", "nope.html"]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain(`GET ${http}/api/runs/r-nope/report: no run r-nope`);
}, 120_000);
